import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { type RunningServer, startServer } from '../../src/server.ts';
import { openStore } from '../../src/store/kysely/store.ts';
import { createDatabase } from './postgres.ts';

export type Dialect = 'sqlite' | 'postgres';
/** Every suite that touches the store runs once per dialect: `describe.each(DIALECTS)`. */
export const DIALECTS: Dialect[] = ['sqlite', 'postgres'];
export const ADMIN_PASSWORD = 'correct horse battery';
export const START = Date.UTC(2026, 0, 1, 12, 0, 0);

/** A fresh database target: an SQLite file in a new temp dir, or a new database on the test PostgreSQL. */
export async function freshDatabase(
  dialect: Dialect,
): Promise<{ dataDir: string; databaseUrl?: string; cleanup(): void }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tessera-test-'));
  const databaseUrl = dialect === 'postgres' ? await createDatabase(inject('pgUrl')) : undefined;
  return { dataDir, databaseUrl, cleanup: () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** A migrated store on a fresh database, for the store suite. */
export async function freshStore(dialect: Dialect) {
  const db = await freshDatabase(dialect);
  const store = await openStore({
    databaseUrl: db.databaseUrl,
    sqlitePath: path.join(db.dataDir, 'tessera.db'),
  });
  await store.migrate();
  return {
    store,
    async close() {
      await store.close();
      db.cleanup();
    },
  };
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely
  body: any;
}

export interface TestServer {
  server: RunningServer;
  url: string;
  clock: ManualClock;
  /** A session token for the bootstrap admin. */
  adminToken: string;
  api(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string },
  ): Promise<ApiResponse>;
  login(username: string, password: string): Promise<string>;
  close(): Promise<void>;
}

/** Requests over real HTTP against a base URL (a test server or a child process), the body parsed when JSON. */
export function apiClient(url: string): TestServer['api'] {
  return async (method, route, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.body);
    }
    const response = await fetch(url + route, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
}

/**
 * The real service on an ephemeral port, on a fresh SQLite file or PostgreSQL database, with a manual
 * clock; requests go over real HTTP.
 */
export async function startTestServer(
  dialect: Dialect,
  env: Record<string, string> = {},
): Promise<TestServer> {
  const db = await freshDatabase(dialect);
  const config = loadConfig(
    { TESSERA_SECRET: 'test-secret-test-secret-test-secret-0123', TESSERA_LOG_LEVEL: 'silent', ...env },
    { port: 0, dataDir: db.dataDir, databaseUrl: db.databaseUrl, adminPassword: ADMIN_PASSWORD },
  );
  const clock = new ManualClock(START);
  const server = await startServer(config, { clock, logger: false });
  const url = server.url;

  const api = apiClient(url);

  const login = async (username: string, password: string) => {
    const response = await api('POST', '/api/auth/login', { body: { username, password } });
    if (response.status !== 200) throw new Error(`login failed: ${JSON.stringify(response.body)}`);
    return response.body.token as string;
  };

  const adminToken = await login('admin', ADMIN_PASSWORD);
  return {
    server,
    url,
    clock,
    adminToken,
    api,
    login,
    async close() {
      await server.close();
      db.cleanup();
    },
  };
}
