import { expect } from 'vitest';
import { HOUR } from '../../src/core/clock.ts';
import { hashPassword } from '../../src/core/secrets.ts';
import { standInSpec } from '../../src/core/token-rules.ts';
import type { TestServer } from '../support/harness.ts';

/** Shared steps of the HTTP suites: making users and checking the management error shape. */

export const MEMBER_PASSWORD = 'member password 1';

/** Creates a user through the API as the bootstrap admin and returns the created user. */
export async function createUser(t: TestServer, fields: Record<string, unknown> & { username: string }) {
  const response = await t.api('POST', '/api/users', {
    token: t.adminToken,
    body: { password: MEMBER_PASSWORD, ...fields },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

/** A new member with a password, and a console session for them. */
export async function memberSession(t: TestServer, username: string, fields: Record<string, unknown> = {}) {
  const user = await createUser(t, { username, role: 'member', ...fields });
  return { user, token: await t.login(username, MEMBER_PASSWORD) };
}

/** Creates an API token as the bootstrap admin and returns the created-token body. */
export async function createToken(t: TestServer, body: Record<string, unknown>) {
  const response = await t.api('POST', '/api/tokens', {
    token: t.adminToken,
    body: { name: 'fixture', expiresInDays: 30, ...body },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

export { expectError } from './token-fixtures.ts';

/**
 * A console session for a single-sign-on user, made the way SSO sign-in will make it: they have no password
 * to sign in with.
 */
export async function ssoConsoleSession(t: TestServer, userId: number): Promise<string> {
  const { tessera } = t.server;
  const user = await tessera.store.users.get('default', userId);
  if (!user) throw new Error(`no user ${userId}`);
  const { token } = await tessera.tokens.issue(
    tessera.store,
    'default',
    userId,
    standInSpec(user, 'ses', 'Console session', t.clock.now() + HOUR, { sessionType: 'console' }),
  );
  return token;
}

/** Gives a user a stored password directly, as data from before single sign-on users were kept password-free. */
export async function storePasswordDirectly(t: TestServer, userId: number, password: string): Promise<void> {
  await t.server.tessera.store.users.update('default', userId, {
    passwordHash: await hashPassword(password),
  });
}
