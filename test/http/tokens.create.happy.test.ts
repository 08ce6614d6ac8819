import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, START, startTestServer, type TestServer } from '../support/harness.ts';
import { createReport } from './report-fixtures.ts';
import {
  CONTRACT_FIELDS,
  createEntry,
  createToken,
  createUser,
  DAY_MS,
  EXTRA_FIELDS,
  iso,
  UUID,
  verify,
} from './token-fixtures.ts';

describe.each(DIALECTS)('POST /api/tokens, the happy path, on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    // A `report:` binding names a report that exists.
    await createReport(t, { id: 'team:sales-dashboard' });
  });
  afterAll(() => t?.close());

  it('answers 201 with the contract fields, and the token works', async () => {
    const department = await createEntry(t, 'departments');
    const userType = await createEntry(t, 'user-types');
    const member = await createUser(t, { departmentId: department, userTypeId: userType });
    const response = await t.api('POST', '/api/tokens', {
      token: t.adminToken,
      body: {
        name: '  Nightly export  ',
        description: 'Runs the subscription every night',
        permissions: ['subscription:execute', 'semantic-model:refresh'],
        resources: ['report:team:sales-dashboard'],
        userId: member.id,
        expiresInDays: 30,
      },
    });
    expect(response.status).toBe(201);
    const body = response.body;
    expect(Object.keys(body).sort()).toEqual([...CONTRACT_FIELDS, ...EXTRA_FIELDS].sort());
    expect(body).toMatchObject({
      name: 'Nightly export',
      description: 'Runs the subscription every night',
      kind: 'api',
      permissions: ['subscription:execute', 'semantic-model:refresh'],
      resources: ['report:team:sales-dashboard'],
      userId: member.id,
      departmentId: department,
      userTypeId: userType,
      tenantId: 'default',
      createdAt: iso(START),
      expiresAt: iso(START + 30 * DAY_MS),
      status: 'active',
      retrievable: false,
      revokedAt: null,
      useCount: 0,
    });
    expect(body.id).toMatch(UUID);
    expect(body.token).toMatch(/^tsr_api_[0-9A-Za-z]{49}$/);
    expect(body.hint).toBe(`tsr_api_…${body.token.slice(-4)}`);
    expect(await verify(t, body.token, { permission: 'semantic-model:refresh' })).toMatchObject({
      valid: true,
      tokenId: body.id,
    });
  });

  it('binds the token to the associated user\u2019s department and user type unless told otherwise', async () => {
    const department = await createEntry(t, 'departments');
    const userType = await createEntry(t, 'user-types');
    const member = await createUser(t, { departmentId: department, userTypeId: userType });
    const inherited = await createToken(t, { userId: member.id });
    expect(inherited).toMatchObject({ departmentId: department, userTypeId: userType });
    const unbound = await createToken(t, { userId: member.id, departmentId: null, userTypeId: null });
    expect(unbound).toMatchObject({ departmentId: null, userTypeId: null });
  });

  it('associates the token with the caller when no userId is given', async () => {
    const member = await createUser(t);
    const own = await createToken(t, {}, member.session);
    expect(own.userId).toBe(member.id);
    expect(own.description).toBeNull();
    expect(own.resources).toEqual([]);
  });

  it.each([30, 60, 90])('expires %i days from now with the preset', async (days) => {
    const created = await createToken(t, { expiresInDays: days });
    expect(created.expiresAt).toBe(iso(t.clock.now() + days * DAY_MS));
  });

  it('expires after the default lifetime (30 days) when no expiry is given', async () => {
    const created = await createToken(t, {});
    expect(created.expiresAt).toBe(iso(t.clock.now() + 30 * DAY_MS));
  });

  it('takes a custom date as the end of that day, UTC', async () => {
    const created = await createToken(t, { expiresAt: '2026-03-15' });
    expect(created.expiresAt).toBe('2026-03-15T23:59:59.999Z');
  });

  it('takes a custom date-time, with Z or an offset', async () => {
    expect((await createToken(t, { expiresAt: '2026-02-01T08:30:00Z' })).expiresAt).toBe(
      '2026-02-01T08:30:00.000Z',
    );
    expect((await createToken(t, { expiresAt: '2026-02-01T10:30:00+02:00' })).expiresAt).toBe(
      '2026-02-01T08:30:00.000Z',
    );
  });

  it('accepts an expiry exactly at the maximum lifetime (365 days)', async () => {
    const limit = t.clock.now() + 365 * DAY_MS;
    expect((await createToken(t, { expiresAt: iso(limit) })).expiresAt).toBe(iso(limit));
    expect((await createToken(t, { expiresInDays: 365 })).expiresAt).toBe(iso(limit));
  });

  it('accepts today as a custom date: the token lives until midnight UTC', async () => {
    const today = iso(t.clock.now()).slice(0, 10);
    expect((await createToken(t, { expiresAt: today })).expiresAt).toBe(`${today}T23:59:59.999Z`);
  });

  it('follows a changed maximum lifetime at once', async () => {
    const patched = await t.api('PATCH', '/api/settings', {
      token: t.adminToken,
      body: { 'authentication.token.api_token_max_lifespan': 400 },
    });
    expect(patched.status).toBe(200);
    try {
      expect((await createToken(t, { expiresInDays: 400 })).expiresAt).toBe(
        iso(t.clock.now() + 400 * DAY_MS),
      );
    } finally {
      await t.api('PATCH', '/api/settings', {
        token: t.adminToken,
        body: { 'authentication.token.api_token_max_lifespan': 365 },
      });
    }
  });

  it('lets an admin create a retrievable token, marked so', async () => {
    expect((await createToken(t, { retrievable: true })).retrievable).toBe(true);
  });

  it('removes duplicate permissions and resources', async () => {
    const created = await createToken(t, {
      permissions: ['reports:read', 'reports:read'],
      resources: ['subscription:42', 'subscription:42'],
    });
    expect(created.permissions).toEqual(['reports:read']);
    expect(created.resources).toEqual(['subscription:42']);
  });

  it('records the creation in the audit log, without the token string', async () => {
    const created = await createToken(t, {});
    const audit = await t.api('GET', `/api/audit?action=token.create&targetId=${created.id}`, {
      token: t.adminToken,
    });
    expect(audit.status).toBe(200);
    expect(audit.body.items).toHaveLength(1);
    expect(JSON.stringify(audit.body)).not.toContain(created.token);
  });
});
