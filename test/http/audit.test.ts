import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { createToken, createUser, expectError, MEMBER_PASSWORD, memberSession } from './fixtures.ts';

const HOUR = 60 * 60 * 1000;

interface AuditEvent {
  id: number;
  at: string;
  action: string;
  actorUserId: number | null;
  actorTokenId: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
}

describe.each(DIALECTS)('audit log (/api/audit) on %s', (dialect) => {
  let t: TestServer;
  let adminId: number;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    adminId = (await t.api('GET', '/api/me', { token: t.adminToken })).body.id;
  });
  afterAll(() => t?.close());

  const audit = async (query = ''): Promise<AuditEvent[]> => {
    const response = await t.api('GET', `/api/audit?limit=200${query}`, { token: t.adminToken });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.items;
  };
  /** The newest event with this action; each test moves the clock first so `at` tells its events apart. */
  const latest = async (action: string) => {
    const [event] = await audit(`&action=${action}`);
    expect(event, `no ${action} event`).toBeDefined();
    return event as AuditEvent;
  };
  const now = () => new Date(t.clock.now()).toISOString();

  it('records a sign-in and a failed one with actor, target, time and IP', async () => {
    t.clock.advance(60_000);
    const user = await createUser(t, { username: 'signer' });
    await t.api('POST', '/api/auth/login', { body: { username: 'signer', password: 'wrong password' } });
    expect(await latest('auth.login_failed')).toMatchObject({
      actorUserId: user.id,
      targetType: 'user',
      targetId: String(user.id),
      at: now(),
      ip: '127.0.0.1',
      details: { username: 'signer' },
    });
    await t.api('POST', '/api/auth/login', { body: { username: 'nobody', password: 'wrong password' } });
    expect(await latest('auth.login_failed')).toMatchObject({
      actorUserId: null,
      targetId: null,
      details: { username: 'nobody' },
    });

    await t.login('signer', MEMBER_PASSWORD);
    expect(await latest('auth.login')).toMatchObject({
      actorUserId: user.id,
      targetType: 'user',
      targetId: String(user.id),
      at: now(),
      ip: '127.0.0.1',
    });
  });

  it('records token creation and revocation by the acting admin', async () => {
    t.clock.advance(60_000);
    const token = await createToken(t, { name: 'audited', permissions: ['subscription:execute'] });
    expect(await latest('token.create')).toMatchObject({
      actorUserId: adminId,
      targetId: token.id,
      at: now(),
      ip: '127.0.0.1',
    });
    expect((await latest('token.create')).actorTokenId).toEqual(expect.any(String));
    t.clock.advance(60_000);
    expect((await t.api('DELETE', `/api/tokens/${token.id}`, { token: t.adminToken })).status).toBe(204);
    expect(await latest('token.revoke')).toMatchObject({
      actorUserId: adminId,
      targetId: token.id,
      at: now(),
    });
    expect(JSON.stringify(await audit())).not.toContain(token.token);
  });

  it('records user creation, change and deletion, without the password', async () => {
    t.clock.advance(60_000);
    const user = await createUser(t, { username: 'lifecycle', password: 'secret-cycle-of-life-password' });
    expect(await latest('user.create')).toMatchObject({
      actorUserId: adminId,
      targetType: 'user',
      targetId: String(user.id),
      at: now(),
      ip: '127.0.0.1',
    });
    await t.api('PATCH', `/api/users/${user.id}`, {
      token: t.adminToken,
      body: { fullName: 'Life Cycle', password: 'another-secret-password' },
    });
    expect(await latest('user.update')).toMatchObject({ actorUserId: adminId, targetId: String(user.id) });
    expect((await t.api('DELETE', `/api/users/${user.id}`, { token: t.adminToken })).status).toBe(204);
    expect(await latest('user.delete')).toMatchObject({ actorUserId: adminId, targetId: String(user.id) });

    const all = JSON.stringify(await audit(`&targetId=${user.id}`));
    expect(all).not.toContain('secret-cycle-of-life-password');
    expect(all).not.toContain('another-secret-password');
  });

  it('records a settings change with what changed', async () => {
    t.clock.advance(60_000);
    await t.api('PATCH', '/api/settings', {
      token: t.adminToken,
      body: { 'authentication.token.access_token_lifespan': 6 },
    });
    const event = await latest('settings.update');
    expect(event).toMatchObject({ actorUserId: adminId, at: now(), ip: '127.0.0.1' });
    expect(JSON.stringify(event.details)).toContain('authentication.token.access_token_lifespan');
  });

  it('filters by action, actor and target', async () => {
    const { user, token } = await memberSession(t, 'filtered');
    await t.api('POST', '/api/me/tokens', { token, body: { name: 'mine', permissions: ['reports:read'] } });

    const logins = await audit('&action=auth.login');
    expect(logins.length).toBeGreaterThan(0);
    expect(new Set(logins.map((e) => e.action))).toEqual(new Set(['auth.login']));

    const byMember = await audit(`&actorUserId=${user.id}`);
    expect(byMember.map((e) => e.action).sort()).toEqual(['auth.login', 'token.create']);
    expect(byMember.every((e) => e.actorUserId === user.id)).toBe(true);

    const aboutMember = await audit(`&targetId=${user.id}`);
    expect(aboutMember.map((e) => e.action).sort()).toEqual(['auth.login', 'user.create']);
    expect(await audit('&action=no.such.action')).toEqual([]);
  });

  it('filters by time: since is inclusive, until exclusive', async () => {
    t.clock.advance(HOUR);
    const before = await createUser(t, { username: 'early-bird' });
    t.clock.advance(HOUR);
    const boundary = now();
    const after = await createUser(t, { username: 'late-comer' });

    const since = (await audit(`&action=user.create&since=${boundary}`)).map((e) => e.targetId);
    expect(since).toEqual([String(after.id)]);
    const until = (await audit(`&action=user.create&until=${boundary}`)).map((e) => e.targetId);
    expect(until).toContain(String(before.id));
    expect(until).not.toContain(String(after.id));
    const window = await audit(
      `&action=user.create&since=${new Date(t.clock.now() - HOUR).toISOString()}&until=${boundary}`,
    );
    expect(window.map((e) => e.targetId)).toEqual([String(before.id)]);
  });

  it('pages through everything with a cursor, newest first, without gaps or repeats', async () => {
    for (let i = 0; i < 5; i++) await createUser(t, { username: `paged-${i}` });
    const all = (await audit()).map((e) => e.id);
    expect(all.length).toBeGreaterThan(6);
    expect(all).toEqual([...all].sort((a, b) => b - a));

    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/api/audit?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await t.api('GET', query, { token: t.adminToken });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((e: AuditEvent) => e.id));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 3));
  });

  it('pages through a filtered listing', async () => {
    const creates = (await audit('&action=user.create')).map((e) => e.id);
    const first = await t.api('GET', '/api/audit?action=user.create&limit=2', { token: t.adminToken });
    const second = await t.api(
      'GET',
      `/api/audit?action=user.create&limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      {
        token: t.adminToken,
      },
    );
    expect([...first.body.items, ...second.body.items].map((e: AuditEvent) => e.id)).toEqual(
      creates.slice(0, 4),
    );
    expect(second.body.items.every((e: AuditEvent) => e.action === 'user.create')).toBe(true);
  });

  it('refuses a malformed cursor, date or limit with 400', async () => {
    expectError(
      await t.api('GET', '/api/audit?cursor=garbage', { token: t.adminToken }),
      400,
      'INVALID_CURSOR',
    );
    expectError(
      await t.api('GET', '/api/audit?since=yesterday', { token: t.adminToken }),
      400,
      'VALIDATION_FAILED',
      'since',
    );
    expectError(
      await t.api('GET', '/api/audit?limit=0', { token: t.adminToken }),
      400,
      'VALIDATION_FAILED',
      'limit',
    );
    expectError(
      await t.api('GET', '/api/audit?actorUserId=abc', { token: t.adminToken }),
      400,
      'VALIDATION_FAILED',
      'actorUserId',
    );
  });

  it('is for admins only: a member or a token without audit:read gets 403', async () => {
    const { token } = await memberSession(t, 'auditee');
    expectError(await t.api('GET', '/api/audit', { token }), 403, 'FORBIDDEN');
    const narrow = await createToken(t, { permissions: ['users:read'] });
    expectError(await t.api('GET', '/api/audit', { token: narrow.token }), 403, 'FORBIDDEN');
    expectError(await t.api('GET', '/api/audit'), 401, 'UNAUTHENTICATED');
  });
});
