import { expect } from 'vitest';
import type { ApiResponse, TestServer } from '../support/harness.ts';
import { type Json, unique } from './token-fixtures.ts';

/** Shared set-up for the OAuth suites: form posts, registered clients, refresh tokens, error checks. */

export const FORM = 'application/x-www-form-urlencoded';

/** POSTs form parameters as a curl -d would, with optional extra headers (e.g. Authorization: Basic). */
export function postForm(
  t: TestServer,
  path: string,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  return t.api('POST', path, {
    raw: new URLSearchParams(params).toString(),
    headers: { 'content-type': FORM, ...headers },
  });
}

/** An `Authorization: Basic` header as RFC 6749 §2.3.1 builds it (form-encoded id and secret). */
export function basic(id: string, secret: string): Record<string, string> {
  const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return { authorization: `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}` };
}

/** Registers a client with POST /api/clients as the admin (or `token`); returns the 201 body. */
export async function createClient(
  t: TestServer,
  body: Record<string, unknown> = {},
  token = t.adminToken,
): Promise<Json> {
  const response = await t.api('POST', '/api/clients', {
    token,
    body: { name: unique('client'), permissions: ['subscription:execute', 'reports:read'], ...body },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

/** A client_credentials grant with the client's id and secret in HTTP Basic. */
export function clientToken(t: TestServer, client: Json, params: Record<string, string> = {}) {
  return postForm(
    t,
    '/oauth/token',
    { grant_type: 'client_credentials', ...params },
    basic(client.client_id, client.client_secret),
  );
}

/** A refresh token for a user, from the core's seed 003 service (the HTTP side is another suite's). */
export async function refreshTokenFor(t: TestServer, username: string, password: string): Promise<string> {
  const issued = await t.server.tessera.refreshTokens.createWithPassword(
    { username, password, name: unique('rt') },
    '127.0.0.1',
  );
  return issued.token;
}

/**
 * Asserts an OAuth error: the status, `{error, error_description}` and nothing else (never the management
 * shape), `no-store`, and the description containing `mentions` when given.
 */
export function expectOAuthError(
  response: ApiResponse,
  status: number,
  error: string,
  mentions?: string,
): void {
  expect({ status: response.status, body: response.body }).toMatchObject({ status, body: { error } });
  expect(Object.keys(response.body).sort()).toEqual(['error', 'error_description']);
  expect(typeof response.body.error_description).toBe('string');
  expect(response.headers.get('content-type')).toBe('application/json;charset=UTF-8');
  expect(response.headers.get('cache-control')).toBe('no-store');
  if (mentions !== undefined) expect(response.body.error_description).toContain(mentions);
}
