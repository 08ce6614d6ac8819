import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { StoreUnavailableError } from '../../src/core/store-unavailable.ts';
import { type RunningServer, startServer } from '../../src/server.ts';
import { ADMIN_PASSWORD, apiClient } from '../support/harness.ts';
import { createToken, freshPostgres, startCluster, until, verify } from './cluster.ts';

describe('usage counted on several nodes', () => {
  let cluster: Awaited<ReturnType<typeof startCluster>>;

  beforeAll(async () => {
    cluster = await startCluster({ TESSERA_USAGE_FLUSH_SECONDS: '0.2' });
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('adds up exactly after the batched flushes, and after a graceful stop', async () => {
    const { a, b, postgres } = cluster;
    const { id, token } = await createToken(a);
    const spread = async (n: number) => {
      const answers = await Promise.all(Array.from({ length: n }, (_, i) => verify(i % 2 ? a : b, token)));
      expect(answers.every((r) => r.body.valid === true)).toBe(true);
    };

    await spread(60);
    await until(async () => (await postgres.useCount(id)) === 60, 10_000, 'both nodes flushed 60 uses');

    // Stopped right after: what neither flush timer wrote yet is written as each node closes.
    await spread(41);
    await Promise.all([a.stop(), b.stop()]);
    expect(await postgres.useCount(id)).toBe(101);
  });
});

describe('a usage flush while the database is unreachable', () => {
  let server: RunningServer;
  let postgres: Awaited<ReturnType<typeof freshPostgres>>;
  let cut: () => Promise<void>;
  let restore: () => Promise<void>;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tessera-usage-'));

  beforeAll(async () => {
    postgres = await freshPostgres();
    const role = await postgres.role();
    ({ cut, restore } = role);
    const config = loadConfig(
      {},
      {
        dataDir,
        databaseUrl: role.url,
        adminPassword: ADMIN_PASSWORD,
        port: 0,
        cacheTtlSeconds: 60,
        // Never by the timer: this test flushes by hand.
        usageFlushSeconds: 3600,
        logLevel: 'silent',
      },
    );
    server = await startServer(config, { logger: false });
  });
  afterAll(async () => {
    await server?.close();
    await postgres?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps its counts for the next flush: nothing lost, nothing counted twice', async () => {
    const api = apiClient(server.url);
    const login = await api('POST', '/api/auth/login', {
      body: { username: 'admin', password: ADMIN_PASSWORD },
    });
    const created = await api('POST', '/api/tokens', {
      token: login.body.token,
      body: { name: 'counted', permissions: ['subscription:execute'], expiresInDays: 30 },
    });
    const { id, token } = created.body;
    for (let i = 0; i < 7; i++) {
      expect((await api('POST', '/api/verify', { body: { token } })).body.valid).toBe(true);
    }
    const { usage } = server.tessera;
    expect(usage.peek(id)?.count).toBe(7);

    await cut();
    await expect(usage.flush()).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(usage.peek(id)?.count).toBe(7);
    expect(await postgres.useCount(id)).toBe(0);

    await restore();
    await usage.flush();
    expect(usage.peek(id)).toBeUndefined();
    expect(await postgres.useCount(id)).toBe(7);
    await usage.flush();
    expect(await postgres.useCount(id)).toBe(7);
  });
});
