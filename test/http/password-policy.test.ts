import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { createUser, expectError, PASSWORD, unique } from './token-fixtures.ts';

/** NIST SP 800-63B: a minimum length (a setting), no composition rules, no common or breached passwords. */
describe.each(DIALECTS)('password policy on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.close());

  const create = (password: string, fields: Record<string, unknown> = {}) =>
    t.api('POST', '/api/users', {
      token: t.adminToken,
      body: { username: unique('policy'), password, ...fields },
    });

  it.each([
    ['password', /at least 12 characters/],
    ['12345678', /at least 12 characters/],
    ['        ', /at least 12 characters/],
    ['eleven char', /at least 12 characters/],
    ['            ', /one character repeated/],
    ['aaaaaaaaaaaaaaaa', /one character repeated/],
    ['passwordpassword', /most common passwords/],
    ['Qwertyuiop123', /most common passwords/],
    ['123456789012', /most common passwords/],
  ])('refuses %j, naming the field and the rule', async (password, rule) => {
    const response = await create(password);
    expectError(response, 400, 'VALIDATION_FAILED', 'password');
    expect(response.body.error.message).toMatch(rule);
  });

  it("refuses the user's own username, email or name as their password", async () => {
    const username = unique('self.named');
    const byName = await create(username, { username });
    expectError(byName, 400, 'VALIDATION_FAILED', 'password');
    expect(byName.body.error.message).toMatch(/your username, email or name/);
    const byEmail = await create('first.last@example.com', { email: 'first.last@example.com' });
    expectError(byEmail, 400, 'VALIDATION_FAILED', 'password');
    const repeated = unique('mem2');
    for (const password of [`${repeated}${repeated}`, `my name is ${repeated}!`])
      expectError(await create(password, { username: repeated }), 400, 'VALIDATION_FAILED', 'password');
    const service = await create('tessera12345678');
    expectError(service, 400, 'VALIDATION_FAILED', 'password');
    expect(service.body.error.message).toMatch(/name of this service/);
  });

  it('takes any long enough uncommon password, without composition rules', async () => {
    for (const password of ['all lower case words', 'ünïcödé pässwörd', '🔑🔑 emoji and words'])
      expect((await create(password)).status, password).toBe(201);
  });

  it('follows authentication.password_min_length, and applies on the profile too', async () => {
    const user = await createUser(t, { username: unique('lengthy') });
    const set = (value: number) =>
      t.api('PATCH', '/api/settings', {
        token: t.adminToken,
        body: { 'authentication.password_min_length': value },
      });
    expectError(await set(6), 400, 'VALIDATION_FAILED', 'authentication.password_min_length');
    expect((await set(20)).status).toBe(200);
    try {
      const short = await t.api('PATCH', '/api/me', {
        token: user.session,
        body: { currentPassword: PASSWORD, password: 'nineteen characters' },
      });
      expectError(short, 400, 'VALIDATION_FAILED', 'password');
      expect(short.body.error.message).toMatch(/at least 20 characters/);
      const long = await t.api('PATCH', '/api/me', {
        token: user.session,
        body: { currentPassword: PASSWORD, password: 'twenty-one characters' },
      });
      expect(long.status, JSON.stringify(long.body)).toBe(200);
    } finally {
      await set(12);
    }
  });
});
