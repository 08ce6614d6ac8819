import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/core/principal.ts';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { createEntry, createToken, createUser, expectError, PASSWORD, verify } from './token-fixtures.ts';

describe.each(DIALECTS)('tenant isolation of tokens on %s', (dialect) => {
  let t: TestServer;
  /** A session of acme's admin. */
  let acme: string;
  /** A retrievable token of the default tenant that acme must not reach. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely
  let theirs: any;

  beforeAll(async () => {
    t = await startTestServer(dialect);
    const { tessera } = t.server;
    await tessera.store.tenants.ensure('acme', 'Acme', Date.now());
    await tessera.users.createAs(cliActor('acme'), { username: 'boss', password: PASSWORD, role: 'admin' });
    await tessera.users.createAs(cliActor('acme'), { username: 'worker', password: PASSWORD });
    const login = await t.api('POST', '/api/auth/login', {
      body: { tenant: 'acme', username: 'boss', password: PASSWORD },
    });
    expect(login.status).toBe(200);
    expect(login.body.user.tenantId).toBe('acme');
    acme = login.body.token;
    theirs = await createToken(t, { retrievable: true, description: 'default tenant' });
  });
  afterAll(() => t?.close());

  const unchanged = async () => {
    const view = await t.api('GET', `/api/tokens/${theirs.id}`, { token: t.adminToken });
    expect(view.body).toMatchObject({
      name: theirs.name,
      description: 'default tenant',
      status: 'active',
      tenantId: 'default',
    });
    expect(await verify(t, theirs.token)).toMatchObject({ valid: true, tenantId: 'default' });
  };

  it('hides another tenant\u2019s token: GET, PATCH, DELETE, _rotate and _reveal answer 404, not 403', async () => {
    const id = theirs.id;
    expectError(await t.api('GET', `/api/tokens/${id}`, { token: acme }), 404, 'TOKEN_NOT_FOUND');
    expectError(
      await t.api('PATCH', `/api/tokens/${id}`, { token: acme, body: { description: 'mine' } }),
      404,
      'TOKEN_NOT_FOUND',
    );
    expectError(await t.api('DELETE', `/api/tokens/${id}`, { token: acme }), 404, 'TOKEN_NOT_FOUND');
    expectError(await t.api('POST', `/api/tokens/${id}/_rotate`, { token: acme }), 404, 'TOKEN_NOT_FOUND');
    expectError(await t.api('POST', `/api/tokens/${id}/_reveal`, { token: acme }), 404, 'TOKEN_NOT_FOUND');
    expectError(await t.api('DELETE', `/api/me/tokens/${id}`, { token: acme }), 404, 'TOKEN_NOT_FOUND');
    await unchanged();
  });

  it('does not count or revoke another tenant\u2019s tokens in _revoke', async () => {
    const own = await createToken(t, {}, acme);
    const response = await t.api('POST', '/api/tokens/_revoke', {
      token: acme,
      body: { ids: [theirs.id, own.id] },
    });
    expect(response.body).toEqual({ revoked: 1 });
    await unchanged();
  });

  it('lists only its own tenant\u2019s tokens, sessions included', async () => {
    const own = await createToken(t, {}, acme);
    for (const query of [
      '',
      '?kind=ses',
      '?kind=api',
      `?q=${encodeURIComponent(theirs.name)}`,
      '?userId=1',
    ]) {
      const response = await t.api('GET', `/api/tokens${query}`, { token: acme });
      expect(response.status).toBe(200);
      expect(
        response.body.items.every((i: { tenantId: string }) => i.tenantId === 'acme'),
        query,
      ).toBe(true);
    }
    const all = await t.api('GET', '/api/tokens', { token: acme });
    expect(all.body.items.map((i: { id: string }) => i.id)).toContain(own.id);
    const defaults = await t.api('GET', '/api/tokens', { token: t.adminToken });
    expect(defaults.body.items.map((i: { id: string }) => i.id)).not.toContain(own.id);
  });

  it('refuses users, departments and user types of another tenant when creating a token', async () => {
    const member = await createUser(t);
    const department = await createEntry(t, 'departments');
    const userType = await createEntry(t, 'user-types');
    const post = (body: Record<string, unknown>) =>
      t.api('POST', '/api/tokens', {
        token: acme,
        body: { name: 'x', permissions: ['reports:read'], ...body },
      });
    expectError(await post({ userId: member.id }), 400, 'VALIDATION_FAILED', 'userId');
    expectError(await post({ departmentId: department }), 400, 'VALIDATION_FAILED', 'departmentId');
    expectError(await post({ userTypeId: userType }), 400, 'VALIDATION_FAILED', 'userTypeId');
  });

  it('issues tokens of its own tenant, which verify as such and fail a check for another tenant', async () => {
    const own = await createToken(t, {}, acme);
    expect(own.tenantId).toBe('acme');
    expect(await verify(t, own.token)).toMatchObject({ valid: true, tenantId: 'acme' });
    expect(await verify(t, own.token, { tenantId: 'default' })).toMatchObject({
      valid: false,
      code: 'TENANT_DENIED',
    });
    expect(await verify(t, own.token, { tenantId: 'acme' })).toMatchObject({ valid: true });
  });

  it('keeps the default tenant\u2019s admin out of acme\u2019s tokens too', async () => {
    const own = await createToken(t, {}, acme);
    expectError(await t.api('GET', `/api/tokens/${own.id}`, { token: t.adminToken }), 404, 'TOKEN_NOT_FOUND');
    expect(
      (await t.api('POST', '/api/tokens/_revoke', { token: t.adminToken, body: { ids: [own.id] } })).body,
    ).toEqual({ revoked: 0 });
    expect((await verify(t, own.token)).valid).toBe(true);
  });

  it('does not sign in a user of one tenant into another', async () => {
    const wrong = await t.api('POST', '/api/auth/login', {
      body: { tenant: 'default', username: 'boss', password: PASSWORD },
    });
    expectError(wrong, 401, 'INVALID_CREDENTIALS');
  });
});
