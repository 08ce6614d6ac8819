import type { Migration, MigrationProvider } from 'kysely';
import * as m001 from './001_initial.ts';
import * as m002 from './002_oauth.ts';
import * as m003 from './003_reports_sessions.ts';

/** The one migration set, for SQLite and PostgreSQL alike. Append new migrations; never edit a landed one. */
export const migrations: Record<string, Migration> = {
  '001_initial': m001,
  '002_oauth': m002,
  '003_reports_sessions': m003,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
