/**
 * Tessera as a bench child: the real service (`startServer`) configured from the environment the parent
 * sets, on a store the parent may have seeded first (./seed-store.ts). One bench-only switch:
 * BENCH_USAGE_TRACKING=off makes the usage recorder drop every use instead of counting it, so the bench
 * can tell what usage tracking costs; the service itself has no such setting. BENCH_KEEP_DATA=1 leaves the
 * SQLite data dir for the next child (the parent removes it at exit). It runs bundled, with plain node, as
 * `npm start` runs the service (../bundled-children.ts).
 */
import { rmSync } from 'node:fs';
import { loadConfig } from '../../src/config/config.ts';
import { startServer } from '../../src/server.ts';
import { announce } from './lifecycle.ts';

const config = loadConfig(process.env);
const server = await startServer(config);
if (process.env.BENCH_USAGE_TRACKING === 'off') {
  // The verifier holds this very recorder: an own property shadows the class's method for it too.
  server.tessera.usage.record = () => {};
}
// The parent removes an SQLite data dir too, unless it was killed outright; then this is the only cleanup.
announce({ url: server.url }, async () => {
  await server.close();
  if (!config.databaseUrl && process.env.BENCH_KEEP_DATA !== '1')
    rmSync(config.dataDir, { recursive: true, force: true });
});
