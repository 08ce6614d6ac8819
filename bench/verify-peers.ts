/**
 * The verification peers of `npm run bench`, each behind a bare Fastify route in bench/peers: the
 * `authenticate` of @node-oauth/oauth2-server (in-memory model, a Bearer token with a scope) and Better
 * Auth's API-key plugin `verifyApiKey` (SQLite, rate limit off, a key with a permission). Tessera's warm
 * verification is compared with each by bench/run.ts.
 */
import { randomBytes } from 'node:crypto';
import { JSON_HEADERS } from './load.ts';
import type { Bench } from './oauth.ts';
import type { Measurement } from './report.ts';

/** @node-oauth/oauth2-server authenticating one Bearer token for one scope. */
export async function oauth2ServerAuthenticate(bench: Bench): Promise<Measurement> {
  const token = randomBytes(32).toString('hex');
  const child = await bench.start('peer-oauth2-server', 'peers/oauth2-server.ts', {
    ...process.env,
    BENCH_PEER_TOKEN: token,
  });
  try {
    return await bench.measure('@node-oauth/oauth2-server authenticate (Bearer, scope)', child, {
      url: `${child.ready.url}/verify`,
      headers: { ...JSON_HEADERS, authorization: `Bearer ${token}` },
      body: '{}',
      expect: (body) => body.includes('"valid":true'),
    });
  } finally {
    await child.stop();
  }
}

/** Better Auth's API-key plugin verifying one key with one permission. */
export async function betterAuthVerify(bench: Bench): Promise<Measurement> {
  const child = await bench.start('peer-better-auth', 'peers/better-auth.ts', { ...process.env });
  try {
    const key = child.ready.token!;
    return await bench.measure('Better Auth API key verifyApiKey (permission, rate limit off)', child, {
      url: `${child.ready.url}/verify`,
      body: JSON.stringify({ key }),
      expect: (body) => body.includes('"valid":true'),
    });
  } finally {
    await child.stop();
  }
}
