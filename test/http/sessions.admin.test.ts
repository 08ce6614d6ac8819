import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import {
  type CreatedUser,
  createEntry,
  createToken,
  createUser,
  expectError,
  iso,
  type Json,
  PASSWORD,
  unique,
} from './token-fixtures.ts';

const HOUR = 60 * 60 * 1000;

describe.each(DIALECTS)('mobile sessions for administrators (/api/sessions) on %s', (dialect) => {
  let t: TestServer;
  let department: number;
  let userType: number;
  /** A user in `department` and `userType`, signed in from two phones. */
  let ann: CreatedUser;
  let annPhone: Json;
  let annTablet: Json;
  /** A user with no department, signed in from one phone. */
  let bob: CreatedUser;
  let bobPhone: Json;

  const mobileLogin = async (user: CreatedUser, deviceName: string) => {
    const response = await t.api('POST', '/api/auth/mobile/login', {
      body: { username: user.username, password: PASSWORD, deviceName },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };
  const list = async (query = '') => {
    const response = await t.api('GET', `/api/sessions${query}`, { token: t.adminToken });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };
  const ids = (page: Json) => page.items.map((s: Json) => s.id);

  beforeAll(async () => {
    t = await startTestServer(dialect);
    department = await createEntry(t, 'departments');
    userType = await createEntry(t, 'user-types');
    ann = await createUser(t, { email: 'ann@example.com', departmentId: department, userTypeId: userType });
    bob = await createUser(t, { email: 'bob@example.org' });
    annPhone = await mobileLogin(ann, 'Ann’s Galaxy');
    t.clock.advance(HOUR);
    annTablet = await mobileLogin(ann, 'Ann’s iPad');
    t.clock.advance(HOUR);
    bobPhone = await mobileLogin(bob, 'Bob phone_1');
  });
  afterAll(() => t?.close());

  it('lists mobile sessions by default, newest first, with user, department, user type and last activity', async () => {
    const page = await list();
    expect(ids(page)).toEqual([bobPhone.sessionId, annTablet.sessionId, annPhone.sessionId]);
    expect(page.nextCursor).toBeNull();
    const item = page.items.find((s: Json) => s.id === annPhone.sessionId);
    expect(item).toEqual({
      id: annPhone.sessionId,
      type: 'mobile',
      userId: ann.id,
      username: ann.username,
      email: 'ann@example.com',
      department: { id: department, name: expect.any(String) },
      userType: { id: userType, name: expect.any(String) },
      deviceName: 'Ann’s Galaxy',
      lastActiveAt: expect.any(String),
      expiresAt: annPhone.expiresAt,
      createdAt: expect.any(String),
      status: 'active',
    });
    expect(page.items.find((s: Json) => s.id === bobPhone.sessionId)).toMatchObject({
      department: null,
      userType: null,
    });
    // The console sessions (every user signed in to the console too) are listed only when asked for.
    const consoles = await list('?type=console');
    expect(consoles.items.length).toBeGreaterThanOrEqual(3);
    expect(consoles.items.every((s: Json) => s.type === 'console' && s.deviceName === null)).toBe(true);
    expect(ids(consoles)).not.toContain(annPhone.sessionId);
  });

  it('filters by user, department, user type, status and text in username, email or device name', async () => {
    expect(ids(await list(`?userId=${ann.id}`)).sort()).toEqual(
      [annPhone.sessionId, annTablet.sessionId].sort(),
    );
    expect(ids(await list(`?departmentId=${department}&userTypeId=${userType}`))).toHaveLength(2);
    expect(ids(await list(`?userTypeId=${userType}&userId=${bob.id}`))).toEqual([]);
    expect(ids(await list('?q=IPAD'))).toEqual([annTablet.sessionId]);
    expect(ids(await list('?q=example.org'))).toEqual([bobPhone.sessionId]);
    expect(ids(await list(`?q=${ann.username}`))).toHaveLength(2);
    // LIKE wildcards are taken literally.
    expect(ids(await list('?q=phone_1'))).toEqual([bobPhone.sessionId]);
    expect(ids(await list('?q=%25'))).toEqual([]);
    expect(ids(await list('?status=revoked'))).toEqual([]);
    expect(ids(await list('?status=active'))).toHaveLength(3);
    expectError(
      await t.api('GET', '/api/sessions?type=desktop', { token: t.adminToken }),
      400,
      'VALIDATION_FAILED',
      'type',
    );
  });

  it('paginates with a cursor in either order, and refuses a cursor from another sort', async () => {
    const first = await list('?limit=2&sort=createdAt&order=asc');
    expect(ids(first)).toEqual([annPhone.sessionId, annTablet.sessionId]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await list(`?limit=2&sort=createdAt&order=asc&cursor=${first.nextCursor}`);
    expect(ids(second)).toEqual([bobPhone.sessionId]);
    expect(second.nextCursor).toBeNull();

    const byExpiry = await list('?limit=1&sort=expiresAt&order=desc');
    const rest = await list(`?limit=5&sort=expiresAt&order=desc&cursor=${byExpiry.nextCursor}`);
    expect([...ids(byExpiry), ...ids(rest)]).toEqual([
      bobPhone.sessionId,
      annTablet.sessionId,
      annPhone.sessionId,
    ]);
    expectError(
      await t.api('GET', `/api/sessions?sort=lastActiveAt&cursor=${first.nextCursor}`, {
        token: t.adminToken,
      }),
      400,
      'INVALID_CURSOR',
      'cursor',
    );
  });

  it('moves lastActiveAt when the device makes a request, before and after usage is flushed', async () => {
    const before = await t.api('GET', `/api/sessions/${annPhone.sessionId}`, { token: t.adminToken });
    expect(before.body.lastActiveAt).toBe(before.body.createdAt);

    t.clock.advance(HOUR);
    const usedAt = t.clock.now();
    expect((await t.api('GET', '/api/me', { token: annPhone.token })).status).toBe(200);
    const pending = await t.api('GET', `/api/sessions/${annPhone.sessionId}`, { token: t.adminToken });
    expect(pending.body.lastActiveAt).toBe(iso(usedAt));

    await t.server.tessera.usage.flush();
    t.clock.advance(1000);
    const flushed = await list('?sort=lastActiveAt&order=desc');
    expect(flushed.items.find((s: Json) => s.id === annPhone.sessionId).lastActiveAt).toBe(iso(usedAt));
    // The phone is now the most recently active mobile session; cursors follow that sort too.
    expect(ids(flushed)[0]).toBe(annPhone.sessionId);
    const paged = await list('?sort=lastActiveAt&order=desc&limit=1');
    const next = await list(`?sort=lastActiveAt&order=desc&limit=5&cursor=${paged.nextCursor}`);
    expect([...ids(paged), ...ids(next)]).toEqual(ids(flushed));
  });

  it('ends one session: the device gets 401 on its next request, the others keep working, audited', async () => {
    const victim = await mobileLogin(bob, 'Lost phone');
    expect((await t.api('GET', '/api/me', { token: victim.token })).status).toBe(200);

    const ended = await t.api('DELETE', `/api/sessions/${victim.sessionId}`, { token: t.adminToken });
    expect(ended.status).toBe(204);
    expectError(await t.api('GET', '/api/me', { token: victim.token }), 401, 'UNAUTHENTICATED');
    expect((await t.api('GET', '/api/me', { token: bobPhone.token })).status).toBe(200);
    const view = await t.api('GET', `/api/sessions/${victim.sessionId}`, { token: t.adminToken });
    expect(view.body.status).toBe('revoked');
    expect(ids(await list('?status=revoked'))).toEqual([victim.sessionId]);
    // Ending it again changes nothing.
    expect((await t.api('DELETE', `/api/sessions/${victim.sessionId}`, { token: t.adminToken })).status).toBe(
      204,
    );
    const audit = await t.api('GET', `/api/audit?action=session.revoke&targetId=${victim.sessionId}`, {
      token: t.adminToken,
    });
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ targetType: 'session', actorUserId: 1 });
  });

  it('ends many sessions at once, counting only active sessions of this tenant', async () => {
    const one = await mobileLogin(bob, 'Bulk 1');
    const two = await mobileLogin(bob, 'Bulk 2');
    const apiToken = await createToken(t, {});
    const response = await t.api('POST', '/api/sessions/_revoke', {
      token: t.adminToken,
      body: { ids: [one.sessionId, two.sessionId, one.sessionId, apiToken.id, crypto.randomUUID()] },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toEqual({ revoked: 2 });
    for (const session of [one, two])
      expectError(await t.api('GET', '/api/me', { token: session.token }), 401, 'UNAUTHENTICATED');
    // The API token is not a session: left alone.
    const token = await t.api('GET', `/api/tokens/${apiToken.id}`, { token: t.adminToken });
    expect(token.body.status).toBe('active');
    const again = await t.api('POST', '/api/sessions/_revoke', {
      token: t.adminToken,
      body: { ids: [one.sessionId] },
    });
    expect(again.body).toEqual({ revoked: 0 });
    expectError(
      await t.api('POST', '/api/sessions/_revoke', { token: t.adminToken, body: { ids: [] } }),
      400,
      'VALIDATION_FAILED',
      'ids',
    );
    expectError(
      await t.api('POST', '/api/sessions/_revoke', { token: t.adminToken, body: { ids: ['x'], all: true } }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('answers 404 SESSION_NOT_FOUND for a token that is not a session and for an unknown id', async () => {
    const apiToken = await createToken(t, {});
    for (const id of [apiToken.id, crypto.randomUUID()]) {
      expectError(
        await t.api('GET', `/api/sessions/${id}`, { token: t.adminToken }),
        404,
        'SESSION_NOT_FOUND',
      );
      expectError(
        await t.api('DELETE', `/api/sessions/${id}`, { token: t.adminToken }),
        404,
        'SESSION_NOT_FOUND',
      );
    }
    expect((await t.api('GET', `/api/tokens/${apiToken.id}`, { token: t.adminToken })).body.status).toBe(
      'active',
    );
  });

  it('refuses members with 403 on every admin endpoint, and unauthenticated calls with 401', async () => {
    const member = await createUser(t, { username: unique('member') });
    const calls: [string, string, unknown?][] = [
      ['GET', '/api/sessions'],
      ['GET', `/api/sessions/${bobPhone.sessionId}`],
      ['DELETE', `/api/sessions/${bobPhone.sessionId}`],
      ['POST', '/api/sessions/_revoke', { ids: [bobPhone.sessionId] }],
    ];
    for (const [method, path, body] of calls) {
      expectError(await t.api(method, path, { token: member.session, body }), 403, 'FORBIDDEN');
      expectError(await t.api(method, path, { body }), 401, 'UNAUTHENTICATED');
    }
    expect((await t.api('GET', '/api/me', { token: bobPhone.token })).status).toBe(200);
  });
});
