import type { PrincipalKind } from './principals.ts';

/**
 * The one table of who may call what: every route of `/openapi.json` under `/api` (and the bearer form of
 * `/oauth/introspect`), and for each principal kind (described in principals.ts) the outcome a security
 * reviewer expects. The matrix test fails for a route with no entry here, and for an entry whose route is
 * gone. A key with ` #…` after the route is a second body for the same route.
 *
 * What a cell means:
 * - The request names the object the principal would reach if allowed: its own (a member's token, anyone's
 *   personal token or session, the share token's report), or for an administrator another user's object
 *   of its tenant. Then the same request names another tenant's object (and, where the principal reaches
 *   only its own, another user's): an `allow` must find nothing there (404, or a 200 that touched nothing),
 *   a refusal must stay a refusal.
 * - `otherTenantAdmin` always names the first tenant's objects: its `allow` on a list or create route acts
 *   in its own tenant, and the test checks that nothing of the first tenant shows in a listing.
 * - `conflict-409`: authorized, then refused for the state (cloud publishing is not configured in the test).
 * - `invalid-400`: authorized, then refused because the body names a user of another tenant.
 *
 * A cell written `hole('deny-403', '…')` (with a `HOLE` comment) records the correct policy for a hole found
 * and not yet closed: the test lists it and fails while it is open, and once it is closed until the mark is
 * removed, so the table says only what is true.
 */

