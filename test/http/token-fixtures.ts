import { sql } from 'kysely';
import { expect } from 'vitest';
import type { KyselyStore } from '../../src/store/kysely/store.ts';
import type { ApiResponse, TestServer } from '../support/harness.ts';

/** Shared set-up for the token, personal-token and verification suites: users, tokens, error checks. */

/** A response body, read freely by tests. */
// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely
export type Json = any;

export const DAY_MS = 24 * 60 * 60 * 1000;
export const PASSWORD = 'a long enough password';

/** The fields `POST /api/tokens` promises in its 201 (issue 3's contract). */
export const CONTRACT_FIELDS = [
  'id',
  'token',
  'name',
  'description',
  'kind',
  'hint',
  'permissions',
  'resources',
  'userId',
  'departmentId',
  'userTypeId',
  'tenantId',
  'createdAt',
  'expiresAt',
  'status',
];

/** Documented extras of the Token schema (never a hash or a ciphertext). */
export const EXTRA_FIELDS = [
  'createdBy',
  'revokedAt',
  'retrievable',
  'parentId',
  'reportId',
  'lastUsedAt',
  'lastUsedIp',
  'useCount',
];

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const iso = (ms: number) => new Date(ms).toISOString();

let counter = 0;
/** A name no other test in the run uses. */
export const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

export interface CreatedUser {
  id: number;
  username: string;
  /** A console session token of this user. */
  session: string;
}

/** Creates a user with POST /api/users as the bootstrap admin and signs them in. */
export async function createUser(
  t: TestServer,
  fields: Record<string, unknown> = {},
  admin = t.adminToken,
): Promise<CreatedUser> {
  const username = (fields.username as string | undefined) ?? unique('user');
  const response = await t.api('POST', '/api/users', {
    token: admin,
    body: { username, password: PASSWORD, ...fields },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return { id: response.body.id, username, session: await t.login(username, PASSWORD) };
}

/** Creates a department or a user type and returns its id. */
export async function createEntry(
  t: TestServer,
  kind: 'departments' | 'user-types',
  admin = t.adminToken,
): Promise<number> {
  const response = await t.api('POST', `/api/${kind}`, { token: admin, body: { name: unique(kind) } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.id;
}

/** POST /api/tokens that must succeed; returns the 201 body. */
export async function createToken(
  t: TestServer,
  body: Record<string, unknown>,
  token = t.adminToken,
): Promise<Json> {
  const response = await t.api('POST', '/api/tokens', {
    token,
    body: { name: unique('token'), permissions: ['subscription:execute'], ...body },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

/** POST /api/verify with the given token and options; returns the body. */
export async function verify(
  t: TestServer,
  token: string,
  options: Record<string, unknown> = {},
): Promise<Json> {
  const response = await t.api('POST', '/api/verify', { body: { token, ...options } });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

/**
 * Asserts the management error shape `{error: {code, message, requestId, field?}}` (nothing more) with the
 * given status and code, a request id matching the X-Request-Id header, and, when given, the field at fault.
 */
export function expectError(response: ApiResponse, status: number, code: string, field?: string): void {
  expect(
    { status: response.status, code: response.body?.error?.code },
    JSON.stringify(response.body),
  ).toEqual({
    status,
    code,
  });
  const { message, requestId, field: named, code: _code, ...rest } = response.body.error;
  expect(Object.keys(response.body)).toEqual(['error']);
  expect(rest).toEqual({});
  expect(typeof message).toBe('string');
  expect(requestId).toBe(response.headers.get('x-request-id'));
  if (field !== undefined) {
    expect(named).toBe(field);
    expect(message).toContain(field.split(/[.[]/)[0]);
  }
}

/** The Kysely store behind the running server, for reading what really reached the database. */
export function storeOf(t: TestServer): KyselyStore {
  return t.server.tessera.store as KyselyStore;
}

/** How many rows the tokens and audit tables hold, to show that a refused request wrote nothing. */
export async function rowCounts(t: TestServer): Promise<{ tokens: number; audit: number }> {
  const { db } = storeOf(t);
  const count = async (table: 'tokens' | 'auditEvents') => {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  return { tokens: await count('tokens'), audit: await count('auditEvents') };
}

/** The path of the SQLite file the server writes to. */
export async function sqlitePath(t: TestServer): Promise<string> {
  const result = await sql<{ name: string; file: string }>`pragma database_list`.execute(storeOf(t).db);
  const main = result.rows.find((r) => r.name === 'main');
  if (!main?.file) throw new Error('no SQLite file');
  return main.file;
}
