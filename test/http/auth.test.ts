import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, DIALECTS, START, startTestServer, type TestServer } from '../support/harness.ts';
import { createUser, expectError, MEMBER_PASSWORD } from './fixtures.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe.each(DIALECTS)('sign-in and sessions on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.close());

  const login = (username: string, password: string) =>
    t.api('POST', '/api/auth/login', { body: { username, password } });

  it('signs in with a username and password and returns a session token, its expiry and the user', async () => {
    const response = await login('admin', ADMIN_PASSWORD);
    expect(response.status).toBe(200);
    expect(response.body.token).toMatch(/^tsr_ses_/);
    expect(Date.parse(response.body.expiresAt)).toBeGreaterThan(t.clock.now());
    expect(response.body.user).toMatchObject({ username: 'admin', role: 'admin' });
    expect(response.body.user).not.toHaveProperty('passwordHash');
    const me = await t.api('GET', '/api/me', { token: response.body.token });
    expect(me.status).toBe(200);
    expect(me.body.username).toBe('admin');
  });

  it('treats the username without case', async () => {
    expect((await login('ADMIN', ADMIN_PASSWORD)).status).toBe(200);
  });

  it('refuses a wrong password and an unknown user alike with 401 INVALID_CREDENTIALS', async () => {
    await createUser(t, { username: 'wrongpass' });
    const wrong = await login('wrongpass', 'not the password');
    const unknown = await login('nobody-here', 'not the password');
    expectError(wrong, 401, 'INVALID_CREDENTIALS');
    expectError(unknown, 401, 'INVALID_CREDENTIALS');
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
    expect(wrong.body).not.toHaveProperty('token');
  });

  it('refuses a missing password or an unknown field with 400 naming the field', async () => {
    expectError(
      await t.api('POST', '/api/auth/login', { body: { username: 'admin' } }),
      400,
      'VALIDATION_FAILED',
      'password',
    );
    expectError(
      await t.api('POST', '/api/auth/login', {
        body: { username: 'admin', password: ADMIN_PASSWORD, role: 'admin' },
      }),
      400,
      'VALIDATION_FAILED',
      'role',
    );
  });

  it('throttles a username and IP after 5 failures with 429 and Retry-After, until the window passes', async () => {
    await createUser(t, { username: 'throttled' });
    for (let i = 0; i < 5; i++) expectError(await login('throttled', 'guess'), 401, 'INVALID_CREDENTIALS');

    const blocked = await login('throttled', MEMBER_PASSWORD);
    expectError(blocked, 429, 'TOO_MANY_ATTEMPTS');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(blocked.body).not.toHaveProperty('token');

    // Another user from the same address is not held back.
    await createUser(t, { username: 'bystander' });
    expect((await login('bystander', MEMBER_PASSWORD)).status).toBe(200);

    t.clock.advance(retryAfter * 1000 - 2000);
    expectError(await login('throttled', MEMBER_PASSWORD), 429, 'TOO_MANY_ATTEMPTS');
    t.clock.advance(3000);
    const after = await login('throttled', MEMBER_PASSWORD);
    expect(after.status).toBe(200);
    expect(after.body.token).toMatch(/^tsr_ses_/);
  });

  it('throttles guesses at an unknown username as well', async () => {
    for (let i = 0; i < 5; i++) expectError(await login('ghost', 'guess'), 401, 'INVALID_CREDENTIALS');
    expectError(await login('ghost', 'guess'), 429, 'TOO_MANY_ATTEMPTS');
  });

  it('ends a session after authentication.session_lifespan hours', async () => {
    const patched = await t.api('PATCH', '/api/settings', {
      token: t.adminToken,
      body: { 'authentication.session_lifespan': 2 },
    });
    expect(patched.status).toBe(200);
    await createUser(t, { username: 'shortlived' });
    const session = await login('shortlived', MEMBER_PASSWORD);
    expect(Date.parse(session.body.expiresAt)).toBe(t.clock.now() + 2 * HOUR);

    t.clock.advance(2 * HOUR - MINUTE);
    expect((await t.api('GET', '/api/me', { token: session.body.token })).status).toBe(200);
    t.clock.advance(2 * MINUTE);
    const expired = await t.api('GET', '/api/me', { token: session.body.token });
    expectError(expired, 401, 'UNAUTHENTICATED');
    expect(expired.headers.get('www-authenticate')).toMatch(/^Bearer/);

    // The admin's session, opened at START with the default 12 hours, is still good.
    expect(t.clock.now() - START).toBeLessThan(12 * HOUR);
    expect((await t.api('GET', '/api/me', { token: t.adminToken })).status).toBe(200);
  });

  it('signs out: the session token stops working, other sessions do not', async () => {
    const session = await t.login('admin', ADMIN_PASSWORD);
    expect((await t.api('GET', '/api/me', { token: session })).status).toBe(200);
    const out = await t.api('POST', '/api/auth/logout', { token: session });
    expect(out.status).toBe(204);
    expectError(await t.api('GET', '/api/me', { token: session }), 401, 'UNAUTHENTICATED');
    expectError(await t.api('POST', '/api/auth/logout', { token: session }), 401, 'UNAUTHENTICATED');
    expect((await t.api('GET', '/api/me', { token: t.adminToken })).status).toBe(200);
  });

  it('refuses management calls without a token, with a garbage token, and sign-out without a token', async () => {
    expectError(await t.api('GET', '/api/me'), 401, 'UNAUTHENTICATED');
    expectError(await t.api('GET', '/api/me', { token: 'tsr_ses_nonsense' }), 401, 'UNAUTHENTICATED');
    expectError(await t.api('POST', '/api/auth/logout'), 401, 'UNAUTHENTICATED');
  });
});
