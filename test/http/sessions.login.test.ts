import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { storePasswordDirectly } from './fixtures.ts';
import { createUser, DAY_MS, expectError, PASSWORD, UUID, unique } from './token-fixtures.ts';

const HOUR = 60 * 60 * 1000;

describe.each(DIALECTS)('mobile sign-in (POST /api/auth/mobile/login) on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.close());

  const mobileLogin = (body: Record<string, unknown>) => t.api('POST', '/api/auth/mobile/login', { body });

  it('opens a mobile session on the named device, living 30 days by default, and audits it', async () => {
    const user = await createUser(t, { email: 'rita@example.com' });
    const response = await mobileLogin({
      username: user.username,
      password: PASSWORD,
      deviceName: '  Rita’s iPhone ',
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual(['expiresAt', 'sessionId', 'token', 'user']);
    expect(response.body.token).toMatch(/^tsr_ses_/);
    expect(response.body.sessionId).toMatch(UUID);
    expect(Date.parse(response.body.expiresAt)).toBe(t.clock.now() + 30 * DAY_MS);
    expect(response.body.user).toMatchObject({ id: user.id, username: user.username });
    expect(response.body.user).not.toHaveProperty('passwordHash');

    // The token acts as the user, and the admin sees it as a mobile session on the trimmed device name.
    const me = await t.api('GET', '/api/me', { token: response.body.token });
    expect(me.body).toMatchObject({ id: user.id });
    const view = await t.api('GET', `/api/sessions/${response.body.sessionId}`, { token: t.adminToken });
    expect(view.body).toMatchObject({
      type: 'mobile',
      userId: user.id,
      username: user.username,
      email: 'rita@example.com',
      deviceName: 'Rita’s iPhone',
      status: 'active',
      expiresAt: response.body.expiresAt,
    });

    const audit = await t.api('GET', `/api/audit?action=auth.mobile_login&actorUserId=${user.id}`, {
      token: t.adminToken,
    });
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      targetType: 'user',
      targetId: String(user.id),
      details: { sessionId: response.body.sessionId, deviceName: 'Rita’s iPhone' },
    });
  });

  it('refuses a wrong password with 401, audited, and a single-sign-on user alike', async () => {
    const user = await createUser(t);
    const wrong = await mobileLogin({ username: user.username, password: 'not it', deviceName: 'Pixel' });
    expectError(wrong, 401, 'INVALID_CREDENTIALS');
    expect(wrong.body).not.toHaveProperty('token');
    const failed = await t.api('GET', `/api/audit?action=auth.mobile_login_failed&targetId=${user.id}`, {
      token: t.adminToken,
    });
    expect(failed.body.items).toHaveLength(1);

    // A single-sign-on user signs in only through their identity provider, even with a password kept
    // from before: the same answer as a wrong password, so the answer tells nothing about the account.
    const sso = (
      await t.api('POST', '/api/users', { token: t.adminToken, body: { username: unique('sso'), sso: true } })
    ).body;
    await storePasswordDirectly(t, sso.id, PASSWORD);
    const refused = await mobileLogin({ username: sso.username, password: PASSWORD, deviceName: 'Pixel' });
    expectError(refused, 401, 'INVALID_CREDENTIALS');
    expect(refused.body).not.toHaveProperty('token');
  });

  it('throttles after 5 failures with 429 and Retry-After, shared with console sign-in', async () => {
    const user = await createUser(t);
    for (let i = 0; i < 5; i++) {
      const guess = await mobileLogin({
        username: user.username,
        password: `guess ${i}`,
        deviceName: 'Pixel',
      });
      expectError(guess, 401, 'INVALID_CREDENTIALS');
    }
    const blocked = await mobileLogin({ username: user.username, password: PASSWORD, deviceName: 'Pixel' });
    expectError(blocked, 429, 'TOO_MANY_ATTEMPTS');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    const console = await t.api('POST', '/api/auth/login', {
      body: { username: user.username, password: PASSWORD },
    });
    expectError(console, 429, 'TOO_MANY_ATTEMPTS');

    t.clock.advance(Number(blocked.headers.get('retry-after')) * 1000 + 1000);
    const after = await mobileLogin({ username: user.username, password: PASSWORD, deviceName: 'Pixel' });
    expect(after.status).toBe(200);
  });

  it('refuses a missing, empty, blank or too long deviceName, and unknown fields, with 400 naming the field', async () => {
    const user = await createUser(t);
    const base = { username: user.username, password: PASSWORD };
    const missing = await mobileLogin(base);
    expectError(missing, 400, 'VALIDATION_FAILED', 'deviceName');
    expect(missing.body.error.message).toBe('deviceName: is required');
    expectError(await mobileLogin({ ...base, deviceName: '' }), 400, 'VALIDATION_FAILED', 'deviceName');
    const blank = await mobileLogin({ ...base, deviceName: '   ' });
    expectError(blank, 400, 'VALIDATION_FAILED', 'deviceName');
    expect(blank.body.error.message).toBe('deviceName: must not be empty');
    const long = await mobileLogin({ ...base, deviceName: 'x'.repeat(101) });
    expectError(long, 400, 'VALIDATION_FAILED', 'deviceName');
    expect(long.body.error.message).toBe('deviceName: must be at most 100 characters');
    expectError(await mobileLogin({ ...base, deviceName: 7 }), 400, 'VALIDATION_FAILED', 'deviceName');
    expectError(
      await mobileLogin({ ...base, deviceName: 'tab\there' }),
      400,
      'VALIDATION_FAILED',
      'deviceName',
    );
    expectError(
      await mobileLogin({ ...base, deviceName: 'Pixel', sessionType: 'console' }),
      400,
      'VALIDATION_FAILED',
      'sessionType',
    );
    // 100 characters is fine, and none of the refusals above counted as a failed password.
    const ok = await mobileLogin({ ...base, deviceName: 'x'.repeat(100) });
    expect(ok.status).toBe(200);
  });

  it('takes its lifespan from authentication.mobile_session_lifespan and stops working when it ends', async () => {
    const user = await createUser(t);
    const patched = await t.api('PATCH', '/api/settings', {
      token: t.adminToken,
      body: { 'authentication.mobile_session_lifespan': 2 },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const session = await mobileLogin({ username: user.username, password: PASSWORD, deviceName: 'Tablet' });
    expect(Date.parse(session.body.expiresAt)).toBe(t.clock.now() + 2 * DAY_MS);

    t.clock.advance(2 * DAY_MS - HOUR);
    expect((await t.api('GET', '/api/me', { token: session.body.token })).status).toBe(200);
    t.clock.advance(2 * HOUR);
    expectError(await t.api('GET', '/api/me', { token: session.body.token }), 401, 'UNAUTHENTICATED');
    const view = await t.api('GET', `/api/sessions/${session.body.sessionId}`, {
      token: await t.login('admin', ADMIN_PASSWORD),
    });
    expect(view.body.status).toBe('expired');
  });

  it('signs in to another tenant when asked, and not across tenants', async () => {
    const { tessera } = t.server;
    await tessera.store.tenants.ensure('acme', 'Acme', t.clock.now());
    const username = unique('acme');
    await tessera.users.createAs(
      { tenantId: 'acme', userId: null, tokenId: null, ip: null },
      { username, password: PASSWORD },
    );
    const acme = await mobileLogin({ tenant: 'acme', username, password: PASSWORD, deviceName: 'Phone' });
    expect(acme.status).toBe(200);
    expect(acme.body.user.tenantId).toBe('acme');
    expectError(
      await mobileLogin({ username, password: PASSWORD, deviceName: 'Phone' }),
      401,
      'INVALID_CREDENTIALS',
    );
  });
});
