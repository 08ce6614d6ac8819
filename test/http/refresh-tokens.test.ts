import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { ssoConsoleSession, storePasswordDirectly } from './fixtures.ts';
import {
  adminSession,
  createAccessToken,
  createRefreshToken,
  integrationUser,
  meStatusWithTokenHeader,
  post,
} from './integration-fixtures.ts';
import {
  CONTRACT_FIELDS,
  type CreatedUser,
  DAY_MS,
  EXTRA_FIELDS,
  expectError,
  iso,
  PASSWORD,
  unique,
} from './token-fixtures.ts';

const ENDPOINTS = [
  'createRefreshToken',
  'createAPIAccessToken',
  'validateRefreshToken',
  'validateAPIAccessToken',
  'regenerateRefreshToken',
  'revokeRefreshToken',
  'revokeAPIAccessTokens',
];

describe.each(DIALECTS)(
  'your refresh tokens (/api/me/refresh-tokens) and single sign-on on %s',
  (dialect) => {
    let t: TestServer;
    let member: CreatedUser;
    beforeAll(async () => {
      t = await startTestServer(dialect);
      member = await integrationUser(t);
    });
    afterAll(() => t?.close());

    const create = (name: unknown, token = member.session) =>
      t.api('POST', '/api/me/refresh-tokens', { token, body: { name } });
    const list = async (query = '', token = member.session) => {
      const response = await t.api('GET', `/api/me/refresh-tokens${query}`, { token });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body as {
        items: { id: string; name: string; status: string; lastUsedAt: string | null; useCount: number }[];
        nextCursor: string | null;
      };
    };

    it('creates a refresh token for you, shown once, with the lifespan setting; it mints access tokens', async () => {
      const response = await create('console token');
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      expect(Object.keys(response.body).sort()).toEqual([...CONTRACT_FIELDS, ...EXTRA_FIELDS].sort());
      expect(response.body).toMatchObject({
        kind: 'rt',
        name: 'console token',
        userId: member.id,
        status: 'active',
        createdAt: iso(t.clock.now()),
        expiresAt: iso(t.clock.now() + 60 * DAY_MS),
      });
      expect(response.body.token).toMatch(/^tsr_rt_/);
      const access = await createAccessToken(t, member, response.body.token);
      expect(await meStatusWithTokenHeader(t, access.api_access_token)).toBe(200);
    });

    it('lists only your refresh tokens, newest first, paginated, without secrets, with last use', async () => {
      const own = await integrationUser(t);
      const first = await createRefreshToken(t, own, 'first');
      t.clock.advance(1000);
      const second = (await create('second', own.session)).body;
      await createRefreshToken(t, member, 'not yours');
      await t.api('POST', '/api/me/tokens', { token: own.session, body: { name: 'a personal token' } });
      t.clock.advance(1000);
      await createAccessToken(t, own, first.refresh_token);

      const all = await list('', own.session);
      expect(all.items.map((i) => i.name)).toEqual(['second', 'first']);
      expect(all.items[1]?.lastUsedAt).toBe(iso(t.clock.now()));
      // One mint is one use.
      expect(all.items[1]?.useCount).toBe(1);
      expect(JSON.stringify(all)).not.toContain(first.refresh_token);
      expect(JSON.stringify(all)).not.toContain(second.token);

      const page1 = await list('?limit=1', own.session);
      expect(page1.items.map((i) => i.name)).toEqual(['second']);
      const page2 = await list(`?limit=1&cursor=${encodeURIComponent(page1.nextCursor ?? '')}`, own.session);
      expect(page2.items.map((i) => i.name)).toEqual(['first']);
      expect(page2.nextCursor).toBeNull();
    });

    it('regenerates one of yours: 201, same name, a new secret; the old one and its access tokens revoked', async () => {
      const old = (await create('regen')).body;
      const access = await createAccessToken(t, member, old.token);
      const response = await t.api('POST', `/api/me/refresh-tokens/${old.id}/_regenerate`, {
        token: member.session,
      });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      expect(response.body).toMatchObject({ kind: 'rt', name: 'regen', status: 'active', parentId: old.id });
      expect(response.body.token).not.toBe(old.token);
      expect(await meStatusWithTokenHeader(t, access.api_access_token)).toBe(401);
      const status = await post(t, 'validateRefreshToken', { refresh_token: old.token, user_id: member.id });
      expect(status.body.token_status).toBe('revoked');

      const again = await t.api('POST', `/api/me/refresh-tokens/${old.id}/_regenerate`, {
        token: member.session,
      });
      expectError(again, 409, 'TOKEN_NOT_ACTIVE');
    });

    it('revokes one of yours with DELETE: 204, its access tokens stop at once; a second DELETE changes nothing', async () => {
      const token = (await create('to revoke')).body;
      const access = await createAccessToken(t, member, token.token);
      const response = await t.api('DELETE', `/api/me/refresh-tokens/${token.id}`, { token: member.session });
      expect(response.status).toBe(204);
      expect(await meStatusWithTokenHeader(t, access.api_access_token)).toBe(401);
      const listed = (await list()).items.find((i) => i.id === token.id);
      expect(listed?.status).toBe('revoked');
      expect(
        (await t.api('DELETE', `/api/me/refresh-tokens/${token.id}`, { token: member.session })).status,
      ).toBe(204);
    });

    it('keeps other users\u2019 tokens and other kinds out of reach: 404, and 400 for a malformed id', async () => {
      const theirs = (await create('theirs', (await integrationUser(t)).session)).body;
      const pat = (await t.api('POST', '/api/me/tokens', { token: member.session, body: { name: 'pat' } }))
        .body;
      for (const id of [theirs.id, pat.id, '00000000-0000-4000-8000-000000000000']) {
        expectError(
          await t.api('DELETE', `/api/me/refresh-tokens/${id}`, { token: member.session }),
          404,
          'TOKEN_NOT_FOUND',
        );
        expectError(
          await t.api('POST', `/api/me/refresh-tokens/${id}/_regenerate`, { token: member.session }),
          404,
          'TOKEN_NOT_FOUND',
        );
      }
      expectError(
        await t.api('DELETE', '/api/me/refresh-tokens/not-a-uuid', { token: member.session }),
        400,
        'VALIDATION_FAILED',
        'id',
      );
      const still = await post(t, 'validateRefreshToken', {
        refresh_token: theirs.token,
        user_id: theirs.userId,
      });
      expect(still.body.token_status).toBe('active');
    });

    it('creates refresh tokens only from a console session, not from a shorter-lived token', async () => {
      const personal = await t.api('POST', '/api/me/tokens', {
        token: member.session,
        body: { name: 'cli' },
      });
      expect(personal.status).toBe(201);
      expectError(
        await t.api('POST', '/api/me/refresh-tokens', {
          token: personal.body.token,
          body: { name: 'longer' },
        }),
        403,
        'FORBIDDEN',
      );
    });

    it('refuses bad input with 400 and a missing sign-in with 401', async () => {
      expectError(await create(''), 400, 'VALIDATION_FAILED', 'name');
      expectError(await create(42), 400, 'VALIDATION_FAILED', 'name');
      expectError(await create('   '), 400, 'VALIDATION_FAILED', 'name');
      expectError(
        await t.api('POST', '/api/me/refresh-tokens', {
          token: member.session,
          body: { name: 'x', expiresInDays: 5 },
        }),
        400,
        'VALIDATION_FAILED',
        'expiresInDays',
      );
      expectError(await t.api('GET', '/api/me/refresh-tokens'), 401, 'UNAUTHENTICATED');
      expectError(
        await t.api('POST', '/api/me/refresh-tokens', { body: { name: 'x' } }),
        401,
        'UNAUTHENTICATED',
      );
    });

    it('single-sign-on users: refused by createRefreshToken/, even with a stored password; the console creates theirs', async () => {
      const admin = await adminSession(t);
      const username = unique('sso');
      const withPassword = await t.api('POST', '/api/users', {
        token: admin,
        body: { username, password: PASSWORD, sso: true },
      });
      expectError(withPassword, 400, 'VALIDATION_FAILED', 'password');
      const created = await t.api('POST', '/api/users', { token: admin, body: { username, sso: true } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.sso).toBe(true);
      expect((await t.api('GET', `/api/users/${created.body.id}`, { token: admin })).body.sso).toBe(true);

      // A password kept from before (data written by an older version) still opens nothing.
      await storePasswordDirectly(t, created.body.id, PASSWORD);
      const refused = await post(t, 'createRefreshToken', { username, password: PASSWORD, name: 'n' });
      expect(refused.status).toBe(401);
      expect(refused.body).not.toHaveProperty('refresh_token');

      const session = await ssoConsoleSession(t, created.body.id);
      expect((await t.api('GET', '/api/me', { token: session })).body.sso).toBe(true);
      const fromConsole = await create('from the console', session);
      expect(fromConsole.status, JSON.stringify(fromConsole.body)).toBe(201);
      const user = { id: created.body.id, username, session };
      const access = await createAccessToken(t, user, fromConsole.body.token);
      expect(await meStatusWithTokenHeader(t, access.api_access_token)).toBe(200);

      // Every other seed 003 call works for them.
      const pair = { refresh_token: fromConsole.body.token, user_id: user.id };
      expect((await post(t, 'validateRefreshToken', pair)).status).toBe(200);
      expect((await post(t, 'regenerateRefreshToken', pair)).status).toBe(201);

      // Turning single sign-on off, with a password, lets the password create refresh tokens again.
      const patched = await t.api('PATCH', `/api/users/${user.id}`, {
        token: admin,
        body: { sso: false, password: PASSWORD },
      });
      expect(patched.body.sso).toBe(false);
      expect((await post(t, 'createRefreshToken', { username, password: PASSWORD, name: 'n' })).status).toBe(
        201,
      );
      expect((await t.api('GET', '/api/me', { token: member.session })).body.sso).toBe(false);
      expectError(
        await t.api('POST', '/api/users', { token: admin, body: { username: unique('sso'), sso: 'yes' } }),
        400,
        'VALIDATION_FAILED',
        'sso',
      );
    });

    it('documents seed 003 in /openapi.json and at /openapi/api_authentication/, errors as {detail, code}', async () => {
      const doc = (await t.api('GET', '/openapi.json')).body;
      for (const path of ['/openapi/api_authentication/', '/openapi/api_authentication']) {
        const response = await t.api('GET', path);
        expect(response.status, path).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
        expect(response.body).toEqual(doc);
      }
      expect(doc.components.schemas.IntegrationErrorBody.properties).toHaveProperty('detail');
      for (const endpoint of ENDPOINTS) {
        const operation = doc.paths[`/integration/v1/${endpoint}/`]?.post;
        expect(operation, endpoint).toBeDefined();
        expect(operation.summary, endpoint).toMatch(/\w/);
        expect(Object.keys(operation.requestBody.content).sort()).toEqual([
          'application/json',
          'application/x-www-form-urlencoded',
        ]);
        const success = endpoint.startsWith('create') || endpoint.startsWith('regenerate') ? '201' : '200';
        expect(Object.keys(operation.responses)).toEqual(
          expect.arrayContaining([success, '400', '401', '403', '413', '415', '500']),
        );
        for (const [status, response] of Object.entries<{ content: unknown }>(operation.responses)) {
          if (Number(status) >= 400)
            expect(JSON.stringify(response.content), `${endpoint} ${status}`).toContain(
              'IntegrationErrorBody',
            );
        }
      }
      expect(Object.keys(doc.paths['/integration/v1/createRefreshToken/'].post.responses)).toContain('429');
      for (const path of [
        '/api/me/refresh-tokens',
        '/api/me/refresh-tokens/{id}',
        '/api/me/refresh-tokens/{id}/_regenerate',
      ]) {
        expect(doc.paths[path], path).toBeDefined();
      }
      expect(doc.components.schemas.User.properties.sso.type).toBe('boolean');
    });
  },
);
