import type { TestProject } from 'vitest/node';
import { startPostgres, type TestPostgres } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

let postgres: TestPostgres | undefined;

/** Starts one real PostgreSQL for the whole run; every suite that runs on PostgreSQL makes its own database in it. */
export async function setup(project: TestProject): Promise<void> {
  postgres = await startPostgres();
  project.provide('pgUrl', postgres.url);
}

export function teardown(): void {
  postgres?.stop();
}
