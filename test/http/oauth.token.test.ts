import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { basic, clientToken, createClient, expectOAuthError, FORM, postForm } from './oauth-fixtures.ts';
import { createUser, expectError, type Json, PASSWORD, verify } from './token-fixtures.ts';

const HOUR_S = 3600;

describe.each(DIALECTS)('the token endpoint, client_credentials, on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.close());

  const userGrant = (path: string, username: string, password: string, extra: Record<string, string> = {}) =>
    postForm(t, path, {
      grant_type: 'client_credentials',
      client_id: username,
      client_secret: password,
      ...extra,
    });

  describe('seed 002: a user’s username and password as client_id and client_secret', () => {
    it.each(['/apiops/auth/token', '/oauth/token'])(
      'answers %s with a Bearer token, seed 002’s content type and no-store',
      async (path) => {
        const member = await createUser(t);
        const response = await fetch(t.url + path, {
          method: 'POST',
          headers: { 'Content-Type': FORM },
          body: `grant_type=client_credentials&client_id=${member.username}&client_secret=${encodeURIComponent(PASSWORD)}`,
        });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('application/json;charset=UTF-8');
        expect(response.headers.get('cache-control')).toBe('no-store');
        expect(response.headers.get('pragma')).toBe('no-cache');
        const body: Json = await response.json();
        expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
        expect(body.token_type).toBe('Bearer');
        expect(body.access_token).toMatch(/^tsr_at_/);
        expect(body.expires_in).toBe(24 * HOUR_S);
        expect(body.scope.split(' ').sort()).toEqual(
          ['reports:read', 'semantic-model:refresh', 'subscription:execute', 'tokens:manage'].sort(),
        );
      },
    );

    it('issues a token that works on the management API with the user’s own permissions, as Bearer and as TOKEN', async () => {
      const member = await createUser(t);
      const granted = await userGrant('/oauth/token', member.username, PASSWORD);
      const token = granted.body.access_token;
      const me = await t.api('GET', '/api/me', { token });
      expect(me.status).toBe(200);
      expect(me.body.username).toBe(member.username);
      const viaHeader = await t.api('GET', '/api/me', { headers: { TOKEN: token } });
      expect(viaHeader.body.username).toBe(member.username);
      // A member may not list users, and neither may their access token.
      expectError(await t.api('GET', '/api/users', { token }), 403, 'FORBIDDEN');
      const verified = await verify(t, token, { permission: 'subscription:execute' });
      expect(verified).toMatchObject({ valid: true, kind: 'at', userId: member.id });
      // The admin's variant acts as the admin.
      const admin = await userGrant('/oauth/token', 'admin', 'correct horse battery');
      expect((await t.api('GET', '/api/users', { token: admin.body.access_token })).status).toBe(200);
    });

    it('narrows the token to the requested scope, and refuses a scope the user does not hold or that is unknown', async () => {
      const member = await createUser(t);
      const narrow = await userGrant('/oauth/token', member.username, PASSWORD, { scope: 'reports:read' });
      expect(narrow.status).toBe(200);
      expect(narrow.body.scope).toBe('reports:read');
      expect((await verify(t, narrow.body.access_token)).permissions).toEqual(['reports:read']);
      expect((await verify(t, narrow.body.access_token, { permission: 'subscription:execute' })).code).toBe(
        'PERMISSION_DENIED',
      );
      expectOAuthError(
        await userGrant('/oauth/token', member.username, PASSWORD, { scope: 'users:write' }),
        400,
        'invalid_scope',
        'users:write',
      );
      expectOAuthError(
        await userGrant('/oauth/token', member.username, PASSWORD, { scope: 'nonsense:scope' }),
        400,
        'invalid_scope',
        'nonsense:scope',
      );
    });

    it('answers wrong credentials exactly as seed 002 does: 401 unauthorized_client "Bad credentials"', async () => {
      const member = await createUser(t);
      for (const [id, secret] of [
        [member.username, 'not the password'],
        ['nobody-at-all', 'whatever'],
      ]) {
        const response = await userGrant('/apiops/auth/token', id!, secret!);
        expect(response.status).toBe(401);
        expect(response.body).toEqual({ error: 'unauthorized_client', error_description: 'Bad credentials' });
        expect(response.headers.get('content-type')).toBe('application/json;charset=UTF-8');
      }
    });

    it('turns the user-credential variant off and on with oauth.allow_user_credentials', async () => {
      const member = await createUser(t);
      const set = (value: boolean) =>
        t.api('PATCH', '/api/settings', {
          token: t.adminToken,
          body: { 'oauth.allow_user_credentials': value },
        });
      expect((await set(false)).status).toBe(200);
      try {
        const refused = await userGrant('/oauth/token', member.username, PASSWORD);
        expectOAuthError(refused, 401, 'invalid_client');
        expect(refused.headers.get('www-authenticate')).toBe('Basic realm="tessera"');
        // Registered clients are not affected.
        expect((await clientToken(t, await createClient(t))).status).toBe(200);
      } finally {
        expect((await set(true)).status).toBe(200);
      }
      expect((await userGrant('/oauth/token', member.username, PASSWORD)).status).toBe(200);
    });

    it('throttles password guessing like sign-in: 429 slow_down with Retry-After, until the window passes', async () => {
      const member = await createUser(t);
      for (let i = 0; i < 5; i++)
        expect((await userGrant('/oauth/token', member.username, `guess ${i}`)).status).toBe(401);
      const blocked = await userGrant('/oauth/token', member.username, PASSWORD);
      expectOAuthError(blocked, 429, 'slow_down');
      const retryAfter = Number(blocked.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(blocked.body).not.toHaveProperty('access_token');
      // Sign-in shares the counter: the password is the same secret.
      expectError(
        await t.api('POST', '/api/auth/login', { body: { username: member.username, password: PASSWORD } }),
        429,
        'TOO_MANY_ATTEMPTS',
      );
      t.clock.advance(retryAfter * 1000 + 1000);
      expect((await userGrant('/oauth/token', member.username, PASSWORD)).status).toBe(200);
    });
  });

  describe('registered clients', () => {
    it('issues a token with HTTP Basic or with form fields, carrying the client’s permissions', async () => {
      const client = await createClient(t, { permissions: ['subscription:execute', 'reports:read'] });
      const viaBasic = await clientToken(t, client);
      expect(viaBasic.status).toBe(200);
      expect(viaBasic.body).toMatchObject({ token_type: 'Bearer', expires_in: 24 * HOUR_S });
      expect(viaBasic.body.scope).toBe('subscription:execute reports:read');
      const viaForm = await postForm(t, '/oauth/token', {
        grant_type: 'client_credentials',
        client_id: client.client_id,
        client_secret: client.client_secret,
      });
      expect(viaForm.status).toBe(200);
      const verified = await verify(t, viaForm.body.access_token);
      expect(verified).toMatchObject({ valid: true, kind: 'at', userId: client.userId });
      expect(verified.permissions.sort()).toEqual(['reports:read', 'subscription:execute']);
      const record = await t.server.tessera.store.tokens.get('default', verified.tokenId);
      expect(record?.clientId).toBe(client.client_id);
    });

    it('narrows to a requested scope, and refuses a scope beyond the client’s with invalid_scope', async () => {
      const client = await createClient(t, { permissions: ['subscription:execute', 'reports:read'] });
      const narrow = await clientToken(t, client, { scope: 'reports:read' });
      expect(narrow.body.scope).toBe('reports:read');
      expect((await verify(t, narrow.body.access_token)).permissions).toEqual(['reports:read']);
      expectOAuthError(
        await clientToken(t, client, { scope: 'reports:read users:write' }),
        400,
        'invalid_scope',
        'users:write',
      );
    });

    it('gives the token the client’s lifespan, or the access-token lifespan setting, and ends it on time', async () => {
      const short = await createClient(t, { accessTokenLifespan: 600 });
      const granted = await clientToken(t, short);
      expect(granted.body.expires_in).toBe(600);
      t.clock.advance(599_000);
      expect((await verify(t, granted.body.access_token)).valid).toBe(true);
      t.clock.advance(2_000);
      expect((await verify(t, granted.body.access_token)).code).toBe('TOKEN_EXPIRED');
      expectError(
        await t.api('GET', '/api/me', { token: granted.body.access_token }),
        401,
        'UNAUTHENTICATED',
      );

      const patched = await t.api('PATCH', '/api/settings', {
        token: t.adminToken,
        body: { 'authentication.token.access_token_lifespan': 2 },
      });
      expect(patched.status).toBe(200);
      try {
        expect((await clientToken(t, await createClient(t))).body.expires_in).toBe(2 * HOUR_S);
      } finally {
        await t.api('PATCH', '/api/settings', {
          token: t.adminToken,
          body: { 'authentication.token.access_token_lifespan': 24 },
        });
      }
    });

    it('answers a wrong secret or an unknown client with 401 invalid_client and WWW-Authenticate', async () => {
      const client = await createClient(t);
      const other = await createClient(t);
      for (const response of [
        await clientToken(t, { ...client, client_secret: other.client_secret }),
        await clientToken(t, { ...client, client_id: 'cli_Unknown000000000000000' }),
        await postForm(t, '/oauth/token', {
          grant_type: 'client_credentials',
          client_id: client.client_id,
          client_secret: 'tsr_cs_wrong',
        }),
      ]) {
        expectOAuthError(response, 401, 'invalid_client');
        expect(response.headers.get('www-authenticate')).toBe('Basic realm="tessera"');
      }
    });

    it('throttles secret guessing per client id and IP: 429 slow_down with Retry-After', async () => {
      const client = await createClient(t);
      for (let i = 0; i < 5; i++)
        expect((await clientToken(t, { ...client, client_secret: `guess-${i}` })).status).toBe(401);
      const blocked = await clientToken(t, client);
      expectOAuthError(blocked, 429, 'slow_down');
      const retryAfter = Number(blocked.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      t.clock.advance(retryAfter * 1000 + 1000);
      expect((await clientToken(t, client)).status).toBe(200);
    });

    it('lets exactly five of twenty concurrent secret guesses through to a check', async () => {
      const client = await createClient(t);
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => clientToken(t, { ...client, client_secret: `guess-${i}` })),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    });
  });

  describe('malformed requests', () => {
    it('answers 400 invalid_request naming the missing or repeated parameter', async () => {
      const client = await createClient(t);
      expectOAuthError(
        await postForm(t, '/oauth/token', {
          client_id: client.client_id,
          client_secret: client.client_secret,
        }),
        400,
        'invalid_request',
        'grant_type',
      );
      expectOAuthError(
        await postForm(t, '/oauth/token', { grant_type: 'client_credentials', client_id: 'admin' }),
        400,
        'invalid_request',
        'client_secret',
      );
      expectOAuthError(
        await postForm(t, '/oauth/token', { grant_type: 'client_credentials' }),
        400,
        'invalid_request',
        'client_id',
      );
      const repeated = await t.api('POST', '/oauth/token', {
        raw: 'grant_type=client_credentials&grant_type=refresh_token',
        headers: { 'content-type': FORM, ...basic(client.client_id, client.client_secret) },
      });
      expectOAuthError(repeated, 400, 'invalid_request', 'grant_type');
      expectOAuthError(await t.api('POST', '/oauth/token'), 400, 'invalid_request', 'grant_type');
    });

    it('refuses client credentials sent both in HTTP Basic and in the body', async () => {
      const client = await createClient(t);
      const both = await postForm(
        t,
        '/oauth/token',
        { grant_type: 'client_credentials', client_secret: client.client_secret },
        basic(client.client_id, client.client_secret),
      );
      expectOAuthError(both, 400, 'invalid_request', 'client_secret');
    });

    it('refuses a JSON body with invalid_request, not the management error shape', async () => {
      const response = await t.api('POST', '/oauth/token', {
        body: { grant_type: 'client_credentials', client_id: 'admin', client_secret: 'x' },
      });
      expectOAuthError(response, 400, 'invalid_request', 'x-www-form-urlencoded');
    });

    it('answers a body over the limit with 413 invalid_request, and documents the OAuth shapes', async () => {
      const big = await postForm(t, '/oauth/token', {
        grant_type: 'client_credentials',
        scope: 'x'.repeat(70 * 1024),
      });
      expectOAuthError(big, 413, 'invalid_request');
      const doc = (await t.api('GET', '/openapi.json')).body;
      const token = doc.paths['/oauth/token'].post;
      expect(Object.keys(token.requestBody.content)).toEqual(['application/x-www-form-urlencoded']);
      expect(Object.keys(token.responses).sort()).toEqual([
        '200',
        '400',
        '401',
        '408',
        '413',
        '429',
        '431',
        '500',
      ]);
      expect(JSON.stringify(token.responses)).not.toContain('ErrorBody');
      expect(doc.paths['/apiops/auth/token'].post).toBeDefined();
    });

    it('answers an unsupported grant type with 400 unsupported_grant_type', async () => {
      for (const grantType of [
        'password',
        'authorization_code',
        'urn:ietf:params:oauth:grant-type:device_code',
      ]) {
        expectOAuthError(
          await postForm(t, '/oauth/token', {
            grant_type: grantType,
            client_id: 'admin',
            client_secret: 'x',
          }),
          400,
          'unsupported_grant_type',
          grantType,
        );
      }
    });

    it('answers an unknown path or method under /oauth in the OAuth shape', async () => {
      const unknown = await t.api('GET', '/oauth/token');
      expect(unknown.status).toBe(404);
      expect(Object.keys(unknown.body).sort()).toEqual(['error', 'error_description']);
      expect((await t.api('POST', '/oauth/nothing')).body.error).toBe('invalid_request');
    });
  });
});
