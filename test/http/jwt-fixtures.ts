import { expect } from 'vitest';
import { HOUR } from '../../src/core/clock.ts';
import type { IssuedToken } from '../../src/core/tokens.ts';
import type { TestServer } from '../support/harness.ts';

/** Shared steps of the JWT access-token suites. */

/** Turns JWT access tokens on (or off) through the settings API, as an administrator would. */
export async function useJwtAccessTokens(t: TestServer, on = true): Promise<void> {
  const response = await t.api('PATCH', '/api/settings', {
    token: t.adminToken,
    body: { 'oauth.jwt_access_tokens': on },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

/** The bootstrap admin's user id. */
export async function adminId(t: TestServer): Promise<number> {
  const response = await t.api('GET', '/api/me', { token: t.adminToken });
  return response.body.id;
}

/**
 * Issues an access token the way the OAuth grants do: through the core's one issuer, inside a
 * transaction (the /oauth/token endpoint is tested separately).
 */
export function issueAccessToken(
  t: TestServer,
  userId: number,
  fields: { permissions?: string[]; clientId?: string | null; lifetimeMs?: number } = {},
): Promise<IssuedToken> {
  const { tessera } = t.server;
  return tessera.store.transaction((tx) =>
    tessera.accessTokens.issue(tx, 'default', userId, {
      kind: 'at',
      name: 'jwt test',
      description: null,
      permissions: fields.permissions ?? ['subscription:execute'],
      resources: [],
      userId,
      departmentId: null,
      userTypeId: null,
      expiresAt: t.clock.now() + (fields.lifetimeMs ?? HOUR),
      retrievable: false,
      parentId: null,
      clientId: fields.clientId === undefined ? 'reporting-service' : fields.clientId,
    }),
  );
}

/** POST /api/verify; returns the body. */
export async function verify(t: TestServer, token: string, options: Record<string, unknown> = {}) {
  const response = await t.api('POST', '/api/verify', { body: { token, ...options } });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

/** The decoded JSON of one JWT segment (0: header, 1: payload). */
export function segment(jwt: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[index]!, 'base64url').toString('utf8'));
}

/** The JWT with one character of its signature changed (in the middle, so the decoded bytes change). */
export function tamperSignature(jwt: string): string {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  const i = Math.floor(signature.length / 2);
  const swapped = signature[i] === 'A' ? 'B' : 'A';
  return `${header}.${payload}.${signature.slice(0, i)}${swapped}${signature.slice(i + 1)}`;
}
