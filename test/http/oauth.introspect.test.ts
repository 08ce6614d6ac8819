import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import {
  basic,
  clientToken,
  createClient,
  expectOAuthError,
  postForm,
  refreshTokenFor,
} from './oauth-fixtures.ts';
import { createUser, PASSWORD, verify } from './token-fixtures.ts';

describe.each(DIALECTS)('introspection, revocation and metadata on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.close());

  const introspect = (token: string, headers: Record<string, string>, extra: Record<string, string> = {}) =>
    postForm(t, '/oauth/introspect', { token, ...extra }, headers);
  const revoke = (token: string, headers: Record<string, string>, extra: Record<string, string> = {}) =>
    postForm(t, '/oauth/revoke', { token, ...extra }, headers);
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  describe('GET /.well-known/oauth-authorization-server', () => {
    it('describes the endpoints with the URL the request came to as the issuer', async () => {
      const response = await t.api('GET', '/.well-known/oauth-authorization-server');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        issuer: t.url,
        token_endpoint: `${t.url}/oauth/token`,
        introspection_endpoint: `${t.url}/oauth/introspect`,
        revocation_endpoint: `${t.url}/oauth/revoke`,
        jwks_uri: `${t.url}/.well-known/jwks.json`,
        grant_types_supported: ['client_credentials', 'refresh_token'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        response_types_supported: [],
      });
      expect(response.body.scopes_supported).toEqual(
        expect.arrayContaining(['subscription:execute', 'tokens:introspect', 'clients:manage']),
      );
    });

    it('uses TESSERA_PUBLIC_URL as the issuer when it is set', async () => {
      const other = await startTestServer(dialect, { TESSERA_PUBLIC_URL: 'https://tessera.example.com/' });
      try {
        const body = (await other.api('GET', '/.well-known/oauth-authorization-server')).body;
        expect(body.issuer).toBe('https://tessera.example.com');
        expect(body.token_endpoint).toBe('https://tessera.example.com/oauth/token');
      } finally {
        await other.close();
      }
    });
  });

  describe('POST /oauth/introspect', () => {
    it('describes an active client token to the client, with every RFC 7662 field', async () => {
      const owner = await createUser(t);
      const client = await createClient(t, { userId: owner.id, permissions: ['reports:read'] });
      const granted = (await clientToken(t, client)).body;
      const response = await introspect(granted.access_token, basic(client.client_id, client.client_secret));
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const now = Math.floor(t.clock.now() / 1000);
      expect(response.body).toEqual({
        active: true,
        scope: 'reports:read',
        client_id: client.client_id,
        username: owner.username,
        token_type: 'Bearer',
        exp: now + granted.expires_in,
        iat: now,
        sub: String(owner.id),
        aud: t.url,
        iss: t.url,
      });
    });

    it('accepts form credentials and a Bearer token holding tokens:introspect; refuses one without', async () => {
      const member = await createUser(t);
      const seed002 = await postForm(t, '/oauth/token', {
        grant_type: 'client_credentials',
        client_id: member.username,
        client_secret: PASSWORD,
      });
      const token = seed002.body.access_token;
      const client = await createClient(t);
      const viaForm = await introspect(
        token,
        {},
        { client_id: client.client_id, client_secret: client.client_secret },
      );
      expect(viaForm.body).toMatchObject({ active: true, username: member.username, sub: String(member.id) });
      expect(viaForm.body).not.toHaveProperty('client_id');
      const viaBearer = await introspect(token, bearer(t.adminToken));
      expect(viaBearer.body.active).toBe(true);

      expectOAuthError(
        await introspect(token, bearer(member.session)),
        403,
        'insufficient_scope',
        'tokens:introspect',
      );
      const garbage = await introspect(token, bearer('tsr_at_garbage'));
      expectOAuthError(garbage, 401, 'invalid_token');
      expect(garbage.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const anonymous = await introspect(token, {});
      expectOAuthError(anonymous, 401, 'invalid_client');
      expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="tessera"');
      expectOAuthError(
        await introspect(token, basic(client.client_id, 'tsr_cs_wrong')),
        401,
        'invalid_client',
      );
      expectOAuthError(
        await postForm(t, '/oauth/introspect', {}, basic(client.client_id, client.client_secret)),
        400,
        'invalid_request',
        'token',
      );
    });

    it('answers exactly {active: false} for unknown, malformed, expired and revoked tokens', async () => {
      const client = await createClient(t, { accessTokenLifespan: 60 });
      const auth = basic(client.client_id, client.client_secret);
      const expiring = (await clientToken(t, client)).body.access_token;
      const revoked = (await clientToken(t, client)).body.access_token;
      expect((await revoke(revoked, auth)).status).toBe(200);
      const real = (await clientToken(t, client)).body.access_token;
      for (const token of ['', 'nonsense', `${real.slice(0, -8)}AAAAAAAA`, revoked]) {
        const response = await introspect(token, auth);
        if (token === '') {
          expectOAuthError(response, 400, 'invalid_request', 'token');
          continue;
        }
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ active: false });
      }
      expect((await introspect(expiring, auth)).body.active).toBe(true);
      t.clock.advance(61_000);
      expect((await introspect(expiring, auth)).body).toEqual({ active: false });
    });
  });

  describe('POST /oauth/revoke', () => {
    it('revokes a client’s own access token: 200, then inactive and refused everywhere', async () => {
      const client = await createClient(t);
      const auth = basic(client.client_id, client.client_secret);
      const token = (await clientToken(t, client)).body.access_token;
      const response = await revoke(token, auth, { token_type_hint: 'access_token' });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect((await introspect(token, auth)).body).toEqual({ active: false });
      expect((await verify(t, token)).code).toBe('TOKEN_REVOKED');
      expect((await t.api('GET', '/api/me', { token })).status).toBe(401);
      expect((await revoke(token, auth)).status).toBe(200);
    });

    it('answers 200 for an unknown token and for another client’s token, which stays active', async () => {
      const client = await createClient(t);
      const other = await createClient(t);
      const auth = basic(client.client_id, client.client_secret);
      expect((await revoke('nonsense', auth)).status).toBe(200);
      const othersToken = (await clientToken(t, other)).body.access_token;
      expect((await revoke(othersToken, auth)).status).toBe(200);
      expect((await verify(t, othersToken)).valid).toBe(true);
    });

    it('lets a user (seed 002 credentials) revoke their refresh token, with every access token minted from it', async () => {
      const member = await createUser(t);
      const refresh = await refreshTokenFor(t, member.username, PASSWORD);
      const minted = await postForm(t, '/oauth/token', {
        grant_type: 'refresh_token',
        refresh_token: refresh,
      });
      expect(minted.status).toBe(200);
      const someoneElse = await createUser(t);
      expect((await revoke(refresh, basic(someoneElse.username, PASSWORD))).status).toBe(200);
      expect((await verify(t, refresh)).valid).toBe(true);

      expect(
        (await revoke(refresh, basic(member.username, PASSWORD), { token_type_hint: 'refresh_token' }))
          .status,
      ).toBe(200);
      expect((await verify(t, refresh)).code).toBe('TOKEN_REVOKED');
      expect((await verify(t, minted.body.access_token)).code).toBe('TOKEN_REVOKED');
      expectOAuthError(
        await postForm(t, '/oauth/token', { grant_type: 'refresh_token', refresh_token: refresh }),
        400,
        'invalid_grant',
      );
    });

    it('requires client authentication: 401 invalid_client, 401 unauthorized_client, 400 without a token', async () => {
      const client = await createClient(t);
      const token = (await clientToken(t, client)).body.access_token;
      expectOAuthError(await revoke(token, {}), 400, 'invalid_request', 'client_id');
      expectOAuthError(await revoke(token, basic(client.client_id, 'tsr_cs_wrong')), 401, 'invalid_client');
      expectOAuthError(await revoke(token, basic('admin', 'wrong password')), 401, 'unauthorized_client');
      expectOAuthError(
        await postForm(t, '/oauth/revoke', {}, basic(client.client_id, client.client_secret)),
        400,
        'invalid_request',
        'token',
      );
      expect((await verify(t, token)).valid).toBe(true);
      expect((await t.api('GET', '/api/me', { token: await t.login('admin', ADMIN_PASSWORD) })).status).toBe(
        200,
      );
    });
  });
});
