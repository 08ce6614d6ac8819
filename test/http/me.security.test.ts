import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { createUser, expectError, PASSWORD, unique } from './token-fixtures.ts';

/**
 * Who can sign in as a user: email and password change only from a console session and with the current
 * password under the sign-in lock-out; a new password, and "sign out everywhere", end the other sessions.
 */
describe.each(DIALECTS)('profile and sessions security on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.close());

  const mobileSession = async (username: string, password = PASSWORD) => {
    const response = await t.api('POST', '/api/auth/mobile/login', {
      body: { username, password, deviceName: 'Phone' },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.token as string;
  };
  const works = async (token: string) => (await t.api('GET', '/api/me', { token })).status;
  const changePassword = (token: string, currentPassword: string, password: string) =>
    t.api('PATCH', '/api/me', { token, body: { currentPassword, password } });

  it('a narrow API token cannot change its user’s email or password, only harmless fields', async () => {
    const user = await createUser(t, { username: unique('pat-owner'), email: 'owner@example.com' });
    const pat = await t.api('POST', '/api/me/tokens', {
      token: user.session,
      body: { name: 'jobs only', permissions: ['subscription:execute'] },
    });
    const token = pat.body.token as string;
    expectError(
      await t.api('PATCH', '/api/me', { token, body: { email: 'attacker@example.com' } }),
      403,
      'FORBIDDEN',
      'email',
    );
    expectError(
      await changePassword(token, PASSWORD, 'chosen by the attacker'),
      403,
      'FORBIDDEN',
      'password',
    );
    const renamed = await t.api('PATCH', '/api/me', { token, body: { fullName: 'Still Me' } });
    expect(renamed.status).toBe(200);
    const me = await t.api('GET', '/api/me', { token: user.session });
    expect(me.body).toMatchObject({ email: 'owner@example.com', fullName: 'Still Me' });
    expect(await t.login(user.username, PASSWORD)).toBeTruthy();
  });

  it('a mobile session cannot change email or password either', async () => {
    const user = await createUser(t, { username: unique('mobile') });
    const phone = await mobileSession(user.username);
    expectError(
      await t.api('PATCH', '/api/me', { token: phone, body: { email: 'x@example.com' } }),
      403,
      'FORBIDDEN',
      'email',
    );
    expectError(await changePassword(phone, PASSWORD, 'a phone chose this'), 403, 'FORBIDDEN', 'password');
  });

  it('the current-password check shares the sign-in lock-out', async () => {
    const user = await createUser(t, { username: unique('guessed') });
    for (let i = 0; i < 5; i++)
      expectError(
        await changePassword(user.session, `guess number ${i}`, 'a brand new secret'),
        403,
        'FORBIDDEN',
        'currentPassword',
      );
    const locked = await changePassword(user.session, PASSWORD, 'a brand new secret');
    expectError(locked, 429, 'TOO_MANY_ATTEMPTS');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Signing in from the same address is locked out too, and the guesses are in the audit log.
    expectError(
      await t.api('POST', '/api/auth/login', { body: { username: user.username, password: PASSWORD } }),
      429,
      'TOO_MANY_ATTEMPTS',
    );
    const audit = await t.api('GET', `/api/audit?action=user.password_change_failed&targetId=${user.id}`, {
      token: t.adminToken,
    });
    expect(audit.body.items.length).toBeGreaterThan(0);
    t.clock.advance(Number(locked.headers.get('retry-after')) * 1000 + 1000);
    expect((await changePassword(user.session, PASSWORD, 'a brand new secret')).status).toBe(200);
  });

  it('a new password ends every other console and mobile session; the one that changed it stays', async () => {
    const user = await createUser(t, { username: unique('changer') });
    const laptop = await t.login(user.username, PASSWORD);
    const phone = await mobileSession(user.username);
    const pat = (
      await t.api('POST', '/api/me/tokens', {
        token: user.session,
        body: { name: 'kept', permissions: ['*'] },
      })
    ).body.token as string;
    expect((await changePassword(user.session, PASSWORD, 'my second password')).status).toBe(200);
    expect(await works(user.session)).toBe(200);
    expect(await works(laptop)).toBe(401);
    expect(await works(phone)).toBe(401);
    // API tokens are separate credentials, listed on the profile: they stay until revoked.
    expect(await works(pat)).toBe(200);
  });

  it("an admin's password reset ends all of the user's sessions", async () => {
    const user = await createUser(t, { username: unique('reset') });
    const phone = await mobileSession(user.username);
    const reset = await t.api('PATCH', `/api/users/${user.id}`, {
      token: t.adminToken,
      body: { password: 'reset by the admin' },
    });
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect(await works(user.session)).toBe(401);
    expect(await works(phone)).toBe(401);
    expect(await works(t.adminToken)).toBe(200);
    const audit = await t.api('GET', `/api/audit?action=user.update&targetId=${user.id}`, {
      token: t.adminToken,
    });
    expect(audit.body.items[0].details).toMatchObject({ passwordChanged: true, sessionsEnded: 2 });
  });

  it('signs out everywhere: yourself (keeping this session), or a user by an admin', async () => {
    const user = await createUser(t, { username: unique('everywhere') });
    const laptop = await t.login(user.username, PASSWORD);
    const phone = await mobileSession(user.username);
    const own = await t.api('POST', '/api/me/sessions/_revoke-all', { token: user.session });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect(own.body).toEqual({ revoked: 2 });
    expect(await works(user.session)).toBe(200);
    expect(await works(laptop)).toBe(401);
    expect(await works(phone)).toBe(401);

    const other = await createUser(t, { username: unique('bystander') });
    expectError(
      await t.api('POST', `/api/users/${other.id}/sessions/_revoke-all`, { token: user.session }),
      403,
      'FORBIDDEN',
    );
    expect(await works(other.session)).toBe(200);
    const byAdmin = await t.api('POST', `/api/users/${user.id}/sessions/_revoke-all`, {
      token: t.adminToken,
    });
    expect(byAdmin.body).toEqual({ revoked: 1 });
    expect(await works(user.session)).toBe(401);
    expectError(
      await t.api('POST', '/api/users/999999/sessions/_revoke-all', { token: t.adminToken }),
      404,
      'USER_NOT_FOUND',
    );
  });
});
