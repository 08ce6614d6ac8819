import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { createReport } from './report-fixtures.ts';
import { createEntry, createToken, createUser, expectError, verify } from './token-fixtures.ts';

describe.each(DIALECTS)('verification checks permission, resource and bindings on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    // A `report:` binding names a report that exists.
    for (const id of ['team:sales-dashboard', 'team:a']) await createReport(t, { id });
  });
  afterAll(() => t?.close());

  it('PERMISSION_DENIED for a permission the token does not carry', async () => {
    const created = await createToken(t, { permissions: ['subscription:execute'] });
    expect((await verify(t, created.token, { permission: 'subscription:execute' })).valid).toBe(true);
    for (const permission of ['semantic-model:refresh', 'subscription:*', '*', 'no-such:thing']) {
      expect(await verify(t, created.token, { permission }), permission).toMatchObject({
        valid: false,
        code: 'PERMISSION_DENIED',
      });
    }
  });

  it('RESOURCE_DENIED for a resource the token is not bound to; an unbound token may touch any', async () => {
    const bound = await createToken(t, { resources: ['report:team:sales-dashboard'] });
    expect((await verify(t, bound.token, { resource: 'report:team:sales-dashboard' })).valid).toBe(true);
    for (const resource of ['report:team:hr-dashboard', 'report:team:sales-dashboard-2', 'report:team']) {
      expect(await verify(t, bound.token, { resource }), resource).toMatchObject({
        valid: false,
        code: 'RESOURCE_DENIED',
      });
    }
    const unbound = await createToken(t, {});
    expect((await verify(t, unbound.token, { resource: 'report:team:hr-dashboard' })).valid).toBe(true);
  });

  it('lets a binding ending in :* cover the resources under it', async () => {
    const created = await createToken(t, { resources: ['report:team:*'] });
    expect((await verify(t, created.token, { resource: 'report:team:sales' })).valid).toBe(true);
    expect(await verify(t, created.token, { resource: 'report:other:sales' })).toMatchObject({
      valid: false,
      code: 'RESOURCE_DENIED',
    });
  });

  it('checks the permission and the resource together', async () => {
    const created = await createToken(t, { permissions: ['reports:read'], resources: ['report:team:a'] });
    expect(
      (await verify(t, created.token, { permission: 'reports:read', resource: 'report:team:a' })).valid,
    ).toBe(true);
    expect(
      (await verify(t, created.token, { permission: 'reports:read', resource: 'report:team:b' })).code,
    ).toBe('RESOURCE_DENIED');
    expect(
      (await verify(t, created.token, { permission: 'subscription:execute', resource: 'report:team:a' }))
        .code,
    ).toBe('PERMISSION_DENIED');
  });

  it('DEPARTMENT_DENIED and USER_TYPE_DENIED for a token bound to another department or user type', async () => {
    const sales = await createEntry(t, 'departments');
    const hr = await createEntry(t, 'departments');
    const staff = await createEntry(t, 'user-types');
    const guest = await createEntry(t, 'user-types');
    const created = await createToken(t, { departmentId: sales, userTypeId: staff });
    expect(await verify(t, created.token, { departmentId: sales, userTypeId: staff })).toMatchObject({
      valid: true,
      departmentId: sales,
      userTypeId: staff,
    });
    expect(await verify(t, created.token, { departmentId: hr })).toMatchObject({
      valid: false,
      code: 'DEPARTMENT_DENIED',
    });
    expect(await verify(t, created.token, { userTypeId: guest })).toMatchObject({
      valid: false,
      code: 'USER_TYPE_DENIED',
    });
    const get = await t.api('GET', `/api/verify?departmentId=${hr}`, { token: created.token });
    expect(get.body).toMatchObject({ valid: false, code: 'DEPARTMENT_DENIED' });
  });

  it('takes away a permission from a demoted user\u2019s tokens at once', async () => {
    const member = await createUser(t, {
      permissions: ['subscription:execute', 'semantic-model:refresh', 'tokens:manage'],
    });
    const created = await createToken(t, {
      userId: member.id,
      permissions: ['subscription:execute', 'semantic-model:refresh'],
    });
    expect((await verify(t, created.token, { permission: 'semantic-model:refresh' })).valid).toBe(true);
    const patched = await t.api('PATCH', `/api/users/${member.id}`, {
      token: t.adminToken,
      body: { permissions: ['subscription:execute', 'tokens:manage'] },
    });
    expect(patched.status).toBe(200);
    expect(await verify(t, created.token, { permission: 'semantic-model:refresh' })).toMatchObject({
      valid: false,
      code: 'PERMISSION_DENIED',
    });
    const still = await verify(t, created.token, { permission: 'subscription:execute' });
    expect(still).toMatchObject({ valid: true, permissions: ['subscription:execute'] });
    // Given back, the permission returns: the token itself was never changed.
    await t.api('PATCH', `/api/users/${member.id}`, {
      token: t.adminToken,
      body: { permissions: ['subscription:execute', 'semantic-model:refresh', 'tokens:manage'] },
    });
    expect((await verify(t, created.token, { permission: 'semantic-model:refresh' })).valid).toBe(true);
  });

  it('takes away an admin\u2019s management rights from their tokens when the role goes to member', async () => {
    const second = await createUser(t, { role: 'admin' });
    const created = await createToken(t, { permissions: ['users:read', 'tokens:manage'] }, second.session);
    expect((await t.api('GET', '/api/users', { token: created.token })).status).toBe(200);
    const patched = await t.api('PATCH', `/api/users/${second.id}`, {
      token: t.adminToken,
      body: { role: 'member' },
    });
    expect(patched.status).toBe(200);
    expect(await verify(t, created.token, { permission: 'users:read' })).toMatchObject({
      valid: false,
      code: 'PERMISSION_DENIED',
    });
    expectError(await t.api('GET', '/api/users', { token: created.token }), 403, 'FORBIDDEN');
  });

  it('stops a deleted user\u2019s tokens and sessions from working', async () => {
    const member = await createUser(t);
    const api = await createToken(t, { userId: member.id });
    const pat = (await t.api('POST', '/api/me/tokens', { token: member.session, body: { name: 'p' } })).body;
    for (const token of [api.token, pat.token]) expect((await verify(t, token)).valid).toBe(true);
    expect((await t.api('DELETE', `/api/users/${member.id}`, { token: t.adminToken })).status).toBe(204);
    for (const token of [api.token, pat.token, member.session]) {
      expect((await verify(t, token)).valid).toBe(false);
    }
    expectError(await t.api('GET', '/api/me/tokens', { token: member.session }), 401, 'UNAUTHENTICATED');
    expect((await t.api('GET', `/api/tokens/${api.id}`, { token: t.adminToken })).body.status).toBe(
      'revoked',
    );
  });
});
