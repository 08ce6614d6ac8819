import { expect } from 'vitest';
import { ADMIN_PASSWORD, type ApiResponse, type TestServer } from '../support/harness.ts';
import { type CreatedUser, createUser, type Json, PASSWORD, unique } from './token-fixtures.ts';

/** Shared steps of the /integration/v1 suites (seed 003): posting forms or JSON, and the {detail, code} errors. */

export const HOUR_MS = 60 * 60 * 1000;
export const BASE = '/integration/v1';

export type Encoding = 'form' | 'json';
/** Seed 003's clients post forms; others post JSON. Every endpoint is driven with both. */
export const ENCODINGS: Encoding[] = ['form', 'json'];

/**
 * POSTs `fields` to `/integration/v1/<endpoint>/` as a form (every value as text, as curl and requests send
 * it) or as JSON (as given).
 */
export function post(
  t: TestServer,
  endpoint: string,
  fields: Record<string, unknown>,
  encoding: Encoding = 'form',
): Promise<ApiResponse> {
  const path = `${BASE}/${endpoint}/`;
  if (encoding === 'json') return t.api('POST', path, { body: fields });
  const form = new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)]));
  return t.api('POST', path, {
    raw: form.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

/** Asserts seed 003's error shape `{detail, code}` (nothing more), its status, and what the detail names. */
export function expectIntegrationError(
  response: ApiResponse,
  status: number,
  code: string,
  detailContains?: string,
): void {
  expect({ status: response.status, code: response.body?.code }, JSON.stringify(response.body)).toEqual({
    status,
    code,
  });
  expect(Object.keys(response.body).sort()).toEqual(['code', 'detail']);
  expect(response.body.detail).toMatch(/\S/);
  if (detailContains !== undefined) expect(response.body.detail).toContain(detailContains);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
}

/** A member with a password, created by the admin; `fields` may make them a single-sign-on user. */
export function integrationUser(t: TestServer, fields: Record<string, unknown> = {}): Promise<CreatedUser> {
  return createUser(t, { username: unique('integ'), ...fields });
}

/** createRefreshToken/ that must succeed; returns the 201 body. */
export async function createRefreshToken(
  t: TestServer,
  user: CreatedUser,
  name = 'My Precious',
  encoding: Encoding = 'form',
): Promise<Json> {
  const response = await post(
    t,
    'createRefreshToken',
    { username: user.username, password: PASSWORD, name },
    encoding,
  );
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

/** createAPIAccessToken/ that must succeed; returns the 201 body. */
export async function createAccessToken(
  t: TestServer,
  user: CreatedUser,
  refreshToken: string,
  encoding: Encoding = 'form',
): Promise<Json> {
  const response = await post(
    t,
    'createAPIAccessToken',
    { refresh_token: refreshToken, user_id: user.id },
    encoding,
  );
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

/** The status an authenticated management call gets with `token` in a TOKEN header. */
export async function meStatusWithTokenHeader(t: TestServer, token: string): Promise<number> {
  return (await t.api('GET', '/api/me', { headers: { token } })).status;
}

/** A fresh session of the bootstrap admin: tests move the clock past the first one's 12 hours. */
export function adminSession(t: TestServer): Promise<string> {
  return t.login('admin', ADMIN_PASSWORD);
}

/** PATCH /api/settings as the bootstrap admin, which must succeed. */
export async function setSettings(t: TestServer, values: Record<string, unknown>): Promise<void> {
  const token = await adminSession(t);
  const response = await t.api('PATCH', '/api/settings', { token, body: values });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}
