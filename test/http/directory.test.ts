import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { createToken, createUser, expectError, memberSession } from './fixtures.ts';

const DAY = 24 * 60 * 60 * 1000;

/** Departments and user types share one contract; each runs the same suite. */
const KINDS = [
  { base: '/api/departments', field: 'departmentId', notFound: 'DEPARTMENT_NOT_FOUND' },
  { base: '/api/user-types', field: 'userTypeId', notFound: 'USER_TYPE_NOT_FOUND' },
] as const;

describe.each(DIALECTS)('directory on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.close());

  describe.each(KINDS)('$base', ({ base, field, notFound }) => {
    const admin = (method: string, path: string, body?: unknown) =>
      t.api(method, path, { token: t.adminToken, ...(body === undefined ? {} : { body }) });
    let counter = 0;
    const create = async (name = `entry-${++counter}`) => {
      const response = await admin('POST', base, { name, description: `About ${name}` });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      return response.body;
    };

    it('creates, lists, reads, updates and deletes an entry', async () => {
      const created = await admin('POST', base, { name: 'Sales', description: 'The sales team' });
      expect(created.status).toBe(201);
      expect(Number.isInteger(created.body.id)).toBe(true);
      expect(created.body).toMatchObject({
        name: 'Sales',
        description: 'The sales team',
        tenantId: 'default',
      });

      const list = await admin('GET', base);
      expect(list.status).toBe(200);
      expect(list.body.items).toContainEqual(created.body);
      expect((await admin('GET', `${base}/${created.body.id}`)).body).toEqual(created.body);

      const renamed = await admin('PATCH', `${base}/${created.body.id}`, {
        name: 'Sales EMEA',
        description: null,
      });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ id: created.body.id, name: 'Sales EMEA', description: null });
      expect((await admin('GET', `${base}/${created.body.id}`)).body.name).toBe('Sales EMEA');

      expect((await admin('DELETE', `${base}/${created.body.id}`)).status).toBe(204);
      expectError(await admin('GET', `${base}/${created.body.id}`), 404, notFound);
      expect((await admin('GET', base)).body.items.map((e: { id: number }) => e.id)).not.toContain(
        created.body.id,
      );
    });

    it('refuses a name that is taken, on create and on rename, with 409 NAME_TAKEN', async () => {
      const first = await create('Finance');
      expectError(await admin('POST', base, { name: 'Finance' }), 409, 'NAME_TAKEN', 'name');
      const second = await create('Legal');
      expectError(
        await admin('PATCH', `${base}/${second.id}`, { name: 'Finance' }),
        409,
        'NAME_TAKEN',
        'name',
      );
      // Renaming an entry to its own name is not a clash.
      expect((await admin('PATCH', `${base}/${first.id}`, { name: 'Finance' })).status).toBe(200);
      expect((await admin('GET', `${base}/${second.id}`)).body.name).toBe('Legal');
    });

    it('answers 404 with its own code for an unknown id', async () => {
      expectError(await admin('GET', `${base}/99999`), 404, notFound);
      expectError(await admin('PATCH', `${base}/99999`, { name: 'x' }), 404, notFound);
      expectError(await admin('DELETE', `${base}/99999`), 404, notFound);
    });

    it('refuses bad input with 400 naming the field', async () => {
      expectError(await admin('POST', base, {}), 400, 'VALIDATION_FAILED', 'name');
      expectError(await admin('POST', base, { name: '' }), 400, 'VALIDATION_FAILED', 'name');
      expectError(await admin('POST', base, { name: '   ' }), 400, 'VALIDATION_FAILED', 'name');
      expectError(await admin('POST', base, { name: 'x'.repeat(101) }), 400, 'VALIDATION_FAILED', 'name');
      expectError(
        await admin('POST', base, { name: 'ok', colour: 'red' }),
        400,
        'VALIDATION_FAILED',
        'colour',
      );
      expectError(await admin('GET', `${base}/abc`), 400, 'VALIDATION_FAILED', 'id');
    });

    it('refuses to delete an entry a user is assigned to (409 IN_USE), and allows it once unassigned', async () => {
      const entry = await create();
      const user = await createUser(t, { username: `holder-${field}-${entry.id}`, [field]: entry.id });
      expect(user[field]).toBe(entry.id);
      expectError(await admin('DELETE', `${base}/${entry.id}`), 409, 'IN_USE');
      expect((await admin('GET', `${base}/${entry.id}`)).status).toBe(200);

      expect((await admin('PATCH', `/api/users/${user.id}`, { [field]: null })).status).toBe(200);
      expect((await admin('DELETE', `${base}/${entry.id}`)).status).toBe(204);
    });

    it('refuses to delete an entry an active token is bound to, and allows it once the token is revoked', async () => {
      const entry = await create();
      const token = await createToken(t, { permissions: ['subscription:execute'], [field]: entry.id });
      expect(token[field]).toBe(entry.id);
      expectError(await admin('DELETE', `${base}/${entry.id}`), 409, 'IN_USE');

      expect((await admin('DELETE', `/api/tokens/${token.id}`)).status).toBe(204);
      expect((await admin('DELETE', `${base}/${entry.id}`)).status).toBe(204);
    });

    it('allows deleting an entry whose only token has expired', async () => {
      const entry = await create();
      await createToken(t, { permissions: ['subscription:execute'], [field]: entry.id, expiresInDays: 1 });
      expectError(await admin('DELETE', `${base}/${entry.id}`), 409, 'IN_USE');
      t.clock.advance(DAY + 1000);
      // The admin's session may have lapsed with the clock; sign in again.
      t.adminToken = await t.login('admin', ADMIN_PASSWORD);
      expect((await admin('DELETE', `${base}/${entry.id}`)).status).toBe(204);
    });

    it('is for admins only: a member gets 403', async () => {
      const entry = await create();
      const { token } = await memberSession(t, `member-${field}`);
      for (const [method, path, body] of [
        ['GET', base, undefined],
        ['POST', base, { name: 'By a member' }],
        ['GET', `${base}/${entry.id}`, undefined],
        ['PATCH', `${base}/${entry.id}`, { name: 'Renamed by a member' }],
        ['DELETE', `${base}/${entry.id}`, undefined],
      ] as const) {
        expectError(await t.api(method, path, { token, ...(body ? { body } : {}) }), 403, 'FORBIDDEN');
      }
      expect((await admin('GET', `${base}/${entry.id}`)).body.name).toBe(entry.name);
      expect((await admin('GET', base)).body.items.map((e: { name: string }) => e.name)).not.toContain(
        'By a member',
      );
    });
  });
});
