import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { createToken, createUser, expectError, MEMBER_PASSWORD, memberSession } from './fixtures.ts';

const MEMBER_DEFAULTS = ['subscription:execute', 'semantic-model:refresh', 'reports:read', 'tokens:manage'];

describe.each(DIALECTS)('users (/api/users) on %s', (dialect) => {
  let t: TestServer;
  let adminId: number;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    adminId = (await t.api('GET', '/api/me', { token: t.adminToken })).body.id;
  });
  afterAll(() => t?.close());

  const admin = (method: string, path: string, body?: unknown) =>
    t.api(method, path, { token: t.adminToken, ...(body === undefined ? {} : { body }) });

  describe('happy path', () => {
    it('creates a user with integer id, lower-cased username and the role default permissions', async () => {
      const created = await admin('POST', '/api/users', {
        username: 'Alice.Smith',
        email: 'alice@example.com',
        fullName: 'Alice Smith',
        role: 'member',
        password: MEMBER_PASSWORD,
      });
      expect(created.status).toBe(201);
      expect(Number.isInteger(created.body.id)).toBe(true);
      expect(created.body).toMatchObject({
        username: 'alice.smith',
        email: 'alice@example.com',
        fullName: 'Alice Smith',
        role: 'member',
        permissions: null,
        departmentId: null,
        userTypeId: null,
      });
      expect([...created.body.effectivePermissions].sort()).toEqual([...MEMBER_DEFAULTS].sort());
      expect(created.body).not.toHaveProperty('password');
      expect(created.body).not.toHaveProperty('passwordHash');

      const read = await admin('GET', `/api/users/${created.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);
      const list = await admin('GET', '/api/users');
      expect(list.status).toBe(200);
      expect(list.body.items.map((u: { username: string }) => u.username)).toContain('alice.smith');
    });

    it('gives an admin every permission by default, and keeps an explicit list when one is given', async () => {
      const boss = await createUser(t, { username: 'boss', role: 'admin' });
      expect(boss.effectivePermissions).toEqual(['*']);
      const narrow = await createUser(t, { username: 'narrow', permissions: ['reports:read'] });
      expect(narrow).toMatchObject({
        role: 'member',
        permissions: ['reports:read'],
        effectivePermissions: ['reports:read'],
      });
    });

    it('signs in the new user with any case of the username', async () => {
      await createUser(t, { username: 'casey' });
      expect(
        (await t.api('POST', '/api/auth/login', { body: { username: 'CaSeY', password: MEMBER_PASSWORD } }))
          .status,
      ).toBe(200);
    });

    it('lists users page by page with a cursor, and filters by text and role', async () => {
      for (let i = 0; i < 3; i++) await createUser(t, { username: `pager-${i}`, fullName: `Pager ${i}` });
      const all = (await admin('GET', '/api/users?limit=200')).body.items.map((u: { id: number }) => u.id);
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page = await admin(
          'GET',
          `/api/users?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((u: { id: number }) => u.id));
        cursor = page.body.nextCursor;
      } while (cursor && seen.length <= all.length);
      expect(seen).toEqual(all);

      const found = await admin('GET', '/api/users?q=pager-1');
      expect(found.body.items.map((u: { username: string }) => u.username)).toEqual(['pager-1']);
      const admins = await admin('GET', '/api/users?role=admin');
      expect(admins.body.items.every((u: { role: string }) => u.role === 'admin')).toBe(true);
      expectError(await admin('GET', '/api/users?cursor=not-a-cursor'), 400, 'INVALID_CURSOR');
    });

    it('updates a user and keeps the change', async () => {
      const user = await createUser(t, { username: 'changeme' });
      const patched = await admin('PATCH', `/api/users/${user.id}`, {
        fullName: 'Changed',
        email: 'c@example.com',
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        fullName: 'Changed',
        email: 'c@example.com',
        username: 'changeme',
      });
      expect((await admin('GET', `/api/users/${user.id}`)).body).toMatchObject({ fullName: 'Changed' });
    });

    it('sets a new password for a user: it signs in with it', async () => {
      const user = await createUser(t, { username: 'reset' });
      expect((await admin('PATCH', `/api/users/${user.id}`, { password: 'set by the admin' })).status).toBe(
        200,
      );
      expect(
        (
          await t.api('POST', '/api/auth/login', {
            body: { username: 'reset', password: 'set by the admin' },
          })
        ).status,
      ).toBe(200);
      expect(
        (await t.api('POST', '/api/auth/login', { body: { username: 'reset', password: MEMBER_PASSWORD } }))
          .status,
      ).toBe(401);
    });

    it('takes permissions away from the user’s tokens at once', async () => {
      const user = await createUser(t, {
        username: 'demoted',
        permissions: ['subscription:execute', 'reports:read'],
      });
      const token = await createToken(t, { userId: user.id, permissions: ['subscription:execute'] });
      const verify = () =>
        t.api('POST', '/api/verify', { body: { token: token.token, permission: 'subscription:execute' } });
      expect((await verify()).body).toMatchObject({ valid: true });
      expect((await admin('PATCH', `/api/users/${user.id}`, { permissions: ['reports:read'] })).status).toBe(
        200,
      );
      expect((await verify()).body).toMatchObject({ valid: false, code: 'PERMISSION_DENIED' });
    });

    it('deletes a user: their API tokens and sessions stop working and the user is gone', async () => {
      const { user, token: session } = await memberSession(t, 'leaver');
      const token = await createToken(t, { userId: user.id, permissions: ['subscription:execute'] });
      expect((await t.api('POST', '/api/verify', { body: { token: token.token } })).body.valid).toBe(true);

      expect((await admin('DELETE', `/api/users/${user.id}`)).status).toBe(204);

      expect((await t.api('POST', '/api/verify', { body: { token: token.token } })).body).toMatchObject({
        valid: false,
      });
      expectError(await t.api('GET', '/api/me', { token: session }), 401, 'UNAUTHENTICATED');
      expect((await admin('GET', `/api/tokens/${token.id}`)).body.status).toBe('revoked');
      expectError(await admin('GET', `/api/users/${user.id}`), 404, 'USER_NOT_FOUND');
      expectError(await admin('DELETE', `/api/users/${user.id}`), 404, 'USER_NOT_FOUND');
      expect(
        (await t.api('POST', '/api/auth/login', { body: { username: 'leaver', password: MEMBER_PASSWORD } }))
          .status,
      ).toBe(401);
    });
  });

  describe('errors', () => {
    it('refuses a taken username, in any case, with 409 USERNAME_TAKEN', async () => {
      await createUser(t, { username: 'taken' });
      expectError(
        await admin('POST', '/api/users', { username: 'TAKEN', password: MEMBER_PASSWORD }),
        409,
        'USERNAME_TAKEN',
        'username',
      );
      const other = await createUser(t, { username: 'other' });
      expectError(
        await admin('PATCH', `/api/users/${other.id}`, { username: 'Taken' }),
        409,
        'USERNAME_TAKEN',
        'username',
      );
    });

    it('never leaves the tenant without an admin: the last one cannot be demoted or deleted', async () => {
      const admins = await admin('GET', '/api/users?role=admin');
      for (const u of admins.body.items) if (u.id !== adminId) await admin('DELETE', `/api/users/${u.id}`);

      expectError(await admin('PATCH', `/api/users/${adminId}`, { role: 'member' }), 409, 'LAST_ADMIN');
      expectError(await admin('DELETE', `/api/users/${adminId}`), 409, 'LAST_ADMIN');
      expect((await admin('GET', '/api/me')).body.role).toBe('admin');

      // With a second admin, one of the two can step down.
      const second = await createUser(t, { username: 'second-admin', role: 'admin' });
      const demoted = await admin('PATCH', `/api/users/${second.id}`, { role: 'member' });
      expect(demoted.status).toBe(200);
      expect(demoted.body.role).toBe('member');
    });

    it('refuses bad input with 400 naming the field, and writes nothing', async () => {
      const cases: [Record<string, unknown>, string, string][] = [
        [{ username: 'bad1', email: 'not-an-email' }, 'VALIDATION_FAILED', 'email'],
        [{ username: 'bad1', nickname: 'x' }, 'VALIDATION_FAILED', 'nickname'],
        [{ username: 'bad1', role: 'superuser' }, 'VALIDATION_FAILED', 'role'],
        [{ username: 'bad1', permissions: ['nope:nothing'] }, 'UNKNOWN_PERMISSION', 'permissions'],
        [{ username: 'bad1', departmentId: 99999 }, 'VALIDATION_FAILED', 'departmentId'],
        [{ username: 'bad1', userTypeId: 99999 }, 'VALIDATION_FAILED', 'userTypeId'],
        [{ username: 'bad1', departmentId: 'sales' }, 'VALIDATION_FAILED', 'departmentId'],
        [{ username: 'bad1', password: 'short' }, 'VALIDATION_FAILED', 'password'],
        [{ username: 'has space' }, 'VALIDATION_FAILED', 'username'],
        [{ username: 'x'.repeat(101) }, 'VALIDATION_FAILED', 'username'],
        [{ email: 'a@example.com' }, 'VALIDATION_FAILED', 'username'],
      ];
      for (const [body, code, field] of cases) {
        expectError(await admin('POST', '/api/users', body), 400, code, field);
      }
      const user = await createUser(t, { username: 'bad1' });
      expectError(
        await admin('PATCH', `/api/users/${user.id}`, { permissions: ['nope:nothing'] }),
        400,
        'UNKNOWN_PERMISSION',
        'permissions',
      );
      expectError(
        await admin('PATCH', `/api/users/${user.id}`, { departmentId: 99999 }),
        400,
        'VALIDATION_FAILED',
        'departmentId',
      );
      expect((await admin('GET', `/api/users/${user.id}`)).body).toMatchObject({
        permissions: null,
        departmentId: null,
      });
    });

    it('refuses malformed JSON and a non-integer id', async () => {
      expectError(
        await t.api('POST', '/api/users', {
          token: t.adminToken,
          raw: '{"username": ',
          headers: { 'content-type': 'application/json' },
        }),
        400,
        'INVALID_JSON',
      );
      expectError(await admin('GET', '/api/users/abc'), 400, 'VALIDATION_FAILED', 'id');
      expectError(await admin('GET', '/api/users/99999'), 404, 'USER_NOT_FOUND');
      expectError(await admin('PATCH', '/api/users/99999', { fullName: 'x' }), 404, 'USER_NOT_FOUND');
    });
  });

  describe('security', () => {
    it('is for admins only: a member gets 403 on every users endpoint', async () => {
      const { user, token } = await memberSession(t, 'nosy');
      for (const [method, path, body] of [
        ['GET', '/api/users', undefined],
        ['POST', '/api/users', { username: 'sneaky', password: MEMBER_PASSWORD }],
        ['GET', `/api/users/${adminId}`, undefined],
        ['PATCH', `/api/users/${user.id}`, { role: 'admin' }],
        ['DELETE', `/api/users/${adminId}`, undefined],
      ] as const) {
        expectError(await t.api(method, path, { token, ...(body ? { body } : {}) }), 403, 'FORBIDDEN');
      }
      expect((await t.api('GET', '/api/me', { token })).body.role).toBe('member');
      expect((await admin('GET', '/api/users?q=sneaky')).body.items).toEqual([]);
    });

    it('needs users:read to list and users:write to change, even with an admin’s API token', async () => {
      const noUsers = await createToken(t, { permissions: ['subscription:execute'] });
      expectError(await t.api('GET', '/api/users', { token: noUsers.token }), 403, 'FORBIDDEN');

      const readOnly = await createToken(t, { permissions: ['users:read'] });
      expect((await t.api('GET', '/api/users', { token: readOnly.token })).status).toBe(200);
      expectError(
        await t.api('POST', '/api/users', {
          token: readOnly.token,
          body: { username: 'via-token', password: MEMBER_PASSWORD },
        }),
        403,
        'FORBIDDEN',
      );
    });
  });
});
