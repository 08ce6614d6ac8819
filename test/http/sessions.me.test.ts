import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/core/principal.ts';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { type CreatedUser, createUser, expectError, type Json, PASSWORD } from './token-fixtures.ts';

describe.each(DIALECTS)('your own sessions (/api/me/sessions) and tenancy on %s', (dialect) => {
  let t: TestServer;
  let carol: CreatedUser;
  let dave: CreatedUser;

  const mobileLogin = async (username: string, deviceName: string, tenant?: string) => {
    const response = await t.api('POST', '/api/auth/mobile/login', {
      body: { username, password: PASSWORD, deviceName, ...(tenant ? { tenant } : {}) },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };
  const mine = async (token: string, query = '') => {
    const response = await t.api('GET', `/api/me/sessions${query}`, { token });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };

  beforeAll(async () => {
    t = await startTestServer(dialect);
    carol = await createUser(t);
    dave = await createUser(t);
  });
  afterAll(() => t?.close());

  it('shows your own active console and mobile sessions only, the one in use marked current', async () => {
    t.clock.advance(1000);
    const phone = await mobileLogin(carol.username, 'Carol phone');
    await mobileLogin(dave.username, 'Dave phone');
    const page = await mine(carol.session);
    expect(page.items.map((s: Json) => [s.type, s.deviceName, s.current])).toEqual([
      ['mobile', 'Carol phone', false],
      ['console', null, true],
    ]);
    expect(page.items.every((s: Json) => s.userId === carol.id && s.status === 'active')).toBe(true);
    expect(page.nextCursor).toBeNull();
    // From the phone, the phone is current.
    const fromPhone = await mine(phone.token);
    expect(fromPhone.items.find((s: Json) => s.current).id).toBe(phone.sessionId);
    const firstOnly = await mine(carol.session, '?limit=1');
    expect(firstOnly.items).toHaveLength(1);
    const rest = await mine(carol.session, `?limit=1&cursor=${firstOnly.nextCursor}`);
    expect(rest.items[0].current).toBe(true);
  });

  it('ends one of your sessions: that device is signed out, yours keeps working; audited', async () => {
    const phone = await mobileLogin(carol.username, 'Old phone');
    const ended = await t.api('DELETE', `/api/me/sessions/${phone.sessionId}`, { token: carol.session });
    expect(ended.status).toBe(204);
    expectError(await t.api('GET', '/api/me', { token: phone.token }), 401, 'UNAUTHENTICATED');
    expect((await mine(carol.session)).items.map((s: Json) => s.id)).not.toContain(phone.sessionId);
    const audit = await t.api('GET', `/api/audit?action=session.revoke&targetId=${phone.sessionId}`, {
      token: t.adminToken,
    });
    expect(audit.body.items[0]).toMatchObject({ actorUserId: carol.id });
  });

  it('ends the current session too (signing out), and cannot end another user’s: 404', async () => {
    const daves = await mobileLogin(dave.username, 'Dave tablet');
    expectError(
      await t.api('DELETE', `/api/me/sessions/${daves.sessionId}`, { token: carol.session }),
      404,
      'SESSION_NOT_FOUND',
    );
    expect((await t.api('GET', '/api/me', { token: daves.token })).status).toBe(200);

    const own = await mobileLogin(carol.username, 'Spare phone');
    expect((await t.api('DELETE', `/api/me/sessions/${own.sessionId}`, { token: own.token })).status).toBe(
      204,
    );
    expectError(await t.api('GET', '/api/me/sessions', { token: own.token }), 401, 'UNAUTHENTICATED');
  });

  it('needs tokens:manage: a token without it cannot list or end sessions', async () => {
    const response = await t.api('POST', '/api/me/tokens', {
      token: dave.session,
      body: { name: 'narrow', permissions: ['reports:read'] },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expectError(await t.api('GET', '/api/me/sessions', { token: response.body.token }), 403, 'FORBIDDEN');
  });

  it('keeps tenants apart: another tenant’s session ids are 404 everywhere and never counted', async () => {
    const { tessera } = t.server;
    await tessera.store.tenants.ensure('acme', 'Acme', t.clock.now());
    await tessera.users.createAs(cliActor('acme'), { username: 'boss', password: PASSWORD, role: 'admin' });
    await tessera.users.createAs(cliActor('acme'), { username: 'carol', password: PASSWORD });
    const acmeAdmin = (await mobileLogin('boss', 'Boss phone', 'acme')).token;
    const acmePhone = await mobileLogin('carol', 'Acme phone', 'acme');
    const ours = await mobileLogin(carol.username, 'Default phone');

    for (const [token, id] of [
      [acmeAdmin, ours.sessionId],
      [t.adminToken, acmePhone.sessionId],
    ]) {
      expectError(await t.api('GET', `/api/sessions/${id}`, { token }), 404, 'SESSION_NOT_FOUND');
      expectError(await t.api('DELETE', `/api/sessions/${id}`, { token }), 404, 'SESSION_NOT_FOUND');
      expectError(await t.api('DELETE', `/api/me/sessions/${id}`, { token }), 404, 'SESSION_NOT_FOUND');
      const bulk = await t.api('POST', '/api/sessions/_revoke', { token, body: { ids: [id] } });
      expect(bulk.body).toEqual({ revoked: 0 });
    }
    const acmeList = await t.api('GET', '/api/sessions', { token: acmeAdmin });
    expect(acmeList.body.items.map((s: Json) => s.deviceName).sort()).toEqual(['Acme phone', 'Boss phone']);
    expect(acmeList.body.items.every((s: Json) => s.username !== carol.username)).toBe(true);
    // Both devices still work.
    expect((await t.api('GET', '/api/me', { token: ours.token })).status).toBe(200);
    expect((await t.api('GET', '/api/me', { token: acmePhone.token })).status).toBe(200);
  });

  it('describes the endpoints and the Session schema in the OpenAPI document, tagged sessions', async () => {
    const doc = (await t.api('GET', '/openapi.json')).body;
    for (const [path, method] of [
      ['/api/auth/mobile/login', 'post'],
      ['/api/sessions', 'get'],
      ['/api/sessions/{id}', 'get'],
      ['/api/sessions/{id}', 'delete'],
      ['/api/sessions/_revoke', 'post'],
      ['/api/me/sessions', 'get'],
      ['/api/me/sessions/{id}', 'delete'],
    ] as const) {
      expect(doc.paths[path]?.[method]?.tags, `${method} ${path}`).toContain('sessions');
    }
    expect(Object.keys(doc.components.schemas.Session.properties)).toEqual([
      'id',
      'type',
      'userId',
      'username',
      'email',
      'department',
      'userType',
      'deviceName',
      'lastActiveAt',
      'expiresAt',
      'createdAt',
      'status',
    ]);
    expect(doc.components.schemas.OwnSession.properties.current.type).toBe('boolean');
  });
});
