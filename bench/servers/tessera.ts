/**
 * Tessera as a bench child: the real service (`startServer`) configured from the environment the parent
 * sets. With BENCH_SEED=N it first issues N tokens straight through the core, in batched transactions,
 * and writes their strings (the store keeps only hashes) to a file for the parent's load generator.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/config.ts';
import { DEFAULT_TENANT } from '../../src/core/auth.ts';
import { DAY } from '../../src/core/clock.ts';
import type { Tessera } from '../../src/core/tessera.ts';
import type { TokenService } from '../../src/core/tokens.ts';
import { startServer } from '../../src/server.ts';
import { announce, type Ready } from './lifecycle.ts';

const BATCH = 1000;

type Spec = Parameters<TokenService['issue']>[3];

/** Issues `count` API tokens with `subscription:execute` for the admin user; returns their strings. */
async function seed(tessera: Tessera, count: number): Promise<string[]> {
  const admin = await tessera.store.users.findByUsername(DEFAULT_TENANT, 'admin');
  if (!admin) throw new Error('the bootstrap admin user is missing');
  const spec: Spec = {
    kind: 'api',
    name: 'bench',
    description: null,
    permissions: ['subscription:execute'],
    resources: [],
    userId: admin.id,
    departmentId: null,
    userTypeId: null,
    expiresAt: tessera.clock.now() + 30 * DAY,
    retrievable: false,
    parentId: null,
  };
  const tokens: string[] = [];
  while (tokens.length < count) {
    const size = Math.min(BATCH, count - tokens.length);
    await tessera.store.transaction(async (tx) => {
      for (let i = 0; i < size; i++) {
        const issued = await tessera.tokens.issue(tx, DEFAULT_TENANT, admin.id, spec);
        tokens.push(issued.token);
      }
    });
  }
  return tokens;
}

const config = loadConfig(process.env);
const server = await startServer(config);
const ready: Ready = { url: server.url };
const count = Number(process.env.BENCH_SEED ?? 0);
if (count > 0) {
  const started = performance.now();
  const tokens = await seed(server.tessera, count);
  ready.seedMs = performance.now() - started;
  ready.seeded = tokens.length;
  ready.tokensFile = path.join(config.dataDir, 'bench-tokens.txt');
  writeFileSync(ready.tokensFile, tokens.join('\n'), { mode: 0o600 });
}
// The parent removes the data dir too, unless it was killed outright; then this is the only cleanup.
announce(ready, async () => {
  await server.close();
  rmSync(config.dataDir, { recursive: true, force: true });
});
