import { createRemoteJWKSet, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR, SECOND } from '../../src/core/clock.ts';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import {
  adminId,
  issueAccessToken,
  segment,
  tamperSignature,
  useJwtAccessTokens,
  verify,
} from './jwt-fixtures.ts';

describe.each(DIALECTS)('JWT access tokens on %s', (dialect) => {
  let t: TestServer;
  let userId: number;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    userId = await adminId(t);
  });
  afterAll(() => t?.close());

  /** The JWKS as a resource server would fetch it, checked at the test clock's time. */
  function verifyRemotely(jwt: string) {
    const jwks = createRemoteJWKSet(new URL(`${t.url}/.well-known/jwks.json`));
    return jwtVerify(jwt, jwks, {
      issuer: t.url,
      audience: t.url,
      typ: 'at+jwt',
      algorithms: ['ES256'],
      currentDate: new Date(t.clock.now()),
    });
  }

  describe('happy path', () => {
    it('issues opaque tsr_at_ tokens while the setting is off (the default)', async () => {
      const issued = await issueAccessToken(t, userId);
      expect(issued.token).toMatch(/^tsr_at_/);
      expect(issued.record.hint).toMatch(/^tsr_at_…/);
    });

    it('issues an RFC 9068 JWT once the setting is on, verifiable against the published JWKS', async () => {
      await useJwtAccessTokens(t);
      const issued = await issueAccessToken(t, userId, {
        permissions: ['subscription:execute', 'reports:read'],
      });
      const jwt = issued.token;
      expect(jwt).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);

      const { payload, protectedHeader } = await verifyRemotely(jwt);
      expect(protectedHeader).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });
      expect(payload).toEqual({
        iss: t.url,
        aud: t.url,
        sub: String(userId),
        jti: issued.record.id,
        client_id: 'reporting-service',
        scope: 'subscription:execute reports:read',
        iat: Math.floor(t.clock.now() / 1000),
        exp: Math.floor((t.clock.now() + HOUR) / 1000),
      });
      expect(issued.record.expiresAt).toBe(payload.exp! * 1000);
      expect(issued.record.hint).toBe(`jwt…${jwt.slice(-4)}`);
    });

    it('leaves client_id out when no client asked for the token', async () => {
      const issued = await issueAccessToken(t, userId, { clientId: null });
      expect(segment(issued.token, 1)).not.toHaveProperty('client_id');
    });

    it('publishes only public keys, cacheable, at /.well-known/jwks.json', async () => {
      const response = await t.api('GET', '/.well-known/jwks.json');
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=300');
      expect(response.body.keys.length).toBeGreaterThan(0);
      for (const key of response.body.keys) {
        expect(key).toEqual({
          kty: 'EC',
          crv: 'P-256',
          x: expect.any(String),
          y: expect.any(String),
          kid: expect.any(String),
          alg: 'ES256',
          use: 'sig',
        });
      }
    });

    it('is accepted by /api/verify (body and Bearer) with the same answer as an opaque token', async () => {
      const issued = await issueAccessToken(t, userId);
      const body = await verify(t, issued.token, { permission: 'subscription:execute' });
      expect(body).toMatchObject({
        valid: true,
        tokenId: issued.record.id,
        kind: 'at',
        userId,
        permissions: ['subscription:execute'],
      });
      const bearer = await t.api('GET', '/api/verify', { token: issued.token });
      expect(bearer.body).toMatchObject({ valid: true, tokenId: issued.record.id });
      expect(await verify(t, issued.token, { permission: 'reports:read' })).toMatchObject({
        valid: false,
        code: 'PERMISSION_DENIED',
      });
    });

    it('is listed and inspected like any token, and authenticates on the management API', async () => {
      const issued = await issueAccessToken(t, userId, { permissions: ['tokens:manage'] });
      const inspected = await t.api('GET', `/api/tokens/${issued.record.id}`, { token: issued.token });
      expect(inspected.status).toBe(200);
      expect(inspected.body).toMatchObject({ id: issued.record.id, kind: 'at', status: 'active' });
      expect(inspected.body.hint).toBe(`jwt…${issued.token.slice(-4)}`);
    });
  });

  describe('error path', () => {
    it('refuses a JWT revoked with DELETE /api/tokens/{jti} at once, though its signature is good', async () => {
      const issued = await issueAccessToken(t, userId);
      expect((await verify(t, issued.token)).valid).toBe(true); // now cached on this node
      const jti = segment(issued.token, 1).jti as string;
      const revoked = await t.api('DELETE', `/api/tokens/${jti}`, { token: t.adminToken });
      expect(revoked.status).toBe(204);
      expect(await verify(t, issued.token)).toMatchObject({ valid: false, code: 'TOKEN_REVOKED' });
      await expect(verifyRemotely(issued.token)).resolves.toBeDefined();
    });

    it('refuses a JWT past its exp, whether it was verified before or never', async () => {
      const seen = await issueAccessToken(t, userId, { lifetimeMs: 10 * SECOND });
      const unseen = await issueAccessToken(t, userId, { lifetimeMs: 10 * SECOND });
      expect((await verify(t, seen.token)).valid).toBe(true);
      t.clock.advance(10 * SECOND);
      expect(await verify(t, seen.token)).toMatchObject({ valid: false, code: 'TOKEN_EXPIRED' });
      expect(await verify(t, unseen.token)).toMatchObject({ valid: false, code: 'TOKEN_EXPIRED' });
    });
  });

  describe('security', () => {
    it('refuses a tampered signature or payload as TOKEN_MALFORMED', async () => {
      const issued = await issueAccessToken(t, userId);
      expect(await verify(t, tamperSignature(issued.token))).toMatchObject({
        valid: false,
        code: 'TOKEN_MALFORMED',
      });
      const [header, , signature] = issued.token.split('.');
      const widened = { ...segment(issued.token, 1), scope: 'tokens:manage settings:manage' };
      const forged = `${header}.${Buffer.from(JSON.stringify(widened)).toString('base64url')}.${signature}`;
      expect(await verify(t, forged)).toMatchObject({ valid: false, code: 'TOKEN_MALFORMED' });
    });

    it('refuses a JWT signed by a key it did not publish (unknown kid), and one with alg none', async () => {
      const issued = await issueAccessToken(t, userId);
      const claims = segment(issued.token, 1);
      const stranger = await generateKeyPair('ES256');
      const foreign = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'not-one-of-ours' })
        .sign(stranger.privateKey);
      expect(await verify(t, foreign)).toMatchObject({ valid: false, code: 'TOKEN_MALFORMED' });
      // The right kid does not help a key that is not ours.
      const ours = segment(issued.token, 0).kid as string;
      const impostor = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: ours })
        .sign(stranger.privateKey);
      expect(await verify(t, impostor)).toMatchObject({ valid: false, code: 'TOKEN_MALFORMED' });
      const none = `${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString('base64url')}.${issued.token.split('.')[1]}.x`;
      expect(await verify(t, none)).toMatchObject({ valid: false, code: 'TOKEN_MALFORMED' });
    });

    it('refuses a JWT signed with our key but of another typ or issuer, or never issued (no row)', async () => {
      const issued = await issueAccessToken(t, userId);
      const claims = segment(issued.token, 1);
      const key = await t.server.tessera.signingKeys.current();
      const sign = (payload: Record<string, unknown>, typ: string) =>
        new SignJWT(payload).setProtectedHeader({ alg: 'ES256', typ, kid: key.kid }).sign(key.privateKey);
      expect(await verify(t, await sign(claims, 'JWT'))).toMatchObject({ code: 'TOKEN_MALFORMED' });
      expect(await verify(t, await sign({ ...claims, iss: 'https://evil.example' }, 'at+jwt'))).toMatchObject(
        {
          code: 'TOKEN_MALFORMED',
        },
      );
      // Signed by us, right claims, but not a token Tessera issued: only the stored row makes it live.
      const unissued = await sign({ ...claims, jti: crypto.randomUUID() }, 'at+jwt');
      expect(await verify(t, unissued)).toMatchObject({ valid: false, code: 'TOKEN_UNKNOWN' });
    });

    it('keeps refusing strings that are neither a Tessera token nor a JWT', async () => {
      for (const junk of ['eyJ', 'eyJhbGciOi.x', 'eyJ.a.b.c', `eyJ${'a'.repeat(4000)}.b.c`]) {
        expect(await verify(t, junk)).toMatchObject({ valid: false, code: 'TOKEN_MALFORMED' });
      }
      // Past the length limit it is refused before any decoding (a header is not bound by the body schema).
      const long = await t.api('GET', '/api/verify', { token: `eyJ${'a'.repeat(5000)}.b.c` });
      expect(long.body).toMatchObject({ valid: false, code: 'TOKEN_MALFORMED' });
    });
  });
});
