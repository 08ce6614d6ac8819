import { expect } from 'vitest';
import { DAY } from '../../src/core/clock.ts';
import { cliActor } from '../../src/core/principal.ts';
import { ADMIN_PASSWORD, type Dialect, startTestServer, type TestServer } from '../support/harness.ts';

/**
 * Every kind of caller the authorization matrix and the escalation tests try, built on a fresh server:
 * users of two tenants, and a credential of each kind.
 */

export const PASSWORD = 'a long enough password 1';
export const OTHER_TENANT = 'acme';

/** The principal kinds, in the order the matrix reports them. */
export const PRINCIPAL_KINDS = [
  'anonymous',
  'adminSession',
  'memberSession',
  'mobileSession',
  'memberToken',
  'adminToken',
  'restrictedAdmin',
  'oauthClient',
  'refreshAccess',
  'shareToken',
  'revoked',
  'expired',
  'otherTenantAdmin',
] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

/** What each kind is, for messages and the report. */
export const PRINCIPAL_DESCRIPTIONS: Record<PrincipalKind, string> = {
  anonymous: 'no credential',
  adminSession: 'console session of the bootstrap admin (holds *)',
  memberSession: 'console session of a member (role defaults)',
  mobileSession: 'mobile session of the same member',
  memberToken: "member's personal token narrowed to reports:read, subscription:execute",
  adminToken: "admin's API token narrowed to tokens:manage, reports:read",
  restrictedAdmin: 'console session of an admin holding only users:read, users:write',
  oauthClient:
    'client_credentials access token of a client owned by the admin (clients:manage, reports:read)',
  refreshAccess: "access token minted from the member's refresh token",
  shareToken: 'report share token (bound to one report)',
  revoked: 'admin console session, signed out',
  expired: "admin's personal token (*), expired",
  otherTenantAdmin: 'console session of the admin of another tenant',
};

/** A user of the fixture world: its id, tenant and a console session of its own (to make its objects). */
export interface WorldUser {
  id: number;
  username: string;
  tenant: string;
  role: 'admin' | 'member';
  session: string;
}

export interface Principal {
  kind: PrincipalKind;
  /** The credential; undefined for anonymous. */
  token: string | undefined;
  /** The user it speaks for (null: anonymous). */
  user: WorldUser | null;
}

export interface World {
  t: TestServer;
  users: {
    admin: WorldUser;
    member: WorldUser;
    /** The member whose objects the paths aim at: another user than every principal's. */
    victim: WorldUser;
    restricted: WorldUser;
    otherAdmin: WorldUser;
    otherMember: WorldUser;
  };
  principals: Record<PrincipalKind, Principal>;
  /** The report the share token opens. */
  sharedReportId: string;
  /** The OAuth client the oauthClient principal's token was issued to. */
  client: { id: string; secret: string };
  /** Makes a fresh credential of a kind (for routes that end the credential they are called with). */
  fresh(kind: PrincipalKind): Promise<Principal>;
}

let counter = 0;
/** A name unique in this process. */
export const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

/** Fails the set-up step with the response body in the message. */
export function ok(response: { status: number; body: unknown }, status: number, what: string) {
  expect(response.status, `${what}: ${JSON.stringify(response.body)}`).toBe(status);
  // biome-ignore lint/suspicious/noExplicitAny: set-up reads response bodies freely
  return response.body as any;
}

/** POST of a form body (OAuth and seed 003's endpoints). */
export function postForm(t: TestServer, path: string, form: Record<string, string>, token?: string) {
  return t.api('POST', path, {
    raw: new URLSearchParams(form).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    ...(token ? { token } : {}),
  });
}

