import { ADMIN_PASSWORD } from '../support/harness.ts';
import { PASSWORD, type Principal, unique } from './principals.ts';
import type { TargetKind } from './targets.ts';

/**
 * How the matrix calls each route: which objects its path (or body) names, how far a principal reaches,
 * and a minimal valid body. The expected outcomes are in authorization-table.ts; this is only plumbing.
 */

/** Whose objects a principal reaches on a route: its own only, or (admins) the tenant's; or tenant-wide objects. */
export type Scope = 'own' | 'tenant' | 'shared';

export interface BodyContext {
  /** The objects the request names, by parameter name. */
  ids: Record<string, string>;
  principal: Principal;
}

export interface RequestSpec {
  targets?: Record<string, TargetKind>;
  scope?: Scope;
  body?: (c: BodyContext) => unknown;
  /** Send the body form-encoded (OAuth). */
  form?: boolean;
  /** The route ends the credential it is called with: every cell gets a fresh one. */
  consumesPrincipal?: boolean;
  /** Run after every other route (changes that could end other credentials of the same user). */
  last?: boolean;
  /** Routes that answer 200 whatever they are given: whether the answer shows the named object was touched. */
  reached?: (body: Json) => boolean;
  /** List routes: items must belong to the caller's user (always, or unless the caller is an admin). */
  ownItems?: 'always' | 'unlessAdmin';
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read freely
export type Json = any;

const named = (prefix: string) => ({ name: unique(prefix) });
const passwordOf = (p: Principal) => (p.user?.username === 'admin' ? ADMIN_PASSWORD : PASSWORD);

export const REQUESTS: Record<string, RequestSpec> = {
  'POST /api/auth/login': { body: () => ({ username: 'victim', password: PASSWORD }) },
  'POST /api/auth/mobile/login': {
    body: () => ({ username: 'victim', password: PASSWORD, deviceName: 'Matrix phone' }),
  },
  'POST /api/verify': { body: () => ({ token: 'tsr_api_not-a-token' }) },
  'POST /api/auth/logout': { consumesPrincipal: true },

  // No expiry asked: a token made with a shorter-lived token (an access token) ends with it.
  'POST /api/tokens': {
    body: () => ({ ...named('matrix'), permissions: ['reports:read'] }),
  },
  'POST /api/tokens #for another user': {
    targets: { userId: 'victimUser' },
    body: ({ ids }) => ({
      ...named('for victim'),
      permissions: ['reports:read'],
      userId: Number(ids.userId),
    }),
  },
  'POST /api/tokens #share link': {
    targets: { reportId: 'report' },
    scope: 'shared',
    body: ({ ids }) => ({ type: 'report', reportId: ids.reportId }),
  },
  'GET /api/tokens': { ownItems: 'unlessAdmin' },
  'GET /api/tokens/{id}': { targets: { id: 'token' }, scope: 'tenant' },
  'PATCH /api/tokens/{id}': {
    targets: { id: 'token' },
    scope: 'tenant',
    body: () => ({ description: 'changed by the matrix' }),
  },
  'DELETE /api/tokens/{id}': { targets: { id: 'token' }, scope: 'tenant' },
  'POST /api/tokens/_revoke': {
    targets: { id: 'token' },
    scope: 'tenant',
    body: ({ ids }) => ({ ids: [ids.id] }),
    reached: (body) => body.revoked === 1,
  },
  'POST /api/tokens/{id}/_rotate': { targets: { id: 'token' }, scope: 'tenant' },
  'POST /api/tokens/{id}/_reveal': { targets: { id: 'token' }, scope: 'tenant' },

  'PATCH /api/me': { body: () => ({ email: `${unique('me')}@example.com` }) },
  'PATCH /api/me #password': {
    // The same password again: the user's other credentials stay usable (unless a change ends them).
    body: ({ principal }) => ({ password: passwordOf(principal), currentPassword: passwordOf(principal) }),
    consumesPrincipal: true,
    last: true,
  },
  'GET /api/me/tokens': { ownItems: 'always' },
  'POST /api/me/tokens': { body: () => ({ ...named('pat'), permissions: ['reports:read'] }) },
  'DELETE /api/me/tokens/{id}': { targets: { id: 'pat' }, scope: 'own' },
  'GET /api/me/refresh-tokens': { ownItems: 'always' },
  'POST /api/me/refresh-tokens': { body: () => named('rt') },
  'POST /api/me/refresh-tokens/{id}/_regenerate': { targets: { id: 'refreshToken' }, scope: 'own' },
  'DELETE /api/me/refresh-tokens/{id}': { targets: { id: 'refreshToken' }, scope: 'own' },
  'GET /api/me/sessions': { ownItems: 'always' },
  'DELETE /api/me/sessions/{id}': { targets: { id: 'session' }, scope: 'own' },
  // Ends the user's other sessions, those of other principals of the same user too.
  'POST /api/me/sessions/_revoke-all': { consumesPrincipal: true, last: true },

  'POST /api/users': {
    body: () => ({ username: unique('matrix-user'), role: 'member', permissions: ['users:read'] }),
  },
  'GET /api/users/{id}': { targets: { id: 'user' }, scope: 'shared' },
  'PATCH /api/users/{id}': {
    targets: { id: 'user' },
    scope: 'shared',
    body: () => ({ fullName: 'Changed by the matrix' }),
  },
  'DELETE /api/users/{id}': { targets: { id: 'user' }, scope: 'shared' },
  'POST /api/users/{id}/sessions/_revoke-all': { targets: { id: 'user' }, scope: 'shared' },
  'POST /api/departments': { body: () => named('dept') },
  'GET /api/departments/{id}': { targets: { id: 'department' }, scope: 'shared' },
  'PATCH /api/departments/{id}': {
    targets: { id: 'department' },
    scope: 'shared',
    body: () => ({ description: 'changed' }),
  },
  'DELETE /api/departments/{id}': { targets: { id: 'department' }, scope: 'shared' },
  'POST /api/user-types': { body: () => named('type') },
  'GET /api/user-types/{id}': { targets: { id: 'userType' }, scope: 'shared' },
  'PATCH /api/user-types/{id}': {
    targets: { id: 'userType' },
    scope: 'shared',
    body: () => ({ description: 'changed' }),
  },
  'DELETE /api/user-types/{id}': { targets: { id: 'userType' }, scope: 'shared' },

  'PATCH /api/settings': { body: () => ({ 'feature_flags.enable_swagger': false }) },
  'POST /api/permissions': {
    body: () => ({ name: `matrix:p${unique('').replace(/\D/g, '')}`, label: 'Matrix' }),
  },

  'POST /api/clients': { body: () => ({ ...named('client'), permissions: ['reports:read'] }) },
  'GET /api/clients/{id}': { targets: { id: 'client' }, scope: 'shared' },
  'DELETE /api/clients/{id}': { targets: { id: 'client' }, scope: 'shared' },
  'POST /api/clients/{id}/_rotate-secret': { targets: { id: 'client' }, scope: 'shared' },

  'POST /api/reports': { body: () => ({ id: `sec:${unique('r')}`, name: 'Matrix report' }) },
  'GET /api/reports/{id}': { targets: { id: 'report' }, scope: 'shared' },
  'PATCH /api/reports/{id}': {
    targets: { id: 'report' },
    scope: 'shared',
    body: () => ({ description: 'changed' }),
  },
  'DELETE /api/reports/{id}': { targets: { id: 'report' }, scope: 'shared' },
  'GET /api/reports/{id}/tokens': { targets: { id: 'report' }, scope: 'shared' },
  'POST /api/reports/{id}/_cloud-publish': { targets: { id: 'report' }, scope: 'shared' },
  'DELETE /api/reports/{id}/cloud-tokens/{tokenId}': {
    targets: { id: 'report', tokenId: 'uuid' },
    scope: 'shared',
  },

  'GET /api/sessions/{id}': { targets: { id: 'session' }, scope: 'tenant' },
  'DELETE /api/sessions/{id}': { targets: { id: 'session' }, scope: 'tenant' },
  'POST /api/sessions/_revoke': {
    targets: { id: 'session' },
    scope: 'tenant',
    body: ({ ids }) => ({ ids: [ids.id] }),
    reached: (body) => body.revoked === 1,
  },

  'POST /oauth/introspect': {
    targets: { token: 'tokenString' },
    scope: 'tenant',
    form: true,
    body: ({ ids }) => ({ token: ids.token }),
    reached: (body) => body.active === true,
  },
};
