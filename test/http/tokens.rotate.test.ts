import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import {
  createEntry,
  createToken,
  createUser,
  DAY_MS,
  expectError,
  iso,
  rowCounts,
  verify,
} from './token-fixtures.ts';

describe.each(DIALECTS)('POST /api/tokens/{id}/_rotate on %s', (dialect) => {
  let t: TestServer;
  let admin: string;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    admin = t.adminToken;
  });
  afterAll(() => t?.close());

  const rotate = (id: string, body?: unknown, token = admin) =>
    t.api('POST', `/api/tokens/${id}/_rotate`, { token, ...(body === undefined ? {} : { body }) });

  it('issues a new token with the same settings; the old one is refused at once', async () => {
    const department = await createEntry(t, 'departments', admin);
    const member = await createUser(t, { departmentId: department }, admin);
    const old = await createToken(
      t,
      {
        userId: member.id,
        description: 'deploy key',
        permissions: ['subscription:execute', 'reports:read'],
        resources: ['subscription:42'],
        expiresInDays: 60,
      },
      admin,
    );
    t.clock.advance(DAY_MS / 4);
    const response = await rotate(old.id);
    expect(response.status).toBe(201);
    const fresh = response.body;
    expect(fresh.token).not.toBe(old.token);
    expect(fresh.id).not.toBe(old.id);
    expect(fresh).toMatchObject({
      name: old.name,
      description: 'deploy key',
      kind: 'api',
      permissions: old.permissions,
      resources: old.resources,
      userId: member.id,
      departmentId: department,
      userTypeId: null,
      status: 'active',
      parentId: old.id,
      createdAt: iso(t.clock.now()),
      expiresAt: iso(t.clock.now() + 60 * DAY_MS),
    });
    expect(
      await verify(t, fresh.token, { permission: 'reports:read', resource: 'subscription:42' }),
    ).toMatchObject({
      valid: true,
      tokenId: fresh.id,
    });
    expect(await verify(t, old.token)).toMatchObject({ valid: false, code: 'TOKEN_REVOKED' });
    const oldView = await t.api('GET', `/api/tokens/${old.id}`, { token: admin });
    expect(oldView.body.status).toBe('revoked');
    const audit = await t.api('GET', `/api/audit?action=token.rotate&targetId=${old.id}`, { token: admin });
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0].details).toMatchObject({ newTokenId: fresh.id });
  });

  it('keeps the old token working for the grace period, and not a moment longer', async () => {
    const old = await createToken(t, {}, admin);
    const rotatedAt = t.clock.now();
    const response = await rotate(old.id, { gracePeriodSeconds: 3600 });
    expect(response.status).toBe(201);
    expect((await verify(t, response.body.token)).valid).toBe(true);
    expect(await verify(t, old.token)).toMatchObject({ valid: true, tokenId: old.id });
    t.clock.advance(3600 * 1000 - 1);
    expect(await verify(t, old.token)).toMatchObject({ valid: true, tokenId: old.id });
    expect((await t.api('GET', `/api/tokens/${old.id}`, { token: admin })).body).toMatchObject({
      status: 'active',
      revokedAt: iso(rotatedAt + 3600 * 1000),
    });
    t.clock.advance(1);
    expect(await verify(t, old.token)).toMatchObject({ valid: false, code: 'TOKEN_REVOKED' });
    expect((await verify(t, response.body.token)).valid).toBe(true);
  });

  it('refuses to rotate a revoked token with 409 TOKEN_NOT_ACTIVE, writing nothing', async () => {
    const old = await createToken(t, {}, admin);
    await t.api('DELETE', `/api/tokens/${old.id}`, { token: admin });
    const before = await rowCounts(t);
    expectError(await rotate(old.id), 409, 'TOKEN_NOT_ACTIVE');
    expect(await rowCounts(t)).toEqual(before);
  });

  it('lets only one of two concurrent rotations win', async () => {
    const old = await createToken(t, {}, admin);
    const responses = await Promise.all([rotate(old.id), rotate(old.id)]);
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
    const children = await t.api('GET', `/api/tokens?q=${encodeURIComponent(old.name)}`, { token: admin });
    expect(children.body.items.filter((i: { parentId: string }) => i.parentId === old.id)).toHaveLength(1);
  });

  it('refuses to rotate a token again while its grace period runs (409 TOKEN_NOT_ACTIVE)', async () => {
    const old = await createToken(t, {}, admin);
    const first = await rotate(old.id, { gracePeriodSeconds: 3600 });
    expect(first.status).toBe(201);
    expectError(await rotate(old.id), 409, 'TOKEN_NOT_ACTIVE');
    expectError(await rotate(old.id, { gracePeriodSeconds: 60 }), 409, 'TOKEN_NOT_ACTIVE');
    // The first rotation's grace period is untouched.
    t.clock.advance(3599 * 1000);
    expect((await verify(t, old.token)).valid).toBe(true);
    t.clock.advance(1000);
    expect((await verify(t, old.token)).valid).toBe(false);
  });

  it('ends the grace period at once when the old token is revoked', async () => {
    const old = await createToken(t, {}, admin);
    expect((await rotate(old.id, { gracePeriodSeconds: 3600 })).status).toBe(201);
    expect((await t.api('DELETE', `/api/tokens/${old.id}`, { token: admin })).status).toBe(204);
    expect(await verify(t, old.token)).toMatchObject({ valid: false, code: 'TOKEN_REVOKED' });
  });

  it('lets only one of two concurrent rotations with different grace periods win', async () => {
    const old = await createToken(t, {}, admin);
    const responses = await Promise.all([
      rotate(old.id, { gracePeriodSeconds: 3600 }),
      rotate(old.id, { gracePeriodSeconds: 60 }),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('rotates a retrievable token into a retrievable one', async () => {
    const old = await createToken(t, { retrievable: true }, admin);
    const fresh = (await rotate(old.id)).body;
    expect(fresh.retrievable).toBe(true);
    const revealed = await t.api('POST', `/api/tokens/${fresh.id}/_reveal`, { token: admin });
    expect(revealed.body).toEqual({ token: fresh.token });
  });

  it('refuses to rotate a sign-in session (409 TOKEN_NOT_ROTATABLE)', async () => {
    const sessions = await t.api('GET', '/api/tokens?kind=ses&limit=1', { token: admin });
    expectError(await rotate(sessions.body.items[0].id), 409, 'TOKEN_NOT_ROTATABLE');
  });

  it('answers 404 to a member rotating somebody else\u2019s token, and lets them rotate their own', async () => {
    const member = await createUser(t, {}, admin);
    const admins = await createToken(t, {}, admin);
    expectError(await rotate(admins.id, undefined, member.session), 404, 'TOKEN_NOT_FOUND');
    expect((await verify(t, admins.token)).valid).toBe(true);
    const own = await createToken(t, {}, member.session);
    expect((await rotate(own.id, undefined, member.session)).status).toBe(201);
  });

  it.each([
    ['gracePeriodSeconds', { gracePeriodSeconds: -1 }],
    ['gracePeriodSeconds', { gracePeriodSeconds: 604_801 }],
    ['gracePeriodSeconds', { gracePeriodSeconds: '60' }],
    ['keepOld', { keepOld: true }],
  ])('refuses a bad body naming %s, and leaves the token alone', async (field, body) => {
    const old = await createToken(t, {}, admin);
    expectError(await rotate(old.id, body), 400, 'VALIDATION_FAILED', field);
    expect((await verify(t, old.token)).valid).toBe(true);
  });

  it('refuses to rotate an expired token with 409 TOKEN_NOT_ACTIVE', async () => {
    const old = await createToken(t, { expiresInDays: 1 }, admin);
    t.clock.advance(DAY_MS);
    admin = await t.login('admin', ADMIN_PASSWORD);
    expectError(await rotate(old.id), 409, 'TOKEN_NOT_ACTIVE');
  });
});
