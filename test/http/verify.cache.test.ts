import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { createToken, verify } from './token-fixtures.ts';

describe.each(DIALECTS)('the verification cache on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect, { TESSERA_CACHE_MAX_ENTRIES: '3', TESSERA_CACHE_TTL_SECONDS: '60' });
  });
  afterAll(() => t?.close());

  it('holds at most TESSERA_CACHE_MAX_ENTRIES tokens, dropping the least recently used', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 5; i++) tokens.push((await createToken(t, {})).token);
    const { verifier } = t.server.tessera;
    for (const token of tokens) expect((await verify(t, token)).valid).toBe(true);
    expect(verifier.cacheSize).toBe(3);

    const before = { ...verifier.stats };
    expect((await verify(t, tokens[4]!)).valid).toBe(true);
    expect(verifier.stats.hits - before.hits).toBe(1);
    expect((await verify(t, tokens[0]!)).valid).toBe(true);
    expect(verifier.stats.misses - before.misses).toBe(1);
    expect(verifier.cacheSize).toBe(3);
  });

  it('answers a cached token with the same fields every time, and forgets it when it is revoked', async () => {
    const created = await createToken(t, {});
    const first = await verify(t, created.token);
    expect(await verify(t, created.token)).toEqual(first);
    const revoked = await t.api('DELETE', `/api/tokens/${created.id}`, { token: t.adminToken });
    expect(revoked.status).toBe(204);
    expect(await verify(t, created.token)).toMatchObject({ valid: false, code: 'TOKEN_REVOKED' });
  });
});
