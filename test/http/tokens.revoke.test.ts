import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { createToken, createUser, expectError, rowCounts, verify } from './token-fixtures.ts';

const MISSING = '00000000-0000-4000-8000-000000000000';

describe.each(DIALECTS)('changing and revoking tokens on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.close());

  const get = async (id: string) => (await t.api('GET', `/api/tokens/${id}`, { token: t.adminToken })).body;
  const revokeAudits = async (id: string) =>
    (await t.api('GET', `/api/audit?action=token.revoke&targetId=${id}`, { token: t.adminToken })).body.items;

  describe('PATCH /api/tokens/{id}', () => {
    it('renames a token and changes its description, and nothing else', async () => {
      const created = await createToken(t, { description: 'first' });
      const response = await t.api('PATCH', `/api/tokens/${created.id}`, {
        token: t.adminToken,
        body: { name: '  Renamed  ', description: 'second' },
      });
      expect(response.status).toBe(200);
      const { token: _token, name: _name, description: _description, ...rest } = created;
      expect(response.body).toMatchObject({ ...rest, name: 'Renamed', description: 'second' });
      expect(await get(created.id)).toMatchObject({ name: 'Renamed', description: 'second' });
      expect((await verify(t, created.token)).valid).toBe(true);
    });

    it('clears a description with null and keeps the name when only the description is sent', async () => {
      const created = await createToken(t, { description: 'to be cleared' });
      const response = await t.api('PATCH', `/api/tokens/${created.id}`, {
        token: t.adminToken,
        body: { description: null },
      });
      expect(response.body).toMatchObject({ name: created.name, description: null });
    });

    it.each([
      ['body', {}],
      ['name', { name: '' }],
      ['name', { name: '   ' }],
      ['name', { name: 'n'.repeat(101) }],
      ['permissions', { permissions: ['users:write'] }],
      ['expiresAt', { expiresAt: '2026-06-01' }],
    ])('refuses a bad change naming %s, and changes nothing', async (field, body) => {
      const created = await createToken(t, {});
      const response = await t.api('PATCH', `/api/tokens/${created.id}`, { token: t.adminToken, body });
      expectError(response, 400, 'VALIDATION_FAILED', field);
      const { token: _token, ...settings } = created;
      expect(await get(created.id)).toMatchObject(settings);
    });

    it('answers 404 for an unknown token and for a member changing someone else\u2019s', async () => {
      expectError(
        await t.api('PATCH', `/api/tokens/${MISSING}`, { token: t.adminToken, body: { name: 'x' } }),
        404,
        'TOKEN_NOT_FOUND',
      );
      const member = await createUser(t);
      const admins = await createToken(t, {});
      const response = await t.api('PATCH', `/api/tokens/${admins.id}`, {
        token: member.session,
        body: { name: 'mine now' },
      });
      expectError(response, 404, 'TOKEN_NOT_FOUND');
      expect((await get(admins.id)).name).toBe(admins.name);
    });
  });

  describe('DELETE /api/tokens/{id}', () => {
    it('revokes: 204, the row stays with status revoked, and the token is refused', async () => {
      const created = await createToken(t, {});
      const response = await t.api('DELETE', `/api/tokens/${created.id}`, { token: t.adminToken });
      expect(response.status).toBe(204);
      expect(response.body).toBeNull();
      expect(await get(created.id)).toMatchObject({
        id: created.id,
        status: 'revoked',
        revokedAt: new Date(t.clock.now()).toISOString(),
      });
      expect(await verify(t, created.token)).toMatchObject({ valid: false, code: 'TOKEN_REVOKED' });
    });

    it('is idempotent: a second DELETE is 204 and changes nothing', async () => {
      const created = await createToken(t, {});
      await t.api('DELETE', `/api/tokens/${created.id}`, { token: t.adminToken });
      const revokedAt = (await get(created.id)).revokedAt;
      t.clock.advance(60_000);
      expect((await t.api('DELETE', `/api/tokens/${created.id}`, { token: t.adminToken })).status).toBe(204);
      expect((await get(created.id)).revokedAt).toBe(revokedAt);
      expect(await revokeAudits(created.id)).toHaveLength(1);
    });

    it('is safe under concurrent DELETEs of the same token: both 204, one revocation', async () => {
      const created = await createToken(t, {});
      const responses = await Promise.all(
        Array.from({ length: 4 }, () =>
          t.api('DELETE', `/api/tokens/${created.id}`, { token: t.adminToken }),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual([204, 204, 204, 204]);
      expect((await get(created.id)).status).toBe('revoked');
      expect(await revokeAudits(created.id)).toHaveLength(1);
      expect(await verify(t, created.token)).toMatchObject({ valid: false, code: 'TOKEN_REVOKED' });
    });

    it('lets a member revoke their own token but not somebody else\u2019s (404)', async () => {
      const member = await createUser(t);
      const own = await createToken(t, {}, member.session);
      expect((await t.api('DELETE', `/api/tokens/${own.id}`, { token: member.session })).status).toBe(204);
      const admins = await createToken(t, {});
      expectError(
        await t.api('DELETE', `/api/tokens/${admins.id}`, { token: member.session }),
        404,
        'TOKEN_NOT_FOUND',
      );
      expect((await verify(t, admins.token)).valid).toBe(true);
    });

    it('answers 404 for an unknown id and 400 naming id for a malformed one', async () => {
      expectError(
        await t.api('DELETE', `/api/tokens/${MISSING}`, { token: t.adminToken }),
        404,
        'TOKEN_NOT_FOUND',
      );
      expectError(
        await t.api('DELETE', '/api/tokens/123', { token: t.adminToken }),
        400,
        'VALIDATION_FAILED',
        'id',
      );
    });
  });

  describe('POST /api/tokens/_revoke', () => {
    it('revokes many at once and returns how many were active', async () => {
      const a = await createToken(t, {});
      const b = await createToken(t, {});
      const c = await createToken(t, {});
      const already = await createToken(t, {});
      await t.api('DELETE', `/api/tokens/${already.id}`, { token: t.adminToken });
      const response = await t.api('POST', '/api/tokens/_revoke', {
        token: t.adminToken,
        body: { ids: [a.id, b.id, c.id, a.id, already.id, MISSING] },
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ revoked: 3 });
      for (const token of [a, b, c, already]) {
        expect(await verify(t, token.token)).toMatchObject({ valid: false, code: 'TOKEN_REVOKED' });
        expect((await get(token.id)).status).toBe('revoked');
      }
    });

    it('revokes nothing of another user for a member, and counts only their own', async () => {
      const member = await createUser(t);
      const own = await createToken(t, {}, member.session);
      const admins = await createToken(t, {});
      const response = await t.api('POST', '/api/tokens/_revoke', {
        token: member.session,
        body: { ids: [own.id, admins.id] },
      });
      expect(response.body).toEqual({ revoked: 1 });
      expect((await verify(t, admins.token)).valid).toBe(true);
      expect(await verify(t, own.token)).toMatchObject({ valid: false, code: 'TOKEN_REVOKED' });
    });

    it.each([
      ['ids', () => ({})],
      ['ids', () => ({ ids: [] })],
      ['ids[1]', (id: string) => ({ ids: [id, 'nope'] })],
      ['ids', (id: string) => ({ ids: id })],
      ['all', (id: string) => ({ ids: [id], all: true })],
    ])('refuses a bad body naming %s, and revokes nothing', async (field, body) => {
      const bystander = await createToken(t, {});
      const before = await rowCounts(t);
      const response = await t.api('POST', '/api/tokens/_revoke', {
        token: t.adminToken,
        body: body(bystander.id),
      });
      expectError(response, 400, 'VALIDATION_FAILED', field);
      expect(await rowCounts(t)).toEqual(before);
      expect((await verify(t, bystander.token)).valid).toBe(true);
    });

    it('refuses more than 1000 ids', async () => {
      const ids = Array.from({ length: 1001 }, () => MISSING);
      expectError(
        await t.api('POST', '/api/tokens/_revoke', { token: t.adminToken, body: { ids } }),
        400,
        'VALIDATION_FAILED',
        'ids',
      );
    });
  });
});
