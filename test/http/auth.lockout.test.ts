import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../src/core/clock.ts';
import { PermissionSet } from '../../src/core/permissions.ts';
import type { Principal } from '../../src/core/principal.ts';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { ssoConsoleSession, storePasswordDirectly } from './fixtures.ts';
import { post as integrationPost } from './integration-fixtures.ts';
import { postForm } from './oauth-fixtures.ts';
import { createUser, expectError, PASSWORD, unique } from './token-fixtures.ts';

/** The lock-out window (five minutes, from the first failure). */
const WINDOW = 5 * MINUTE;

/** A console sign-in, through a load balancer that says the caller is `from` (when given). */
function loginFrom(t: TestServer, username: string, password: string, from?: string) {
  return t.api('POST', '/api/auth/login', {
    body: { username, password },
    headers: from ? { 'x-forwarded-for': from } : {},
  });
}

/** The audit events of one action about one username, newest first. */
async function failures(t: TestServer, action: string, username: string) {
  const response = await t.api('GET', `/api/audit?limit=200&action=${action}`, { token: t.adminToken });
  expect(response.status).toBe(200);
  // biome-ignore lint/suspicious/noExplicitAny: audit bodies are read freely
  return response.body.items.filter((e: any) => e.details?.username === username);
}

describe.each(DIALECTS)('sign-in lock-out behind a trusted load balancer on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    // The test client connects from 127.0.0.1: here it stands for the load balancer.
    t = await startTestServer(dialect, { TESSERA_TRUST_PROXY: '127.0.0.1' });
  });
  afterAll(() => t?.close());

  it('takes the caller address from X-Forwarded-For of a trusted proxy: counted and audited as that address', async () => {
    const user = await createUser(t);
    // A client's own forged entry comes first; the balancer appends the address it saw, which is believed.
    const wrong = await loginFrom(t, user.username, 'not it', '6.6.6.6, 203.0.113.5');
    expectError(wrong, 401, 'INVALID_CREDENTIALS');
    const [event] = await failures(t, 'auth.login_failed', user.username);
    expect(event).toMatchObject({ ip: '203.0.113.5', details: { username: user.username, count: 1 } });
  });

  it('refuses a forwarded client address that is not an IP address, before any check or audit', async () => {
    const user = await createUser(t);
    for (const forged of ['garbage', '0x7f.1', '203.0.113.13:8080', 'x'.repeat(5000)]) {
      const response = await loginFrom(t, user.username, 'not it', forged);
      expectError(response, 400, 'MALFORMED_REQUEST');
    }
    expect(await failures(t, 'auth.login_failed', user.username)).toEqual([]);
  });

  it('throttles one username sprayed from 25 addresses: after 10 failures every new address gets 429', async () => {
    const victim = await createUser(t);
    const statuses: number[] = [];
    let retryAfter = 0;
    for (let i = 1; i <= 25; i++) {
      const response = await loginFrom(t, victim.username, `guess ${i}`, `198.51.100.${i}`);
      statuses.push(response.status);
      if (response.status === 429) {
        expectError(response, 429, 'TOO_MANY_ATTEMPTS');
        retryAfter = Number(response.headers.get('retry-after'));
      }
    }
    expect(statuses).toEqual([...Array(10).fill(401), ...Array(15).fill(429)]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW / 1000);
    // Even the right password from yet another address waits: the sprayer cannot find it by luck.
    expectError(await loginFrom(t, victim.username, PASSWORD, '198.51.100.200'), 429, 'TOO_MANY_ATTEMPTS');
  });

  it('lets the user in from an address they signed in from before, while their username is locked elsewhere', async () => {
    const victim = await createUser(t);
    // Their usual address: a correct password came from it.
    expect((await loginFrom(t, victim.username, PASSWORD, '192.0.2.10')).status).toBe(200);

    for (let i = 1; i <= 10; i++) await loginFrom(t, victim.username, `guess ${i}`, `198.51.100.${100 + i}`);
    expectError(await loginFrom(t, victim.username, PASSWORD, '192.0.2.99'), 429, 'TOO_MANY_ATTEMPTS');

    // From the known address, which has no failures of its own, the right password still works.
    const known = await loginFrom(t, victim.username, PASSWORD, '192.0.2.10');
    expect(known.status, JSON.stringify(known.body)).toBe(200);
    expect(known.body.token).toMatch(/^tsr_ses_/);
    // A known address keeps its own limit: five wrong passwords from it lock it too.
    for (let i = 1; i <= 5; i++)
      expectError(await loginFrom(t, victim.username, `no ${i}`, '192.0.2.10'), 401, 'INVALID_CREDENTIALS');
    expectError(await loginFrom(t, victim.username, PASSWORD, '192.0.2.10'), 429, 'TOO_MANY_ATTEMPTS');

    // Once the window has passed, a new address works again.
    t.clock.advance(WINDOW + 1000);
    expect((await loginFrom(t, victim.username, PASSWORD, '192.0.2.99')).status).toBe(200);
  });

  it('throttles one address trying many usernames: after 30 failures it gets 429 for any other', async () => {
    const regular = await createUser(t);
    expect((await loginFrom(t, regular.username, PASSWORD, '203.0.113.77')).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 1; i <= 32; i++)
      statuses.push((await loginFrom(t, unique('nobody'), 'guess', '203.0.113.77')).status);
    expect(statuses).toEqual([...Array(30).fill(401), 429, 429]);
    const bystander = await createUser(t);
    expectError(await loginFrom(t, bystander.username, PASSWORD, '203.0.113.77'), 429, 'TOO_MANY_ATTEMPTS');

    // A user who signed in from that address before still can; other addresses are not held back.
    expect((await loginFrom(t, regular.username, PASSWORD, '203.0.113.77')).status).toBe(200);
    expect((await loginFrom(t, bystander.username, PASSWORD, '203.0.113.78')).status).toBe(200);
  });

  it('counts an IPv6 client per /64: a host cannot escape the address limit by changing its address', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 31; i++)
      statuses.push((await loginFrom(t, unique('v6'), 'guess', `2001:db8:1:2::${i.toString(16)}`)).status);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
    const other = await loginFrom(t, unique('v6'), 'guess', '2001:db8:1:3::1');
    expectError(other, 401, 'INVALID_CREDENTIALS');
  });

  it('lets no more than 5 concurrent guesses at one username and address through', async () => {
    const user = await createUser(t);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => loginFrom(t, user.username, `race ${i}`, '203.0.113.90')),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(15).fill(429)]);
  });

  it('folds repeated failures for one username and address into one audit event with a count', async () => {
    const user = await createUser(t);
    for (let i = 0; i < 4; i++) {
      await loginFrom(t, user.username, `wrong ${i}`, '203.0.113.40');
      t.clock.advance(1000);
    }
    await loginFrom(t, user.username, 'wrong', '203.0.113.41');
    let events = await failures(t, 'auth.login_failed', user.username);
    expect(events).toHaveLength(2);
    const folded = events.find((e: { ip: string }) => e.ip === '203.0.113.40');
    expect(folded).toMatchObject({
      targetId: String(user.id),
      details: { username: user.username, reason: 'wrong_password', count: 4 },
    });
    expect(folded.details.lastAt).toBe(new Date(t.clock.now() - 1000).toISOString());
    expect(events.find((e: { ip: string }) => e.ip === '203.0.113.41').details.count).toBe(1);

    // A new window starts a new event.
    t.clock.advance(WINDOW);
    await loginFrom(t, user.username, 'wrong again', '203.0.113.40');
    events = await failures(t, 'auth.login_failed', user.username);
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({ ip: '203.0.113.40', details: { count: 1 } });
    // Unknown usernames are folded and said to be unknown.
    const ghost = unique('ghost');
    await loginFrom(t, ghost, 'a', '203.0.113.42');
    await loginFrom(t, ghost, 'b', '203.0.113.42');
    const [unknown] = await failures(t, 'auth.login_failed', ghost);
    expect(unknown).toMatchObject({ targetId: null, details: { reason: 'unknown_user', count: 2 } });
  });

  it('checks the current password before a change under the same lock-out and audit as sign-in', async () => {
    const user = await createUser(t);
    const principal: Principal = {
      tenantId: 'default',
      userId: user.id,
      role: 'member',
      permissions: new PermissionSet([]),
      tokenId: 'tok_test',
      kind: 'ses',
      ip: '203.0.113.60',
    };
    const { auth } = t.server.tessera;
    await expect(auth.checkCurrentPassword(principal, PASSWORD)).resolves.toBeUndefined();
    for (let i = 0; i < 5; i++) {
      await expect(auth.checkCurrentPassword(principal, `wrong ${i}`)).rejects.toMatchObject({
        code: 'FORBIDDEN',
        field: 'currentPassword',
      });
    }
    await expect(auth.checkCurrentPassword(principal, PASSWORD)).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
    });
    // Shared with sign-in from the same address.
    expectError(await loginFrom(t, user.username, PASSWORD, '203.0.113.60'), 429, 'TOO_MANY_ATTEMPTS');
    const [event] = await failures(t, 'user.password_change_failed', user.username);
    expect(event).toMatchObject({ ip: '203.0.113.60', actorTokenId: 'tok_test', details: { count: 5 } });
  });
});