export const OUTCOMES = [
  'allow',
  'deny-401',
  'deny-403',
  'not-found-404',
  'conflict-409',
  'invalid-400',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** A cell the service does not meet yet: the correct outcome, and why it differs today. */
export interface Hole {
  expect: Outcome;
  hole: string;
}
export type Cell = Outcome | Hole;
export type Row = Record<PrincipalKind, Cell>;

export const hole = (expect: Outcome, why: string): Hole => ({ expect, hole: why });
export const expected = (cell: Cell): Outcome => (typeof cell === 'string' ? cell : cell.expect);

const A: Outcome = 'allow';
const NF: Outcome = 'not-found-404';

/**
 * A row: the cells given, `deny-401` for the three principals without a valid credential (unless given),
 * and `rest` for every other principal.
 */
function row(cells: Partial<Row>, rest: Outcome = 'deny-403'): Row {
  return {
    anonymous: 'deny-401',
    revoked: 'deny-401',
    expired: 'deny-401',
    adminSession: rest,
    memberSession: rest,
    mobileSession: rest,
    memberToken: rest,
    adminToken: rest,
    restrictedAdmin: rest,
    oauthClient: rest,
    refreshAccess: rest,
    shareToken: rest,
    otherTenantAdmin: rest,
    ...cells,
  };
}

/** Public routes: the credential, if any, is not looked at. */
const PUBLIC: Row = row({ anonymous: A, revoked: A, expired: A }, A);

/** Holders of tokens:manage: every principal but the narrow member token, the users-only admin and the client. */
const TOKEN_MANAGERS = {
  adminSession: A,
  memberSession: A,
  mobileSession: A,
  adminToken: A,
  refreshAccess: A,
  otherTenantAdmin: A,
} as const;
/** The same on a route whose path names an object: another tenant's admin finds nothing. */
const TOKEN_MANAGERS_BY_ID = { ...TOKEN_MANAGERS, otherTenantAdmin: NF } as const;
/** Holders of reports:read. */
const REPORT_READERS = { ...TOKEN_MANAGERS, memberToken: A, oauthClient: A } as const;
/** Admins (role) holding tokens:manage. */
const TOKEN_ADMINS = { adminSession: A, adminToken: A, otherTenantAdmin: A } as const;
/** Admins holding users:read / users:write. */
const USER_ADMINS = { adminSession: A, restrictedAdmin: A, otherTenantAdmin: A } as const;
const USER_ADMINS_BY_ID = { ...USER_ADMINS, otherTenantAdmin: NF } as const;
/** Admins holding everything (settings, audit, reports:manage). */
const FULL_ADMINS = { adminSession: A, otherTenantAdmin: A } as const;
const FULL_ADMINS_BY_ID = { adminSession: A, otherTenantAdmin: NF } as const;
/** Admins holding clients:manage. */
const CLIENT_ADMINS = { adminSession: A, oauthClient: A, otherTenantAdmin: A } as const;
const CLIENT_ADMINS_BY_ID = { ...CLIENT_ADMINS, otherTenantAdmin: NF } as const;
/** Console sessions only (not mobile sessions, API, personal or access tokens). */
const CONSOLE_SESSIONS = row({ adminSession: A, memberSession: A, restrictedAdmin: A, otherTenantAdmin: A });
/** Any valid credential but a share token. */
const SIGNED_IN = row({ shareToken: 'deny-403' }, A);

export const AUTHORIZATION_TABLE: Record<string, Row> = {
  // Sign-in, verification: public.
  'POST /api/auth/login': PUBLIC,
  'POST /api/auth/mobile/login': PUBLIC,
  'POST /api/verify': PUBLIC,
  'GET /api/verify': PUBLIC,
  'POST /api/auth/logout': SIGNED_IN,

  // Admin API tokens and share tokens.
  'POST /api/tokens': row(TOKEN_MANAGERS),
  // A token for someone else acts as them: the admin's narrow token lacks what the member holds.
  'POST /api/tokens #for another user': row({ adminSession: A, otherTenantAdmin: 'invalid-400' }),
  // Share links: administrators holding reports:manage (the admin's narrow token does not).
  'POST /api/tokens #share link': row({ adminSession: A, otherTenantAdmin: NF }),
  'GET /api/tokens': row(TOKEN_MANAGERS),
  'GET /api/tokens/{id}': row(TOKEN_MANAGERS_BY_ID),
  'PATCH /api/tokens/{id}': row(TOKEN_MANAGERS_BY_ID),
  'DELETE /api/tokens/{id}': row(TOKEN_MANAGERS_BY_ID),
  'POST /api/tokens/_revoke': row(TOKEN_MANAGERS),
  'POST /api/tokens/{id}/_rotate': row(TOKEN_MANAGERS_BY_ID),
  // Shown again only to a person signed in: a token shown to a token would outlive it.
  'POST /api/tokens/{id}/_reveal': row({ adminSession: A, otherTenantAdmin: NF }),

  // The caller's own profile, personal tokens, refresh tokens and sessions.
  'GET /api/me': SIGNED_IN,
  // Email and password decide who can sign in as the user: they change only from a console session.
  'PATCH /api/me': CONSOLE_SESSIONS,
  'PATCH /api/me #password': CONSOLE_SESSIONS,
  'GET /api/me/tokens': row(TOKEN_MANAGERS),
  'POST /api/me/tokens': row(TOKEN_MANAGERS),
  'DELETE /api/me/tokens/{id}': row(TOKEN_MANAGERS_BY_ID),
  'GET /api/me/refresh-tokens': row(TOKEN_MANAGERS),
  // A refresh token outlives the caller: made (and remade) only from a console session (a lost phone's
  // mobile session must not outlast a password change through one).
  'POST /api/me/refresh-tokens': row({ adminSession: A, memberSession: A, otherTenantAdmin: A }),
  'POST /api/me/refresh-tokens/{id}/_regenerate': row({
    adminSession: A,
    memberSession: A,
    otherTenantAdmin: NF,
  }),
  'DELETE /api/me/refresh-tokens/{id}': row(TOKEN_MANAGERS_BY_ID),
  'GET /api/me/sessions': row(TOKEN_MANAGERS),
  'DELETE /api/me/sessions/{id}': row(TOKEN_MANAGERS_BY_ID),
  // Like listing and ending them one by one.
  'POST /api/me/sessions/_revoke-all': row(TOKEN_MANAGERS),

  // Users, departments, user types.
  'GET /api/users': row(USER_ADMINS),
  'POST /api/users': row(USER_ADMINS),
  'GET /api/users/{id}': row(USER_ADMINS_BY_ID),
  // The target holds a member's defaults, which the users-only admin does not: changing them is not its call.
  'PATCH /api/users/{id}': row({ ...USER_ADMINS_BY_ID, restrictedAdmin: 'deny-403' }),
  // The target holds a member's defaults, which the users-only admin does not: removing them is not its call.
  'DELETE /api/users/{id}': row({ ...USER_ADMINS_BY_ID, restrictedAdmin: 'deny-403' }),
  // Signing a user out is, like deleting them, for someone holding every right they hold.
  'POST /api/users/{id}/sessions/_revoke-all': row({ ...USER_ADMINS_BY_ID, restrictedAdmin: 'deny-403' }),
  'GET /api/departments': row(USER_ADMINS),
  'POST /api/departments': row(USER_ADMINS),
  'GET /api/departments/{id}': row(USER_ADMINS_BY_ID),
  'PATCH /api/departments/{id}': row(USER_ADMINS_BY_ID),
  'DELETE /api/departments/{id}': row(USER_ADMINS_BY_ID),
  'GET /api/user-types': row(USER_ADMINS),
  'POST /api/user-types': row(USER_ADMINS),
  'GET /api/user-types/{id}': row(USER_ADMINS_BY_ID),
  'PATCH /api/user-types/{id}': row(USER_ADMINS_BY_ID),
  'DELETE /api/user-types/{id}': row(USER_ADMINS_BY_ID),

  // Settings, permission catalog, audit log, signing keys.
  'GET /api/settings': row(FULL_ADMINS),
  'GET /api/settings/_definitions': row(FULL_ADMINS),
  'PATCH /api/settings': row(FULL_ADMINS),
  'GET /api/permissions': SIGNED_IN,
  'POST /api/permissions': row(FULL_ADMINS),
  'GET /api/audit': row(FULL_ADMINS),
  // Signing keys serve every tenant: only the default tenant's administrators see and rotate them.
  'GET /api/keys': row({ adminSession: A }),
  'POST /api/keys/_rotate': row({ adminSession: A }),

  // OAuth clients.
  'POST /api/clients': row(CLIENT_ADMINS),
  'GET /api/clients': row(CLIENT_ADMINS),
  'GET /api/clients/{id}': row(CLIENT_ADMINS_BY_ID),
  'DELETE /api/clients/{id}': row(CLIENT_ADMINS_BY_ID),
  'POST /api/clients/{id}/_rotate-secret': row(CLIENT_ADMINS_BY_ID),

  // Reports and their share tokens.
  'GET /api/reports': row(REPORT_READERS),
  'POST /api/reports': row(FULL_ADMINS),
  'GET /api/reports/{id}': row({ ...REPORT_READERS, shareToken: A, otherTenantAdmin: NF }),
  'PATCH /api/reports/{id}': row(FULL_ADMINS_BY_ID),
  'DELETE /api/reports/{id}': row(FULL_ADMINS_BY_ID),
  // Readers may list, but see only the share links they created; managers see all (reports.security tests
  // check the filtering).
  'GET /api/reports/{id}/tokens': row({ ...REPORT_READERS, otherTenantAdmin: NF }),
  // Publishing makes a share link on the cloud: the same rule as a local one.
  'POST /api/reports/{id}/_cloud-publish': row({ adminSession: 'conflict-409', otherTenantAdmin: NF }),
  'DELETE /api/reports/{id}/cloud-tokens/{tokenId}': row({
    adminSession: 'conflict-409',
    adminToken: 'conflict-409',
    otherTenantAdmin: NF,
  }),

  // Sign-in sessions of the tenant.
  'GET /api/sessions': row(TOKEN_ADMINS),
  'GET /api/sessions/{id}': row({ ...TOKEN_ADMINS, otherTenantAdmin: NF }),
  'DELETE /api/sessions/{id}': row({ ...TOKEN_ADMINS, otherTenantAdmin: NF }),
  'POST /api/sessions/_revoke': row(TOKEN_ADMINS),

  // RFC 7662 introspection with a Bearer token (the client-credentials form is the OAuth suites' business).
  'POST /oauth/introspect': row({ adminSession: A, otherTenantAdmin: A }),
};
