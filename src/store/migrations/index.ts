import type { Migration, MigrationProvider } from 'kysely';
import * as m001 from './001_initial.ts';

/** The one migration set, for SQLite and PostgreSQL alike. Append new migrations; never edit a landed one. */
export const migrations: Record<string, Migration> = {
  '001_initial': m001,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
