/**
 * A verification peer of `npm run bench`: Better Auth's API-key plugin (`@better-auth/api-key`) verifying
 * a key, behind a bare Fastify route, as a child of bench/run.ts. Set up as its documentation describes:
 * `betterAuth` on an SQLite file through better-sqlite3 (Better Auth's built-in Kysely adapter), email and
 * password sign-up, the `apiKey()` plugin with its rate limit turned off (it is on by default, at 10
 * requests a day), the schema created with Better Auth's own `getMigrations`; a user signs up and the
 * server creates one key for them with the permission `subscription: ["execute"]`. The route calls the
 * documented server-side `auth.api.verifyApiKey({ body: { key, permissions } })`, asking for that
 * permission the way Tessera's bench asks for `subscription:execute`, and answers its result as JSON.
 * The key goes to the parent in the ready message (`token`).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apiKey } from '@better-auth/api-key';
import { type BetterAuthOptions, betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { announce } from '../servers/lifecycle.ts';

const PERMISSIONS = { subscription: ['execute'] };
const dir = mkdtempSync(path.join(os.tmpdir(), 'tessera-bench-better-auth-'));
const database = new Database(path.join(dir, 'sqlite.db'));

const options = {
  // Only server-side API calls are made: the base URL names no listener of Better Auth's own.
  baseURL: 'http://127.0.0.1',
  secret: randomBytes(32).toString('base64url'),
  database,
  emailAndPassword: { enabled: true },
  plugins: [apiKey({ rateLimit: { enabled: false } })],
  telemetry: { enabled: false },
} satisfies BetterAuthOptions;
// The schema first, so that Better Auth's start-up check finds its tables.
const { runMigrations } = await getMigrations(options);
await runMigrations();
const auth = betterAuth(options);

const { user } = await auth.api.signUpEmail({
  body: { email: 'bench@example.com', password: randomBytes(12).toString('base64url'), name: 'bench' },
});
const created = await auth.api.createApiKey({
  body: { userId: user.id, name: 'bench', permissions: PERMISSIONS },
});

const app = Fastify({ logger: false });
app.post('/verify', async (request) => {
  const { key } = request.body as { key: string };
  return auth.api.verifyApiKey({ body: { key, permissions: PERMISSIONS } });
});

await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
announce({ url, token: created.key }, async () => {
  await app.close();
  database.close();
  rmSync(dir, { recursive: true, force: true });
});
