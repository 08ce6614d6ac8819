import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { type CallerKind, type EscalationKit, escalationKit } from './escalation-kit.ts';
import { ok, PASSWORD, postForm, unique } from './principals.ts';

/**
 * No principal obtains a right it does not hold. Four callers with narrow rights (an admin holding only
 * users:read and users:write, an admin's API token, a member's session, a member's personal token) and an
 * OAuth client's token try every route that creates or changes users, tokens, clients, refresh tokens,
 * rotations and settings. Each attempt must be refused, or yield a credential that still lacks the
 * permission the caller lacked: the test signs in with it, or verifies it, and asks.
 */

describe.each(DIALECTS)('privilege escalation on %s', (dialect) => {
  let t: TestServer;
  let kit: EscalationKit;

  beforeAll(async () => {
    t = await startTestServer(dialect);
    kit = await escalationKit(t);
  });
  afterAll(() => t?.close());

  describe('users: role, permissions, another admin’s password', () => {
    it('a users-only admin cannot create an admin it could sign in as', async () => {
      const username = unique('new-admin');
      const response = await kit.post(await kit.callers.restrictedAdmin(), '/api/users', {
        username,
        role: 'admin',
        password: PASSWORD,
      });
      await kit.expectNoGain(response, 'settings:manage', () => ({ username, password: PASSWORD }));
    });

    it('a users-only admin cannot create a member holding a permission it lacks', async () => {
      const username = unique('new-member');
      const response = await kit.post(await kit.callers.restrictedAdmin(), '/api/users', {
        username,
        permissions: ['subscription:execute'],
        password: PASSWORD,
      });
      await kit.expectNoGain(response, 'subscription:execute', () => ({ username, password: PASSWORD }));
    });

    it('a users-only admin cannot create a member with the role defaults, which it does not hold', async () => {
      const username = unique('defaults');
      const response = await kit.post(await kit.callers.restrictedAdmin(), '/api/users', {
        username,
        password: PASSWORD,
      });
      await kit.expectNoGain(response, 'tokens:manage', () => ({ username, password: PASSWORD }));
    });

    it('a users-only admin can still create a user within its own rights (the rule is not "refuse all")', async () => {
      const username = unique('within');
      const response = await kit.post(await kit.callers.restrictedAdmin(), '/api/users', {
        username,
        role: 'member',
        permissions: ['users:read'],
        password: PASSWORD,
      });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      expect(await kit.holds({ username, password: PASSWORD }, 'users:read')).toBe(true);
      expect(await kit.holds({ username, password: PASSWORD }, 'users:write')).toBe(false);
    });

    it('a users-only admin cannot widen its own rights: permissions null (the admin defaults) or a longer list', async () => {
      for (const permissions of [null, ['users:read', 'users:write', 'settings:manage']]) {
        const caller = await kit.callers.restrictedAdmin();
        const response = await kit.patch(caller, `/api/users/${caller.userId}`, { permissions });
        expect(response.status, JSON.stringify(response.body)).toBeLessThan(500);
        await kit.expectStillLacks(caller, 'settings:manage');
      }
    });

    it('a users-only admin cannot promote a member it made into an admin', async () => {
      const caller = await kit.callers.restrictedAdmin();
      const username = unique('promoted');
      const created = ok(
        await kit.post(caller, '/api/users', { username, permissions: ['users:read'], password: PASSWORD }),
        201,
        'member within rights',
      );
      const response = await kit.patch(caller, `/api/users/${created.id}`, {
        role: 'admin',
        permissions: null,
      });
      await kit.expectNoGain(response, 'settings:manage', () => ({ username, password: PASSWORD }));
    });

    it('a users-only admin cannot reset a full admin’s password, nor rename them', async () => {
      const target = await kit.newUser('admin');
      const caller = await kit.callers.restrictedAdmin();
      const reset = await kit.patch(caller, `/api/users/${target.id}`, {
        password: 'a brand new password 9',
      });
      await kit.expectNoGain(reset, 'settings:manage', () => ({
        username: target.username,
        password: 'a brand new password 9',
      }));
      const rename = await kit.patch(caller, `/api/users/${target.id}`, { username: unique('taken-over') });
      expect(rename.status, JSON.stringify(rename.body)).toBe(403);
    });

    it('no caller without users:write changes a user’s role or permissions, its own included', async () => {
      for (const make of [
        kit.callers.adminToken,
        kit.callers.member,
        kit.callers.memberPat,
        kit.callers.oauthClient,
      ]) {
        const caller = await make();
        for (const body of [{ role: 'admin' }, { permissions: null }, { permissions: ['settings:manage'] }]) {
          const response = await kit.patch(caller, `/api/users/${caller.userId}`, body);
          expect(response.status, JSON.stringify(response.body)).toBe(403);
        }
        const response = await kit.patch(caller, `/api/users/${kit.fullAdmin.id}`, {
          password: 'taken over 12345',
        });
        expect(response.status).toBe(403);
      }
    });
  });

  describe('tokens: permissions beyond one’s own, *, another admin’s user, rotation, reveal', () => {
    const tokenOf = (body: { token: string }) => ({ token: body.token });

    it('an API or personal token asks for a permission its caller lacks: refused', async () => {
      const cases: [CallerKind, string, string][] = [
        ['adminToken', '/api/tokens', 'subscription:execute'],
        ['adminToken', '/api/me/tokens', 'subscription:execute'],
        ['memberPat', '/api/tokens', 'subscription:execute'],
        ['memberPat', '/api/me/tokens', 'subscription:execute'],
        ['member', '/api/tokens', 'settings:manage'],
        ['member', '/api/me/tokens', 'reports:manage'],
      ];
      for (const [who, path, permission] of cases) {
        const response = await kit.post(await kit.callers[who](), path, {
          name: unique('x'),
          permissions: [permission],
        });
        await kit.expectNoGain(response, permission, tokenOf);
      }
    });

    it('a personal token for "*" is everything the user holds, so a narrower caller cannot make one', async () => {
      for (const who of ['adminToken', 'memberPat'] as const) {
        for (const body of [{ permissions: ['*'] }, {}]) {
          const response = await kit.post(await kit.callers[who](), '/api/me/tokens', {
            name: unique('all'),
            ...body,
          });
          await kit.expectNoGain(response, 'subscription:execute', tokenOf);
        }
      }
      const adminWide = await kit.post(await kit.callers.adminToken(), '/api/tokens', {
        name: unique('star'),
        permissions: ['*'],
      });
      expect(adminWide.status).toBe(400);
    });

    it('a token for another admin carries no more than the caller holds', async () => {
      for (const who of ['adminToken', 'member', 'memberPat'] as const) {
        const response = await kit.post(await kit.callers[who](), '/api/tokens', {
          name: unique('for admin'),
          permissions: ['settings:manage'],
          userId: kit.fullAdmin.id,
        });
        await kit.expectNoGain(response, 'settings:manage', tokenOf);
      }
    });

    it('rotating or revealing a token that carries more than the caller yields nothing', async () => {
      const wide = ok(
        await t.api('POST', '/api/tokens', {
          token: kit.fullAdmin.token,
          body: { name: unique('wide'), permissions: ['settings:manage'], retrievable: true },
        }),
        201,
        'wide token',
      );
      for (const who of ['adminToken', 'member', 'memberPat', 'restrictedAdmin', 'oauthClient'] as const) {
        const caller = await kit.callers[who]();
        const rotated = await kit.post(caller, `/api/tokens/${wide.id}/_rotate`);
        await kit.expectNoGain(rotated, 'settings:manage', tokenOf);
        const revealed = await kit.post(caller, `/api/tokens/${wide.id}/_reveal`);
        await kit.expectNoGain(revealed, 'settings:manage', tokenOf);
      }
    });

    it('rotating one’s own user’s wider token through a narrow personal token yields nothing', async () => {
      const user = await kit.newUser('member');
      const wide = ok(
        await t.api('POST', '/api/tokens', {
          token: user.token,
          body: { name: unique('wide own'), permissions: ['subscription:execute'] },
        }),
        201,
        'own wide token',
      );
      const pat = ok(
        await t.api('POST', '/api/me/tokens', {
          token: user.token,
          body: { name: unique('narrow'), permissions: ['tokens:manage'] },
        }),
        201,
        'narrow pat',
      );
      const rotated = await t.api('POST', `/api/tokens/${wide.id}/_rotate`, { token: pat.token });
      await kit.expectNoGain(rotated, 'subscription:execute', tokenOf);
    });
  });

  describe('OAuth clients', () => {
    it('a client is registered only with permissions its registrar holds', async () => {
      for (const who of ['oauthClient', 'adminToken', 'restrictedAdmin', 'member'] as const) {
        const response = await kit.post(await kit.callers[who](), '/api/clients', {
          name: unique('wide client'),
          permissions: ['settings:manage'],
        });
        await kit.expectNoGain(response, 'settings:manage', (body: Record<string, string>) => ({
          clientId: body.client_id!,
          clientSecret: body.client_secret!,
        }));
      }
    });

    it('the secret of a client that carries more than the caller is not handed over', async () => {
      const wide = ok(
        await t.api('POST', '/api/clients', {
          token: kit.fullAdmin.token,
          body: { name: unique('wide client'), permissions: ['settings:manage'] },
        }),
        201,
        'wide client',
      );
      const response = await kit.post(
        await kit.callers.oauthClient(),
        `/api/clients/${wide.client_id}/_rotate-secret`,
      );
      await kit.expectNoGain(response, 'settings:manage', (body: Record<string, string>) => ({
        clientId: body.client_id!,
        clientSecret: body.client_secret!,
      }));
    });
  });

  describe('refresh tokens', () => {
    /** A refresh token's worth: an access token minted from it, asked whether it holds `lacked`. */
    const viaAccessToken = async (refresh: string, userId: number) => {
      const minted = await t.api('POST', '/integration/v1/createAPIAccessToken/', {
        body: { refresh_token: refresh, user_id: userId },
      });
      return { token: minted.status === 201 ? (minted.body.api_access_token as string) : 'tsr_at_none' };
    };

    it('no token but a session makes or remakes a refresh token (which carries all the user holds)', async () => {
      for (const who of ['adminToken', 'memberPat', 'oauthClient'] as const) {
        const caller = await kit.callers[who]();
        const created = await kit.post(caller, '/api/me/refresh-tokens', { name: unique('rt') });
        await kit.expectNoGain(created, 'subscription:execute', (body: Record<string, string>) =>
          viaAccessToken(body.token!, caller.userId),
        );
      }
      // The narrow admin token's own user has a refresh token (made in a console session): remaking it is refused.
      const own = ok(
        await t.api('POST', '/api/me/refresh-tokens', {
          token: kit.fullAdmin.token,
          body: { name: unique('own') },
        }),
        201,
        'own refresh token',
      );
      const regenerated = await kit.post(
        await kit.callers.adminToken(),
        `/api/me/refresh-tokens/${own.id}/_regenerate`,
      );
      await kit.expectNoGain(regenerated, 'settings:manage', (body: Record<string, string>) =>
        viaAccessToken(body.token!, kit.fullAdmin.id),
      );
    });

    it('a refresh token mints access tokens for its own user only, holding only what that user holds', async () => {
      const member = await kit.newUser('member');
      const refresh = ok(
        await t.api('POST', '/integration/v1/createRefreshToken/', {
          body: { username: member.username, password: PASSWORD, name: unique('rt') },
        }),
        201,
        'refresh token',
      ).refresh_token as string;
      const forAdmin = await t.api('POST', '/integration/v1/createAPIAccessToken/', {
        body: { refresh_token: refresh, user_id: kit.fullAdmin.id },
      });
      expect(forAdmin.status).toBe(403);
      const regenerated = await t.api('POST', '/integration/v1/regenerateRefreshToken/', {
        body: { refresh_token: refresh, user_id: kit.fullAdmin.id },
      });
      expect(regenerated.status).toBe(403);
      expect((await viaAccessToken(refresh, member.id)).token).not.toBe('tsr_at_none');
      expect(await kit.holds(await viaAccessToken(refresh, member.id), 'users:write')).toBe(false);
      const scoped = await postForm(t, '/oauth/token', {
        grant_type: 'refresh_token',
        refresh_token: refresh,
        scope: 'users:write',
      });
      expect(scoped.status).toBeGreaterThanOrEqual(400);
    });

    it('a users-only admin’s own refresh token carries only users:read and users:write', async () => {
      const caller = await kit.newUser('admin', ['users:read', 'users:write']);
      const refresh = ok(
        await t.api('POST', '/integration/v1/createRefreshToken/', {
          body: { username: caller.username, password: PASSWORD, name: unique('rt') },
        }),
        201,
        'refresh token',
      ).refresh_token as string;
      expect(await kit.holds(await viaAccessToken(refresh, caller.id), 'settings:manage')).toBe(false);
    });
  });

  describe('settings and the permission catalog', () => {
    it('nobody without settings:manage changes a setting or adds a permission', async () => {
      for (const make of Object.values(kit.callers)) {
        const caller = await make();
        const settings = await kit.patch(caller, '/api/settings', {
          'authentication.token.api_token_max_lifespan': 3650,
        });
        expect(settings.status, JSON.stringify(settings.body)).toBe(403);
        const permission = await kit.post(caller, '/api/permissions', { name: 'escalate:now', label: 'x' });
        expect(permission.status, JSON.stringify(permission.body)).toBe(403);
        const keys = await kit.post(caller, '/api/keys/_rotate');
        expect(keys.status, JSON.stringify(keys.body)).toBe(403);
      }
    });
  });

  describe('one’s own profile', () => {
    it('no API, personal or access token changes its user’s password (which would sign in with everything)', async () => {
      for (const who of ['adminToken', 'memberPat', 'oauthClient'] as const) {
        const caller = await kit.callers[who]();
        const password = 'a fresh password 42';
        const response = await kit.patch(caller, '/api/me', { password, currentPassword: PASSWORD });
        expect(response.status, JSON.stringify(response.body)).toBe(403);
      }
    });
  });
});
