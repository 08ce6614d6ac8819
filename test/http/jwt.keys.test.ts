import { randomBytes } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/core/audit.ts';
import { HOUR, MINUTE, SECOND } from '../../src/core/clock.ts';
import { JwtAccessTokens } from '../../src/core/oauth/jwt-access-tokens.ts';
import { SigningKeys } from '../../src/core/oauth/signing-keys.ts';
import { encryptionKey, TokenCipher } from '../../src/core/secrets.ts';
import { ADMIN_PASSWORD, DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { memberSession } from './fixtures.ts';
import { adminId, issueAccessToken, segment, useJwtAccessTokens, verify } from './jwt-fixtures.ts';
import { expectError } from './token-fixtures.ts';

/** The default access-token lifespan (24 hours) plus one key-reload interval (60 s). */
const RETENTION = 24 * HOUR + MINUTE;

describe.each(DIALECTS)('JWT signing keys on %s', (dialect) => {
  let t: TestServer;
  let userId: number;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    userId = await adminId(t);
    await useJwtAccessTokens(t);
  });
  afterAll(() => t?.close());

  /** Moves the clock; the admin's console session (12 hours) is renewed, as an admin would sign in again. */
  const advance = async (ms: number) => {
    t.clock.advance(ms);
    t.adminToken = await t.login('admin', ADMIN_PASSWORD);
  };
  const kidOf = (jwt: string) => segment(jwt, 0).kid as string;
  const publishedKids = async () =>
    ((await t.api('GET', '/.well-known/jwks.json')).body.keys as { kid: string }[]).map((k) => k.kid);
  const rotate = async () => {
    const response = await t.api('POST', '/api/keys/_rotate', { token: t.adminToken });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as { key: { kid: string }; retired: string[] };
  };

  it('makes the first key on first need: a rotation before any token retires nothing', async () => {
    expect(await publishedKids()).toEqual([]);
    const first = await rotate();
    expect(first.retired).toEqual([]);
    expect(await publishedKids()).toEqual([first.key.kid]);
  });

  it('rotates without downtime: old tokens verify, new tokens use the new key, the old key leaves later', async () => {
    const before = await issueAccessToken(t, userId, { lifetimeMs: 2 * HOUR });
    const oldKid = kidOf(before.token);
    const rotatedAt = t.clock.now();
    const { key, retired } = await rotate();
    expect(retired).toEqual([oldKid]);
    expect(key.kid).not.toBe(oldKid);

    // Both keys are published; the token signed before verifies here and against the JWKS.
    const jwks = (await t.api('GET', '/.well-known/jwks.json')).body;
    expect(jwks.keys.map((k: { kid: string }) => k.kid).sort()).toEqual([oldKid, key.kid].sort());
    expect(await verify(t, before.token)).toMatchObject({ valid: true, tokenId: before.record.id });
    const local = createLocalJWKSet(jwks);
    await expect(
      jwtVerify(before.token, local, { currentDate: new Date(t.clock.now()) }),
    ).resolves.toBeDefined();

    const after = await issueAccessToken(t, userId);
    expect(kidOf(after.token)).toBe(key.kid);
    expect(await verify(t, after.token)).toMatchObject({ valid: true });

    const listed = await t.api('GET', '/api/keys', { token: t.adminToken });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        kid: key.kid,
        alg: 'ES256',
        status: 'active',
        retiredAt: null,
        removeAfter: null,
      }),
      expect.objectContaining({
        kid: oldKid,
        status: 'retired',
        retiredAt: new Date(rotatedAt).toISOString(),
        removeAfter: new Date(rotatedAt + RETENTION).toISOString(),
      }),
    ]);

    // Just inside the window the old key is still published; past it, gone (its tokens have all expired).
    await advance(RETENTION - SECOND);
    expect(await publishedKids()).toContain(oldKid);
    await advance(SECOND);
    expect(await publishedKids()).toEqual([key.kid]);
    expect((await t.api('GET', '/api/keys', { token: t.adminToken })).body.items).toHaveLength(1);
    expect(await verify(t, before.token)).toMatchObject({ valid: false, code: 'TOKEN_EXPIRED' });
  });

  it('keeps a retired key for the access-token lifespan set at the time', async () => {
    const set = await t.api('PATCH', '/api/settings', {
      token: t.adminToken,
      body: { 'authentication.token.access_token_lifespan': 2 },
    });
    expect(set.status).toBe(200);
    const oldKid = kidOf((await issueAccessToken(t, userId)).token);
    await rotate();
    await advance(2 * HOUR + MINUTE - SECOND);
    expect(await publishedKids()).toContain(oldKid);
    await advance(SECOND);
    expect(await publishedKids()).not.toContain(oldKid);
  });

  it('audits every rotation', async () => {
    const { key, retired } = await rotate();
    const audit = await t.api('GET', '/api/audit?action=signing_key.rotate', { token: t.adminToken });
    expect(audit.body.items[0]).toMatchObject({
      action: 'signing_key.rotate',
      targetType: 'signing_key',
      targetId: key.kid,
      details: { retired },
    });
  });

  it('lets another node on the same store verify the tokens, and learn a new kid from the store', async () => {
    const { store, clock } = t.server.tessera;
    // Verification needs public keys only: the other node's cipher does not matter here.
    const cipher = new TokenCipher([encryptionKey(randomBytes(32))]);
    const keys = new SigningKeys(store, clock, cipher, new AuditLog(clock), { unknownKidReloadMs: 0 });
    const otherNode = new JwtAccessTokens(keys, clock, t.url);
    expect(await otherNode.check((await issueAccessToken(t, userId)).token)).toBeNull();
    await rotate();
    expect(await otherNode.check((await issueAccessToken(t, userId)).token)).toBeNull();
  });

  it('lets only administrators holding settings:manage list or rotate keys', async () => {
    const member = await memberSession(t, 'key-curious');
    expectError(await t.api('GET', '/api/keys', { token: member.token }), 403, 'FORBIDDEN');
    expectError(await t.api('POST', '/api/keys/_rotate', { token: member.token }), 403, 'FORBIDDEN');
    expectError(await t.api('POST', '/api/keys/_rotate'), 401, 'UNAUTHENTICATED');
  });
});
