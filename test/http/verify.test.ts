import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateToken } from '../../src/core/token-format.ts';
import { ADMIN_PASSWORD, DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { createToken, createUser, DAY_MS, expectError, iso, verify } from './token-fixtures.ts';

/** The same token with one character of its secret changed: the checksum no longer matches. */
function typo(token: string): string {
  const i = 20;
  return token.slice(0, i) + (token[i] === 'x' ? 'y' : 'x') + token.slice(i + 1);
}

describe.each(DIALECTS)('verification on %s', (dialect) => {
  let t: TestServer;
  let admin: string;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    admin = t.adminToken;
  });
  afterAll(() => t?.close());

  describe('a good token', () => {
    it('answers POST /api/verify with the valid result fields', async () => {
      const member = await createUser(t, {}, admin);
      const created = await createToken(
        t,
        {
          userId: member.id,
          permissions: ['subscription:execute', 'reports:read'],
          resources: ['subscription:42'],
        },
        admin,
      );
      const response = await t.api('POST', '/api/verify', { body: { token: created.token } });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        valid: true,
        tokenId: created.id,
        kind: 'api',
        userId: member.id,
        tenantId: 'default',
        permissions: ['subscription:execute', 'reports:read'],
        resources: ['subscription:42'],
        departmentId: null,
        userTypeId: null,
        expiresAt: created.expiresAt,
      });
    });

    it('is accepted by GET /api/verify as Bearer, as a TOKEN header and as ?token=', async () => {
      const created = await createToken(t, {}, admin);
      const expected = { valid: true, tokenId: created.id, permissions: ['subscription:execute'] };
      const ways: { headers?: Record<string, string>; query?: string }[] = [
        { headers: { authorization: `Bearer ${created.token}` } },
        { headers: { token: created.token } },
        { query: `?token=${created.token}` },
      ];
      for (const way of ways) {
        const response = await t.api('GET', `/api/verify${way.query ?? ''}`, { headers: way.headers });
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject(expected);
      }
      const withPermission = await t.api('GET', '/api/verify?permission=subscription:execute', {
        headers: { token: created.token },
      });
      expect(withPermission.body).toMatchObject(expected);
      const denied = await t.api('GET', '/api/verify?permission=reports:read', { token: created.token });
      expect(denied.body).toEqual({ valid: false, code: 'PERMISSION_DENIED', message: expect.any(String) });
    });

    it('needs no credentials of its own: the presented token is the only one', async () => {
      const created = await createToken(t, {}, admin);
      expect((await t.api('POST', '/api/verify', { body: { token: created.token } })).body.valid).toBe(true);
    });
  });

  describe('a bad token is a 200 with valid: false and a reason code', () => {
    const expectInvalid = async (token: string, code: string) => {
      const post = await t.api('POST', '/api/verify', { body: { token } });
      expect(post.status).toBe(200);
      expect(post.body).toEqual({ valid: false, code, message: expect.any(String) });
      const get = await t.api('GET', '/api/verify', { headers: { authorization: `Bearer ${token}` } });
      expect(get.body).toMatchObject({ valid: false, code });
    };

    it.each(['garbage', 'tsr_api_short', `tsr_xyz_${'a'.repeat(49)}`, 'Bearer', `tsr_api_${'A'.repeat(49)}`])(
      'TOKEN_MALFORMED for %s',
      async (token) => {
        await expectInvalid(token, 'TOKEN_MALFORMED');
      },
    );

    it('TOKEN_MALFORMED for a one-character typo of a real token', async () => {
      const created = await createToken(t, {}, admin);
      await expectInvalid(typo(created.token), 'TOKEN_MALFORMED');
      expect((await verify(t, created.token)).valid).toBe(true);
    });

    it('TOKEN_MALFORMED for an empty token and for GET without any token', async () => {
      await expectInvalid('', 'TOKEN_MALFORMED');
      expect((await t.api('GET', '/api/verify')).body).toMatchObject({
        valid: false,
        code: 'TOKEN_MALFORMED',
      });
    });

    it('TOKEN_UNKNOWN for a well-formed token with a good checksum that was never issued', async () => {
      await expectInvalid(generateToken('api'), 'TOKEN_UNKNOWN');
      await expectInvalid(generateToken('pat'), 'TOKEN_UNKNOWN');
    });

    it('TOKEN_UNKNOWN for a real token presented with another kind prefix', async () => {
      const created = await createToken(t, {}, admin);
      // Same secret, other kind: the checksum is recomputed, so only the kind tells them apart.
      const { crc32 } = await import('node:zlib');
      const body = created.token.slice(0, -6).replace('tsr_api_', 'tsr_pat_');
      const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
      let n = BigInt(crc32(body));
      let sum = '';
      for (let i = 0; i < 6; i++) {
        sum = alphabet[Number(n % 62n)] + sum;
        n /= 62n;
      }
      await expectInvalid(body + sum, 'TOKEN_UNKNOWN');
    });

    it('TOKEN_REVOKED for a revoked token', async () => {
      const created = await createToken(t, {}, admin);
      await t.api('DELETE', `/api/tokens/${created.id}`, { token: admin });
      await expectInvalid(created.token, 'TOKEN_REVOKED');
    });

    it('TOKEN_EXPIRED once the clock reaches the expiry, and not a millisecond before', async () => {
      const created = await createToken(t, { expiresInDays: 1 }, admin);
      expect(created.expiresAt).toBe(iso(t.clock.now() + DAY_MS));
      t.clock.advance(DAY_MS - 1);
      expect((await verify(t, created.token)).valid).toBe(true);
      t.clock.advance(1);
      await expectInvalid(created.token, 'TOKEN_EXPIRED');
      admin = await t.login('admin', ADMIN_PASSWORD);
      const view = await t.api('GET', `/api/tokens/${created.id}`, { token: admin });
      expect(view.body.status).toBe('expired');
    });

    it('TOKEN_EXPIRED for a custom date once that day is over', async () => {
      const day = iso(t.clock.now() + 2 * DAY_MS).slice(0, 10);
      const created = await createToken(t, { expiresAt: day }, admin);
      t.clock.set(Date.parse(`${day}T23:59:59.998Z`));
      expect((await verify(t, created.token)).valid).toBe(true);
      t.clock.advance(1);
      await expectInvalid(created.token, 'TOKEN_EXPIRED');
      admin = await t.login('admin', ADMIN_PASSWORD);
    });
  });

  describe('bad requests', () => {
    it.each([
      ['token', {}],
      ['token', { token: 42 }],
      ['token', { token: 'x'.repeat(4097) }],
      ['permission', { token: 'x', permission: '' }],
      ['resource', { token: 'x', resource: 'r'.repeat(301) }],
      ['departmentId', { token: 'x', departmentId: 'sales' }],
      ['scope', { token: 'x', scope: 'all' }],
    ])('POST /api/verify refuses a bad %s with 400', async (field, body) => {
      expectError(await t.api('POST', '/api/verify', { body }), 400, 'VALIDATION_FAILED', field);
    });

    it('POST /api/verify refuses malformed JSON with 400 INVALID_JSON', async () => {
      const response = await t.api('POST', '/api/verify', {
        headers: { 'content-type': 'application/json' },
        raw: '{"token":',
      });
      expectError(response, 400, 'INVALID_JSON', 'body');
    });

    it('GET /api/verify refuses a bad departmentId with 400', async () => {
      expectError(
        await t.api('GET', '/api/verify?departmentId=abc'),
        400,
        'VALIDATION_FAILED',
        'departmentId',
      );
    });
  });
});
