import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { type ChildServer, startChildServer } from '../support/child-server.ts';
import type { ApiResponse } from '../support/harness.ts';
import { createDatabase } from '../support/postgres.ts';

/** A role of its own for one node, so the test can cut that node (and only it) off the database. */
export interface DatabaseRole {
  name: string;
  /** The database URL as this role. */
  url: string;
  /** Refuses the role new connections and terminates the ones it has (pg_terminate_backend). */
  cut(): Promise<void>;
  /** Lets the role connect again. */
  restore(): Promise<void>;
}

/** A fresh database on the test PostgreSQL and a superuser connection to it for the test's own checks. */
export async function freshPostgres() {
  const url = await createDatabase(inject('pgUrl'));
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const roles: string[] = [];
  let counter = 0;
  return {
    url,
    admin,
    /** The use count the database holds for a token. */
    async useCount(tokenId: string): Promise<number> {
      const { rows } = await admin.query('select use_count from tokens where id = $1', [tokenId]);
      return Number(rows[0]?.use_count);
    },
    async role(): Promise<DatabaseRole> {
      const name = `node_${process.pid}_${Date.now().toString(36)}_${counter++}`;
      roles.push(name);
      // Superuser: the tables belong to the role that migrated them.
      await admin.query(`create role ${name} login superuser`);
      const roleUrl = new URL(url);
      roleUrl.username = name;
      return {
        name,
        url: roleUrl.toString(),
        async cut() {
          await admin.query(`alter role ${name} nologin`);
          await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where usename = $1', [
            name,
          ]);
        },
        async restore() {
          await admin.query(`alter role ${name} login`);
        },
      };
    },
    async close() {
      for (const name of roles) {
        await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where usename = $1', [
          name,
        ]);
        await admin.query(`drop role if exists ${name}`).catch(() => undefined);
      }
      await admin.end();
    },
  };
}

/** Two `tessera serve` processes on one PostgreSQL; node B connects as its own role so it can be cut off. */
export async function startCluster(env: Record<string, string> = {}) {
  const postgres = await freshPostgres();
  const roleB = await postgres.role();
  const shared = {
    // Every node needs the same secrets: TESSERA_SECRET is set by startChildServer for all of them.
    TESSERA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    // Long enough that only a notification can explain a refusal within the test's deadlines.
    TESSERA_CACHE_TTL_SECONDS: '60',
    // The tests read the cache counters on /metrics.
    TESSERA_METRICS: 'open',
    ...env,
  };
  // One after the other: the first migrates and creates the admin.
  const a = await startChildServer({ ...shared, TESSERA_DATABASE_URL: postgres.url });
  const b = await startChildServer({ ...shared, TESSERA_DATABASE_URL: roleB.url });
  return {
    a,
    b,
    roleB,
    postgres,
    async close() {
      await Promise.all([a.close(), b.close()]);
      await postgres.close();
    },
  };
}

/** Creates an API token on a node; returns its id and string. */
export async function createToken(
  node: ChildServer,
  name = 'multinode',
): Promise<{ id: string; token: string }> {
  const response = await node.api('POST', '/api/tokens', {
    token: node.adminToken,
    body: { name, permissions: ['subscription:execute'], expiresInDays: 30 },
  });
  if (response.status !== 201) throw new Error(`token create failed: ${JSON.stringify(response.body)}`);
  return { id: response.body.id, token: response.body.token };
}

/** POST /api/verify on a node. */
export function verify(node: ChildServer, token: string): Promise<ApiResponse> {
  return node.api('POST', '/api/verify', { body: { token, permission: 'subscription:execute' } });
}

/**
 * Polls `check` until it returns true or `deadlineMs` passes; returns how long it took. The pause between
 * polls only spaces them out: nothing waits for time to pass.
 */
export async function until(
  check: () => Promise<boolean>,
  deadlineMs: number,
  what: string,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > deadlineMs) throw new Error(`not within ${deadlineMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
