import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { createClient, refreshTokenFor } from './oauth-fixtures.ts';
import { createUser, PASSWORD } from './token-fixtures.ts';

/**
 * Tessera driven by a maintained OAuth client library (oauth4webapi), as every other tool would drive it:
 * discovery with its issuer check, client_credentials, refresh_token, introspection and revocation. The
 * harness listens on plain http://127.0.0.1, which the library accepts only when told.
 */
const insecure = { [oauth.allowInsecureRequests]: true } as const;

describe.each(DIALECTS)('oauth4webapi against Tessera on %s', (dialect) => {
  let t: TestServer;
  let as: oauth.AuthorizationServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    const issuer = new URL(t.url);
    as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }),
    );
  });
  afterAll(() => t?.close());

  it('discovers the server: issuer and endpoints match the URL it listens on', () => {
    expect(as.issuer).toBe(t.url);
    expect(as.token_endpoint).toBe(`${t.url}/oauth/token`);
    expect(as.introspection_endpoint).toBe(`${t.url}/oauth/introspect`);
    expect(as.revocation_endpoint).toBe(`${t.url}/oauth/revoke`);
  });

  it.each([
    ['client_secret_basic', oauth.ClientSecretBasic],
    ['client_secret_post', oauth.ClientSecretPost],
  ] as const)('runs client_credentials, introspection and revocation with %s', async (_name, method) => {
    const registered = await createClient(t, { permissions: ['subscription:execute', 'reports:read'] });
    const client: oauth.Client = { client_id: registered.client_id };
    const auth = method(registered.client_secret);

    const tokens = await oauth.processClientCredentialsResponse(
      as,
      client,
      await oauth.clientCredentialsGrantRequest(as, client, auth, { scope: 'reports:read' }, insecure),
    );
    expect(tokens.token_type).toBe('bearer'); // the library lower-cases it
    expect(tokens.access_token).toMatch(/^tsr_at_/);
    expect(tokens.expires_in).toBe(24 * 3600);
    expect(tokens.scope).toBe('reports:read');
    expect((await t.api('GET', '/api/me', { token: tokens.access_token })).status).toBe(200);

    const active = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, tokens.access_token, insecure),
    );
    expect(active).toMatchObject({
      active: true,
      client_id: registered.client_id,
      scope: 'reports:read',
      username: 'admin',
      iss: t.url,
      token_type: 'Bearer',
    });

    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, auth, tokens.access_token, insecure),
    );
    const inactive = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, tokens.access_token, insecure),
    );
    expect(inactive).toEqual({ active: false });
    expect((await t.api('GET', '/api/me', { token: tokens.access_token })).status).toBe(401);
  });

  it('runs seed 002’s user-credential client and the refresh_token grant, and revokes the refresh token', async () => {
    const member = await createUser(t);
    const client: oauth.Client = { client_id: member.username };
    const auth = oauth.ClientSecretBasic(PASSWORD);
    const seed002 = await oauth.processClientCredentialsResponse(
      as,
      client,
      await oauth.clientCredentialsGrantRequest(as, client, auth, {}, insecure),
    );
    expect((await t.api('GET', '/api/me', { token: seed002.access_token })).body.username).toBe(
      member.username,
    );

    const refresh = await refreshTokenFor(t, member.username, PASSWORD);
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, auth, refresh, insecure),
    );
    expect(refreshed.access_token).toMatch(/^tsr_at_/);
    expect(refreshed.refresh_token).toBeUndefined();

    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, refresh, insecure));
    expect((await t.api('GET', '/api/me', { token: refreshed.access_token })).status).toBe(401);
    await expect(
      oauth.processRefreshTokenResponse(
        as,
        client,
        await oauth.refreshTokenGrantRequest(as, client, auth, refresh, insecure),
      ),
    ).rejects.toMatchObject({ error: 'invalid_grant', status: 400 });
  });

  it('rotates refresh tokens when the setting is on, as the library expects', async () => {
    const admin = await t.login('admin', 'correct horse battery');
    await t.api('PATCH', '/api/settings', { token: admin, body: { 'oauth.refresh_token_rotation': true } });
    try {
      const member = await createUser(t);
      const client: oauth.Client = { client_id: member.username };
      const auth = oauth.ClientSecretPost(PASSWORD);
      const first = await refreshTokenFor(t, member.username, PASSWORD);
      const rotated = await oauth.processRefreshTokenResponse(
        as,
        client,
        await oauth.refreshTokenGrantRequest(as, client, auth, first, insecure),
      );
      expect(rotated.refresh_token).toMatch(/^tsr_rt_/);
      const next = await oauth.processRefreshTokenResponse(
        as,
        client,
        await oauth.refreshTokenGrantRequest(as, client, auth, rotated.refresh_token!, insecure),
      );
      expect(next.refresh_token).not.toBe(rotated.refresh_token);
    } finally {
      await t.api('PATCH', '/api/settings', {
        token: admin,
        body: { 'oauth.refresh_token_rotation': false },
      });
    }
  });

  it('surfaces Tessera’s errors as the library’s typed errors', async () => {
    const registered = await createClient(t);
    const client: oauth.Client = { client_id: registered.client_id };
    const wrong = oauth.ClientSecretBasic('tsr_cs_wrong');
    const refused = oauth.processClientCredentialsResponse(
      as,
      client,
      await oauth.clientCredentialsGrantRequest(as, client, wrong, {}, insecure),
    );
    // A 401 with WWW-Authenticate: the library reports the challenge.
    await expect(refused).rejects.toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    await expect(refused).rejects.toMatchObject({ status: 401 });

    const auth = oauth.ClientSecretBasic(registered.client_secret);
    await expect(
      oauth.processClientCredentialsResponse(
        as,
        client,
        await oauth.clientCredentialsGrantRequest(as, client, auth, { scope: 'users:write' }, insecure),
      ),
    ).rejects.toMatchObject({ error: 'invalid_scope', status: 400 });
  });
});
