import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import {
  CONTRACT_FIELDS,
  type CreatedUser,
  createToken,
  createUser,
  DAY_MS,
  EXTRA_FIELDS,
  expectError,
  iso,
  rowCounts,
  verify,
} from './token-fixtures.ts';

const MEMBER_DEFAULTS = ['subscription:execute', 'semantic-model:refresh', 'reports:read', 'tokens:manage'];

describe.each(DIALECTS)('personal tokens (/api/me/tokens) on %s', (dialect) => {
  let t: TestServer;
  let member: CreatedUser;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    member = await createUser(t);
  });
  afterAll(() => t?.close());

  const create = (body: Record<string, unknown>, token = member.session) =>
    t.api('POST', '/api/me/tokens', { token, body: { name: 'laptop', ...body } });
  const mine = async (token = member.session) => {
    const response = await t.api('GET', '/api/me/tokens', { token });
    expect(response.status).toBe(200);
    return response.body.items as { id: string; kind: string; userId: number }[];
  };

  it('creates a personal token for the caller, shown once, with default permissions ["*"]', async () => {
    const response = await create({ description: 'my scripts' });
    expect(response.status).toBe(201);
    expect(Object.keys(response.body).sort()).toEqual([...CONTRACT_FIELDS, ...EXTRA_FIELDS].sort());
    expect(response.body).toMatchObject({
      kind: 'pat',
      name: 'laptop',
      description: 'my scripts',
      permissions: ['*'],
      userId: member.id,
      tenantId: 'default',
      status: 'active',
      expiresAt: iso(t.clock.now() + 30 * DAY_MS),
    });
    expect(response.body.token).toMatch(/^tsr_pat_/);
    const listed = await mine();
    expect(listed.map((i) => i.id)).toContain(response.body.id);
    expect(JSON.stringify(listed)).not.toContain(response.body.token);
  });

  it('acts with the user\u2019s own permissions: ["*"] means what the user holds, no more', async () => {
    const { body } = await create({});
    const result = await verify(t, body.token);
    expect(result).toMatchObject({ valid: true, kind: 'pat', userId: member.id });
    expect([...result.permissions].sort()).toEqual([...MEMBER_DEFAULTS].sort());
    expect((await verify(t, body.token, { permission: 'subscription:execute' })).valid).toBe(true);
    expect(await verify(t, body.token, { permission: 'users:write' })).toMatchObject({
      valid: false,
      code: 'PERMISSION_DENIED',
    });
    // It works on the management API as the user would, and no further.
    expect((await t.api('GET', '/api/me/tokens', { token: body.token })).status).toBe(200);
    expectError(await t.api('GET', '/api/users', { token: body.token }), 403, 'FORBIDDEN');
  });

  it('takes an explicit ["*"] the same as the default', async () => {
    const response = await create({ permissions: ['*'] });
    expect(response.status).toBe(201);
    expect(response.body.permissions).toEqual(['*']);
  });

  it('takes a subset of the user\u2019s permissions, and refuses more', async () => {
    const subset = await create({ permissions: ['reports:read'] });
    expect(subset.status).toBe(201);
    expect(await verify(t, subset.body.token, { permission: 'subscription:execute' })).toMatchObject({
      valid: false,
      code: 'PERMISSION_DENIED',
    });
    const before = await rowCounts(t);
    expectError(await create({ permissions: ['users:write'] }), 403, 'PERMISSION_NOT_HELD', 'permissions');
    expectError(await create({ permissions: ['reports:fly'] }), 400, 'UNKNOWN_PERMISSION', 'permissions');
    expectError(
      await create({ permissions: ['*', 'reports:read'] }),
      400,
      'VALIDATION_FAILED',
      'permissions',
    );
    expect(await rowCounts(t)).toEqual(before);
  });

  it.each([30, 60, 90])('expires %i days from now with the preset', async (days) => {
    const response = await create({ expiresInDays: days });
    expect(response.body.expiresAt).toBe(iso(t.clock.now() + days * DAY_MS));
  });

  it('takes a custom date, and refuses one in the past or beyond the maximum', async () => {
    expect((await create({ expiresAt: '2026-04-30' })).body.expiresAt).toBe('2026-04-30T23:59:59.999Z');
    expectError(await create({ expiresAt: '2025-12-01' }), 400, 'EXPIRY_IN_PAST', 'expiresAt');
    expectError(await create({ expiresAt: '2030-01-01' }), 400, 'EXPIRY_TOO_FAR', 'expiresAt');
    expectError(await create({ expiresInDays: 400 }), 400, 'EXPIRY_TOO_FAR', 'expiresInDays');
  });

  it.each([
    ['userId', { userId: 1 }],
    ['retrievable', { retrievable: true }],
    ['resources', { resources: ['report:x'] }],
    ['name', { name: 7 }],
    ['name', { name: 'n'.repeat(101) }],
  ])('refuses the field %s that a personal token does not take', async (field, body) => {
    const before = await rowCounts(t);
    expectError(await create(body), 400, 'VALIDATION_FAILED', field);
    expect(await rowCounts(t)).toEqual(before);
  });

  it('lists only the caller\u2019s personal tokens, not their API tokens nor anyone else\u2019s', async () => {
    const other = await createUser(t);
    const theirs = (await create({}, other.session)).body;
    const api = await createToken(t, {}, member.session);
    const listed = await mine();
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((i) => i.kind === 'pat' && i.userId === member.id)).toBe(true);
    expect(listed.map((i) => i.id)).not.toContain(theirs.id);
    expect(listed.map((i) => i.id)).not.toContain(api.id);
    expect((await mine(other.session)).map((i) => i.id)).toEqual([theirs.id]);
  });

  it('paginates the listing with a cursor', async () => {
    const user = await createUser(t);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await create({ name: `pat ${i}` }, user.session)).body.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const response = await t.api('GET', `/api/me/tokens?limit=2${query}`, { token: user.session });
      seen.push(...response.body.items.map((i: { id: string }) => i.id));
      cursor = response.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(ids.sort());
  });

  it('revokes the caller\u2019s own personal token with DELETE /api/me/tokens/{id}', async () => {
    const { body } = await create({});
    const response = await t.api('DELETE', `/api/me/tokens/${body.id}`, { token: member.session });
    expect(response.status).toBe(204);
    expect(await verify(t, body.token)).toMatchObject({ valid: false, code: 'TOKEN_REVOKED' });
    const listed = await t.api('GET', `/api/tokens/${body.id}`, { token: member.session });
    expect(listed.body.status).toBe('revoked');
    expect((await t.api('DELETE', `/api/me/tokens/${body.id}`, { token: member.session })).status).toBe(204);
  });

  it('answers 404 to a member deleting someone else\u2019s personal token, which keeps working', async () => {
    const other = await createUser(t);
    const theirs = (await create({}, other.session)).body;
    expectError(
      await t.api('DELETE', `/api/me/tokens/${theirs.id}`, { token: member.session }),
      404,
      'TOKEN_NOT_FOUND',
    );
    expect((await verify(t, theirs.token)).valid).toBe(true);
  });

  it('answers 404 even to an admin deleting someone else\u2019s token through /api/me', async () => {
    const theirs = (await create({})).body;
    expectError(
      await t.api('DELETE', `/api/me/tokens/${theirs.id}`, { token: t.adminToken }),
      404,
      'TOKEN_NOT_FOUND',
    );
    expect((await verify(t, theirs.token)).valid).toBe(true);
  });

  it('answers 404 to DELETE /api/me/tokens/{id} for the caller\u2019s API token', async () => {
    const api = await createToken(t, {}, member.session);
    expectError(
      await t.api('DELETE', `/api/me/tokens/${api.id}`, { token: member.session }),
      404,
      'TOKEN_NOT_FOUND',
    );
    expect((await verify(t, api.token)).valid).toBe(true);
  });

  it('shows up for an admin in GET /api/tokens with kind pat', async () => {
    const { body } = await create({ name: 'visible to admin' });
    const listed = await t.api('GET', `/api/tokens?kind=pat&userId=${member.id}`, { token: t.adminToken });
    expect(listed.body.items.map((i: { id: string }) => i.id)).toContain(body.id);
  });

  it('follows the user: a demoted user\u2019s ["*"] token loses the permission at once', async () => {
    const user = await createUser(t);
    const { body } = await create({}, user.session);
    expect((await verify(t, body.token, { permission: 'semantic-model:refresh' })).valid).toBe(true);
    const patched = await t.api('PATCH', `/api/users/${user.id}`, {
      token: t.adminToken,
      body: { permissions: ['reports:read', 'tokens:manage'] },
    });
    expect(patched.status).toBe(200);
    expect(await verify(t, body.token, { permission: 'semantic-model:refresh' })).toMatchObject({
      valid: false,
      code: 'PERMISSION_DENIED',
    });
    expect((await verify(t, body.token)).permissions.sort()).toEqual(['reports:read', 'tokens:manage']);
  });
});
