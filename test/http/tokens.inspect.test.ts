import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { createReport } from './report-fixtures.ts';
import { createEntry, createToken, createUser, expectError, iso, verify } from './token-fixtures.ts';

describe.each(DIALECTS)('GET /api/tokens/{id} (inspect) on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    // A `report:` binding names a report that exists.
    await createReport(t, { id: 'team:sales-dashboard' });
  });
  afterAll(() => t?.close());

  it('shows settings, associated user, department, user type, and no usage for a new token', async () => {
    const department = await createEntry(t, 'departments');
    const userType = await createEntry(t, 'user-types');
    const member = await createUser(t, {
      fullName: 'Mia Member',
      email: 'mia@example.com',
      departmentId: department,
      userTypeId: userType,
    });
    const created = await createToken(t, {
      userId: member.id,
      description: 'for the reporting job',
      permissions: ['subscription:execute', 'reports:read'],
      resources: ['report:team:sales-dashboard'],
    });
    const response = await t.api('GET', `/api/tokens/${created.id}`, { token: t.adminToken });
    expect(response.status).toBe(200);
    const { token: _token, ...settings } = created;
    expect(response.body).toMatchObject({
      ...settings,
      lastUsedAt: null,
      lastUsedIp: null,
      useCount: 0,
      user: { id: member.id, username: member.username, fullName: 'Mia Member', email: 'mia@example.com' },
    });
    const departments = await t.api('GET', `/api/departments/${department}`, { token: t.adminToken });
    const userTypes = await t.api('GET', `/api/user-types/${userType}`, { token: t.adminToken });
    expect(response.body.department).toEqual({ id: department, name: departments.body.name });
    expect(response.body.userType).toEqual({ id: userType, name: userTypes.body.name });
    expect(response.body).not.toHaveProperty('token');
    expect(JSON.stringify(response.body)).not.toContain(created.token);
  });

  it('describes how to use the token, with ready curl commands for its permission and resource', async () => {
    const created = await createToken(t, {
      permissions: ['semantic-model:refresh'],
      resources: ['report:team:sales-dashboard'],
    });
    const { body } = await t.api('GET', `/api/tokens/${created.id}`, { token: t.adminToken });
    expect(body.usage.text).toContain('Authorization: Bearer');
    expect(body.usage.text).toContain('semantic-model:refresh');
    expect(body.usage.text).toContain(`${t.url}/api/verify`);
    const curls = body.usage.examples.filter((e: string) => e.startsWith('curl '));
    expect(curls.length).toBeGreaterThanOrEqual(1);
    const post = curls.find((e: string) => e.includes('-X POST'));
    expect(post).toContain(`${t.url}/api/verify`);
    expect(post).toContain('semantic-model:refresh');
    expect(post).toContain('report:team:sales-dashboard');
    expect(body.usage.examples.join('\n')).not.toContain(created.token);
  });

  it('shows lastUsedAt, lastUsedIp and useCount after verifications and a usage flush', async () => {
    const created = await createToken(t, {});
    t.clock.advance(5000);
    await verify(t, created.token);
    t.clock.advance(5000);
    await verify(t, created.token, { permission: 'subscription:execute' });
    const usedAt = t.clock.now();
    await t.api('GET', '/api/verify', { token: created.token });
    // A refused verification is not a use.
    await verify(t, created.token, { permission: 'users:write' });
    await t.server.tessera.usage.flush();
    const { body } = await t.api('GET', `/api/tokens/${created.id}`, { token: t.adminToken });
    expect(body).toMatchObject({ useCount: 3, lastUsedAt: iso(usedAt), lastUsedIp: '127.0.0.1' });

    // Later uses add up over several flushes.
    t.clock.advance(1000);
    await verify(t, created.token);
    await t.server.tessera.usage.flush();
    const again = await t.api('GET', `/api/tokens/${created.id}`, { token: t.adminToken });
    expect(again.body).toMatchObject({ useCount: 4, lastUsedAt: iso(t.clock.now()) });
  });

  it('counts usage not flushed yet, without counting it twice once flushed', async () => {
    const created = await createToken(t, {});
    await verify(t, created.token);
    await verify(t, created.token);
    const before = await t.api('GET', `/api/tokens/${created.id}`, { token: t.adminToken });
    expect(before.body.useCount).toBe(2);
    await t.server.tessera.usage.flush();
    const after = await t.api('GET', `/api/tokens/${created.id}`, { token: t.adminToken });
    expect(after.body.useCount).toBe(2);
  });

  it('lets a member inspect their own token but not somebody else\u2019s (404, not 403)', async () => {
    const member = await createUser(t);
    const own = await createToken(t, {}, member.session);
    expect((await t.api('GET', `/api/tokens/${own.id}`, { token: member.session })).status).toBe(200);
    const admins = await createToken(t, {});
    expectError(
      await t.api('GET', `/api/tokens/${admins.id}`, { token: member.session }),
      404,
      'TOKEN_NOT_FOUND',
    );
  });

  it('answers 404 TOKEN_NOT_FOUND for an unknown id and 400 naming id for a malformed one', async () => {
    expectError(
      await t.api('GET', '/api/tokens/00000000-0000-4000-8000-000000000000', { token: t.adminToken }),
      404,
      'TOKEN_NOT_FOUND',
    );
    expectError(
      await t.api('GET', '/api/tokens/not-a-uuid', { token: t.adminToken }),
      400,
      'VALIDATION_FAILED',
      'id',
    );
    expectError(
      await t.api('GET', "/api/tokens/1'%20or%201=1", { token: t.adminToken }),
      400,
      'VALIDATION_FAILED',
      'id',
    );
  });
});
