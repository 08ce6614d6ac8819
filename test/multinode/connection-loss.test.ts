import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, startCluster, until, verify } from './cluster.ts';

/**
 * Node B loses its database: its role is refused new connections and its backends are terminated
 * (pg_terminate_backend, for real). It must never answer "valid" for what it cannot check, must come back
 * by itself, and must hear revocations again.
 */
describe('a node that loses its database connection', () => {
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  const DEADLINE_MS = 10_000;

  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(async () => {
    await cluster?.close();
  });

  const listening = async (node: typeof cluster.b) => {
    const metrics = await fetch(`${node.url}/metrics`).then((r) => r.text());
    return /^tessera_cache_invalidation_listening 1$/m.test(metrics);
  };

  it('fails closed while cut off, reconnects, and hears revocations again', async () => {
    const { a, b, roleB } = cluster;
    const cached = await createToken(a, 'cached on B');
    const unseen = await createToken(a, 'never seen by B');
    const revokedMeanwhile = await createToken(a, 'revoked while B is cut off');
    expect((await verify(b, cached.token)).body).toMatchObject({ valid: true });
    expect((await verify(b, revokedMeanwhile.token)).body).toMatchObject({ valid: true });
    expect(await listening(b)).toBe(true);

    await roleB.cut();

    // B notices that its listening connection died and stops trusting its cache: a 503, never "valid".
    await until(async () => (await verify(b, cached.token)).status === 503, DEADLINE_MS, 'B answers 503');
    const refused = await verify(b, cached.token);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body.error).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    expect(refused.body.valid).toBeUndefined();
    const uncached = await verify(b, unseen.token);
    expect(uncached.status).toBe(503);
    expect(uncached.body.error.code).toBe('DATABASE_UNAVAILABLE');
    expect((await b.api('GET', '/healthz')).status).toBe(503);
    expect(await listening(b)).toBe(false);
    // The management API does not let a cut-off node's callers through either.
    const listed = await b.api('GET', '/api/tokens', { token: b.adminToken });
    expect(listed.status).toBeGreaterThanOrEqual(500);

    // Meanwhile node A, on its own connections, revokes a token B had cached.
    const revoke = await a.api('DELETE', `/api/tokens/${revokedMeanwhile.id}`, { token: a.adminToken });
    expect(revoke.status).toBe(204);

    await roleB.restore();

    // B reconnects on its own: the pool at the next request, the listener with backoff.
    await until(async () => (await verify(b, unseen.token)).body.valid === true, DEADLINE_MS, 'B is back');
    await until(() => listening(b), DEADLINE_MS, 'B listens again');
    expect((await b.api('GET', '/healthz')).status).toBe(200);
    // The revocation it could not hear about is not served from a stale cache.
    expect((await verify(b, revokedMeanwhile.token)).body).toMatchObject({
      valid: false,
      code: 'TOKEN_REVOKED',
    });

    // Notifications flow again: cache a token on B, revoke it on A, B refuses it well inside the 60 s TTL.
    expect((await verify(b, cached.token)).body).toMatchObject({ valid: true });
    expect((await verify(b, cached.token)).body).toMatchObject({ valid: true });
    expect((await a.api('DELETE', `/api/tokens/${cached.id}`, { token: a.adminToken })).status).toBe(204);
    await until(async () => (await verify(b, cached.token)).body.valid === false, 5000, 'B refuses again');
    expect((await verify(b, cached.token)).body).toMatchObject({ valid: false, code: 'TOKEN_REVOKED' });
  });
});
