import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { expectError, MEMBER_PASSWORD, memberSession } from './fixtures.ts';

describe.each(DIALECTS)('your profile (/api/me) on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.close());

  const signIn = (username: string, password: string) =>
    t.api('POST', '/api/auth/login', { body: { username, password } });

  it('shows the signed-in user', async () => {
    const { user, token } = await memberSession(t, 'reader', {
      fullName: 'Rita Reader',
      email: 'rita@example.com',
    });
    const me = await t.api('GET', '/api/me', { token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      id: user.id,
      username: 'reader',
      fullName: 'Rita Reader',
      email: 'rita@example.com',
      role: 'member',
    });
    expect(me.body).not.toHaveProperty('passwordHash');
  });

  it('changes full name, email and preferred language, and keeps them', async () => {
    const { token } = await memberSession(t, 'editor');
    const patched = await t.api('PATCH', '/api/me', {
      token,
      body: { fullName: 'Eddie Editor', email: 'eddie@example.com', preferredLanguage: 'de-CH' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      fullName: 'Eddie Editor',
      email: 'eddie@example.com',
      preferredLanguage: 'de-CH',
    });
    const me = await t.api('GET', '/api/me', { token });
    expect(me.body).toMatchObject({
      fullName: 'Eddie Editor',
      email: 'eddie@example.com',
      preferredLanguage: 'de-CH',
    });
  });

  it('refuses a malformed email and fields a user may not set on themselves', async () => {
    const { token } = await memberSession(t, 'climber');
    expectError(
      await t.api('PATCH', '/api/me', { token, body: { email: 'not-an-email' } }),
      400,
      'VALIDATION_FAILED',
      'email',
    );
    expectError(
      await t.api('PATCH', '/api/me', { token, body: { role: 'admin' } }),
      400,
      'VALIDATION_FAILED',
      'role',
    );
    expectError(
      await t.api('PATCH', '/api/me', { token, body: { permissions: ['*'] } }),
      400,
      'VALIDATION_FAILED',
      'permissions',
    );
    expectError(await t.api('PATCH', '/api/me', { token, body: {} }), 400, 'VALIDATION_FAILED');
    const me = await t.api('GET', '/api/me', { token });
    expect(me.body).toMatchObject({ role: 'member', permissions: null, email: null });
  });

  it('needs the current password to set a new one', async () => {
    const { token } = await memberSession(t, 'forgetful');
    expectError(
      await t.api('PATCH', '/api/me', { token, body: { password: 'a brand new secret' } }),
      400,
      'VALIDATION_FAILED',
      'currentPassword',
    );
    const wrong = await t.api('PATCH', '/api/me', {
      token,
      body: { password: 'a brand new secret', currentPassword: 'not my password' },
    });
    expect(wrong.status).toBeGreaterThanOrEqual(400);
    expect(wrong.status).toBeLessThan(500);
    expect(wrong.body.error.field).toBe('currentPassword');
    expect((await signIn('forgetful', MEMBER_PASSWORD)).status).toBe(200);
    expect((await signIn('forgetful', 'a brand new secret')).status).toBe(401);
  });

  it('changes the password: the new one signs in, the old one no longer does', async () => {
    const { token } = await memberSession(t, 'rotator');
    const changed = await t.api('PATCH', '/api/me', {
      token,
      body: { password: 'a brand new secret', currentPassword: MEMBER_PASSWORD },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).not.toHaveProperty('password');
    const fresh = await signIn('rotator', 'a brand new secret');
    expect(fresh.status).toBe(200);
    expect((await t.api('GET', '/api/me', { token: fresh.body.token })).body.username).toBe('rotator');
    expectError(await signIn('rotator', MEMBER_PASSWORD), 401, 'INVALID_CREDENTIALS');
  });

  it('refuses a new password shorter than the minimum, naming the field', async () => {
    const { token } = await memberSession(t, 'shorty');
    expectError(
      await t.api('PATCH', '/api/me', {
        token,
        body: { password: 'short', currentPassword: MEMBER_PASSWORD },
      }),
      400,
      'VALIDATION_FAILED',
      'password',
    );
    expect((await signIn('shorty', MEMBER_PASSWORD)).status).toBe(200);
  });
});