/** Builds the world on a fresh server of the dialect. */
export async function buildWorld(dialect: Dialect): Promise<World> {
  const t = await startTestServer(dialect);
  const { tessera } = t.server;

  // The expired credential first: the clock then moves past its expiry (and past the first admin session's).
  const expired = ok(
    await t.api('POST', '/api/me/tokens', {
      token: t.adminToken,
      body: { name: 'soon expired', permissions: ['*'], expiresInDays: 1 },
    }),
    201,
    'expired token',
  ).token as string;
  t.clock.advance(2 * DAY);

  const makeUser = async (
    tenant: string,
    username: string,
    fields: { role?: 'admin' | 'member'; permissions?: string[] } = {},
  ): Promise<WorldUser> => {
    const user = await tessera.users.createAs(cliActor(tenant), { username, password: PASSWORD, ...fields });
    const login = ok(
      await t.api('POST', '/api/auth/login', { body: { tenant, username, password: PASSWORD } }),
      200,
      `login ${username}`,
    );
    return { id: user.id, username, tenant, role: user.role, session: login.token };
  };
  const first = ok(
    await t.api('POST', '/api/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } }),
    200,
    'admin login',
  );
  const admin: WorldUser = {
    id: first.user.id,
    username: 'admin',
    tenant: 'default',
    role: 'admin',
    session: first.token,
  };
  await tessera.store.tenants.ensure(OTHER_TENANT, 'Acme', t.clock.now());
  const users = {
    admin,
    member: await makeUser('default', 'alice'),
    victim: await makeUser('default', 'victim'),
    restricted: await makeUser('default', 'radmin', {
      role: 'admin',
      permissions: ['users:read', 'users:write'],
    }),
    otherAdmin: await makeUser(OTHER_TENANT, 'boss', { role: 'admin' }),
    otherMember: await makeUser(OTHER_TENANT, 'worker'),
  };

  const sharedReportId = 'sec:shared-report';
  ok(
    await t.api('POST', '/api/reports', {
      token: admin.session,
      body: { id: sharedReportId, name: 'Shared report' },
    }),
    201,
    'report',
  );
  const clientBody = ok(
    await t.api('POST', '/api/clients', {
      token: admin.session,
      body: { name: 'matrix client', permissions: ['clients:manage', 'reports:read'] },
    }),
    201,
    'client',
  );
  const client = { id: clientBody.client_id as string, secret: clientBody.client_secret as string };

  // Builders sign in afresh: a route under test may end the user's other sessions (a new password does).
  const adminLogin = () => t.login('admin', ADMIN_PASSWORD);
  const make: Record<PrincipalKind, () => Promise<Principal>> = {
    anonymous: async () => ({ kind: 'anonymous', token: undefined, user: null }),
    adminSession: async () => ({
      kind: 'adminSession',
      token: await adminLogin(),
      user: admin,
    }),
    memberSession: async () => ({
      kind: 'memberSession',
      token: await t.login('alice', PASSWORD),
      user: users.member,
    }),
    mobileSession: async () => ({
      kind: 'mobileSession',
      token: ok(
        await t.api('POST', '/api/auth/mobile/login', {
          body: { username: 'alice', password: PASSWORD, deviceName: 'Phone' },
        }),
        200,
        'mobile login',
      ).token,
      user: users.member,
    }),
    memberToken: async () => ({
      kind: 'memberToken',
      token: ok(
        await t.api('POST', '/api/me/tokens', {
          token: await t.login('alice', PASSWORD),
          body: { name: unique('narrow pat'), permissions: ['reports:read', 'subscription:execute'] },
        }),
        201,
        'member token',
      ).token,
      user: users.member,
    }),
    adminToken: async () => ({
      kind: 'adminToken',
      token: ok(
        await t.api('POST', '/api/tokens', {
          token: await adminLogin(),
          body: { name: unique('narrow admin'), permissions: ['tokens:manage', 'reports:read'] },
        }),
        201,
        'admin token',
      ).token,
      user: admin,
    }),
    restrictedAdmin: async () => ({
      kind: 'restrictedAdmin',
      token: await t.login('radmin', PASSWORD),
      user: users.restricted,
    }),
    oauthClient: async () => ({
      kind: 'oauthClient',
      token: ok(
        await postForm(t, '/oauth/token', {
          grant_type: 'client_credentials',
          client_id: client.id,
          client_secret: client.secret,
        }),
        200,
        'client_credentials grant',
      ).access_token,
      user: admin,
    }),
    refreshAccess: async () => {
      const refresh = ok(
        await t.api('POST', '/integration/v1/createRefreshToken/', {
          body: { username: 'alice', password: PASSWORD, name: unique('rt') },
        }),
        201,
        'refresh token',
      );
      const access = ok(
        await t.api('POST', '/integration/v1/createAPIAccessToken/', {
          body: { refresh_token: refresh.refresh_token, user_id: users.member.id },
        }),
        201,
        'access token',
      );
      return { kind: 'refreshAccess', token: access.api_access_token, user: users.member };
    },
    shareToken: async () => ({
      kind: 'shareToken',
      token: ok(
        await t.api('POST', '/api/tokens', {
          token: await adminLogin(),
          body: { type: 'report', reportId: sharedReportId },
        }),
        201,
        'share token',
      ).token,
      user: admin,
    }),
    revoked: async () => {
      const token = await adminLogin();
      ok(await t.api('POST', '/api/auth/logout', { token }), 204, 'logout');
      return { kind: 'revoked', token, user: admin };
    },
    expired: async () => ({ kind: 'expired', token: expired, user: admin }),
    otherTenantAdmin: async () => ({
      kind: 'otherTenantAdmin',
      token: ok(
        await t.api('POST', '/api/auth/login', {
          body: { tenant: OTHER_TENANT, username: 'boss', password: PASSWORD },
        }),
        200,
        'other tenant login',
      ).token,
      user: users.otherAdmin,
    }),
  };
  const principals = {} as Record<PrincipalKind, Principal>;
  for (const kind of PRINCIPAL_KINDS) principals[kind] = await make[kind]();
  return { t, users, principals, sharedReportId, client, fresh: (kind) => make[kind]() };
}
