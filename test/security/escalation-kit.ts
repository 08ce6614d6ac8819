import { expect } from 'vitest';
import { cliActor } from '../../src/core/principal.ts';
import type { TestServer } from '../support/harness.ts';
import { ok, PASSWORD, postForm, unique } from './principals.ts';

/**
 * The callers the escalation tests try, and the one question they ask of what each attempt handed back:
 * does it hold the permission the caller lacked?
 */

/** What an attempt handed back that could speak for someone. */
export type Credential =
  | { token: string }
  | { username: string; password: string; tenant?: string }
  | { clientId: string; clientSecret: string };

export interface Caller {
  token: string;
  userId: number;
}

/** Makes the callers on a running server, with a full admin of its own (who owns what the callers narrow). */
export async function escalationKit(t: TestServer) {
  /** A new user made by the command line (any role and rights), signed in. */
  async function newUser(role: 'admin' | 'member', permissions?: string[]) {
    const username = unique(role);
    const user = await t.server.tessera.users.createAs(cliActor('default'), {
      username,
      password: PASSWORD,
      role,
      ...(permissions ? { permissions } : {}),
    });
    return { id: user.id, username, token: await t.login(username, PASSWORD) };
  }

  const callers = {
    /** An admin holding users:read and users:write only. */
    restrictedAdmin: async (): Promise<Caller> => {
      const user = await newUser('admin', ['users:read', 'users:write']);
      return { token: user.token, userId: user.id };
    },
    /** An admin's API token narrowed to tokens:manage and reports:read. */
    adminToken: async (): Promise<Caller> => ({
      token: ok(
        await t.api('POST', '/api/tokens', {
          token: fullAdmin.token,
          body: { name: unique('narrow'), permissions: ['tokens:manage', 'reports:read'] },
        }),
        201,
        'admin token',
      ).token,
      userId: fullAdmin.id,
    }),
    /** A member's console session (role defaults: no users:*, settings:*, clients:*, reports:manage). */
    member: async (): Promise<Caller> => {
      const user = await newUser('member');
      return { token: user.token, userId: user.id };
    },
    /** A member's personal token narrowed to tokens:manage and reports:read (the member also holds subscription:execute). */
    memberPat: async (): Promise<Caller> => {
      const user = await newUser('member');
      const pat = ok(
        await t.api('POST', '/api/me/tokens', {
          token: user.token,
          body: { name: unique('pat'), permissions: ['tokens:manage', 'reports:read'] },
        }),
        201,
        'member pat',
      );
      return { token: pat.token, userId: user.id };
    },
    /** A client_credentials token of a client holding clients:manage and reports:read, owned by a full admin. */
    oauthClient: async (): Promise<Caller> => {
      const client = ok(
        await t.api('POST', '/api/clients', {
          token: fullAdmin.token,
          body: { name: unique('client'), permissions: ['clients:manage', 'reports:read'] },
        }),
        201,
        'client',
      );
      const grant = ok(
        await postForm(t, '/oauth/token', {
          grant_type: 'client_credentials',
          client_id: client.client_id,
          client_secret: client.client_secret,
        }),
        200,
        'grant',
      );
      return { token: grant.access_token, userId: fullAdmin.id };
    },
  };

  /** Whether a credential holds a permission now: verified directly, or after signing in with it. */
  async function holds(credential: Credential, permission: string): Promise<boolean> {
    let token: string | undefined;
    if ('token' in credential) token = credential.token;
    else if ('username' in credential) {
      const login = await t.api('POST', '/api/auth/login', { body: credential });
      token = login.status === 200 ? login.body.token : undefined;
    } else {
      const grant = await postForm(t, '/oauth/token', {
        grant_type: 'client_credentials',
        client_id: credential.clientId,
        client_secret: credential.clientSecret,
      });
      token = grant.status === 200 ? grant.body.access_token : undefined;
    }
    if (token === undefined) return false;
    const verified = await t.api('POST', '/api/verify', { body: { token, permission } });
    return verified.body.valid === true;
  }

  /** The escalation rule itself: refused, or what came back lacks `lacked`. */
  async function expectNoGain(
    response: { status: number; body: unknown },
    lacked: string,
    // biome-ignore lint/suspicious/noExplicitAny: the 2xx body of whichever route was called
    credential: (body: any) => Credential | Promise<Credential>,
  ) {
    expect(response.status, JSON.stringify(response.body)).toBeLessThan(500);
    if (response.status >= 300) return;
    const gained = await credential(response.body);
    // A 2xx that yields nothing to try would make this check vacuous: the route's answer changed shape.
    for (const value of Object.values(gained))
      expect(typeof value, `a credential from ${JSON.stringify(response.body)}`).toBe('string');
    expect(await holds(gained, lacked), `obtained ${lacked}: ${JSON.stringify(response.body)}`).toBe(false);
  }

  /** The caller itself must not hold `lacked` afterwards (for changes to its own user). */
  async function expectStillLacks(caller: Caller, lacked: string) {
    expect(await holds({ token: caller.token }, lacked)).toBe(false);
  }

  const post = (caller: Caller, path: string, body?: unknown) =>
    t.api('POST', path, { token: caller.token, ...(body === undefined ? {} : { body }) });
  const patch = (caller: Caller, path: string, body: unknown) =>
    t.api('PATCH', path, { token: caller.token, body });

  const fullAdmin = await newUser('admin');
  return { fullAdmin, newUser, callers, holds, expectNoGain, expectStillLacks, post, patch };
}

export type EscalationKit = Awaited<ReturnType<typeof escalationKit>>;
export type CallerKind = keyof EscalationKit['callers'];
