/**
 * Seeds a Tessera store for the cold scenario, in a process of its own, so that the server measured next
 * starts with a million stored tokens but none of the seeding's memory. It starts the real service once on
 * the configured store (migrations, the first-start admin), seeds BENCH_SEED tokens for that admin with the
 * fast path (./seed.ts), closes the service and tells the parent the seed time and the tokens file.
 */
import path from 'node:path';
import { loadConfig } from '../../src/config/config.ts';
import { loadSecrets } from '../../src/config/secrets.ts';
import { DEFAULT_TENANT } from '../../src/core/auth.ts';
import { startServer } from '../../src/server.ts';
import type { KyselyStore } from '../../src/store/kysely/store.ts';
import { announce } from './lifecycle.ts';
import { seedTokens } from './seed.ts';

const config = loadConfig(process.env);
const count = Number(process.env.BENCH_SEED);
if (!Number.isInteger(count) || count < 1) throw new Error('set BENCH_SEED to a positive integer');
const server = await startServer(config);
const admin = await server.tessera.store.users.findByUsername(DEFAULT_TENANT, 'admin');
if (!admin) throw new Error('the bootstrap admin user is missing');
const tokensFile = path.join(config.dataDir, 'bench-tokens.txt');
const started = performance.now();
const seeded = await seedTokens(server.tessera.store as KyselyStore, loadSecrets(config).pepper, {
  count,
  tenantId: DEFAULT_TENANT,
  userId: admin.id,
  permission: 'subscription:execute',
  now: server.tessera.clock.now(),
  tokensFile,
});
const seedMs = performance.now() - started;
await server.close();
announce({ url: server.url, tokensFile, seeded, seedMs }, async () => {});