describe.each(DIALECTS)('single-sign-on users and passwords on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.close());

  /** A single-sign-on user with a password stored from before: the password must open nothing. */
  async function ssoUserWithPassword() {
    const username = unique('sso');
    const created = await t.api('POST', '/api/users', { token: t.adminToken, body: { username, sso: true } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await storePasswordDirectly(t, created.body.id, PASSWORD);
    return { id: created.body.id as number, username };
  }

  it('refuses the password at console sign-in like a wrong one, and audits why', async () => {
    const sso = await ssoUserWithPassword();
    const member = await createUser(t);
    const refused = await t.api('POST', '/api/auth/login', {
      body: { username: sso.username, password: PASSWORD },
    });
    const wrong = await t.api('POST', '/api/auth/login', {
      body: { username: member.username, password: 'x' },
    });
    expectError(refused, 401, 'INVALID_CREDENTIALS');
    expect(refused.body.error.message).toBe(wrong.body.error.message);
    expect(refused.body).not.toHaveProperty('token');
    const [event] = await failures(t, 'auth.login_failed', sso.username);
    expect(event).toMatchObject({ targetId: String(sso.id), details: { reason: 'sso_user', count: 1 } });
  });

  it('refuses the password as OAuth client credentials like a wrong one', async () => {
    const sso = await ssoUserWithPassword();
    const member = await createUser(t);
    const grant = (id: string, secret: string) =>
      postForm(t, '/oauth/token', { grant_type: 'client_credentials', client_id: id, client_secret: secret });
    const refused = await grant(sso.username, PASSWORD);
    const wrong = await grant(member.username, 'not it');
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual(wrong.body);
    expect(refused.body).not.toHaveProperty('access_token');
    const [event] = await failures(t, 'oauth.token_failed', sso.username);
    expect(event.details).toMatchObject({ reason: 'sso_user' });
  });

  it('refuses the password at createRefreshToken like a wrong one; a session from SSO still makes refresh tokens', async () => {
    const sso = await ssoUserWithPassword();
    const member = await createUser(t);
    const refused = await integrationPost(t, 'createRefreshToken', {
      username: sso.username,
      password: PASSWORD,
      name: 'n',
    });
    const wrong = await integrationPost(t, 'createRefreshToken', {
      username: member.username,
      password: 'not it',
      name: 'n',
    });
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual(wrong.body);
    const [event] = await failures(t, 'refresh_token.create_failed', sso.username);
    expect(event.details).toMatchObject({ reason: 'sso_user' });

    const session = await ssoConsoleSession(t, sso.id);
    const own = await t.api('POST', '/api/me/refresh-tokens', { token: session, body: { name: 'from SSO' } });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
  });
});

describe.each(DIALECTS)('X-Forwarded-For from a peer that is not a trusted proxy on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    // The test client (127.0.0.1) is not in the list: what it says in X-Forwarded-For is ignored.
    t = await startTestServer(dialect, { TESSERA_TRUST_PROXY: '10.0.0.0/8' });
  });
  afterAll(() => t?.close());

  it('ignores forged addresses: the lock-out holds and the audit log has the real one', async () => {
    const user = await createUser(t);
    for (let i = 1; i <= 5; i++) {
      const forged = await loginFrom(t, user.username, `guess ${i}`, `198.51.100.${i}`);
      expectError(forged, 401, 'INVALID_CREDENTIALS');
    }
    expectError(await loginFrom(t, user.username, PASSWORD, '198.51.100.6'), 429, 'TOO_MANY_ATTEMPTS');
    const events = await failures(t, 'auth.login_failed', user.username);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ ip: '127.0.0.1', details: { count: 5 } });
  });
});
