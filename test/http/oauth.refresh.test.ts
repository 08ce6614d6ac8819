import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { basic, createClient, expectOAuthError, postForm, refreshTokenFor } from './oauth-fixtures.ts';
import { createUser, DAY_MS, PASSWORD, verify } from './token-fixtures.ts';

const HOUR_S = 3600;

describe.each(DIALECTS)('the token endpoint, refresh_token grant, on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.close());

  const refreshGrant = (refreshToken: string, extra: Record<string, string> = {}, headers = {}) =>
    postForm(
      t,
      '/oauth/token',
      { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra },
      headers,
    );

  // A fresh admin session each time: some tests move the clock past the first one's 12 hours.
  const admin = () => t.login('admin', ADMIN_PASSWORD);
  const setRotation = async (on: boolean) =>
    t.api('PATCH', '/api/settings', { token: await admin(), body: { 'oauth.refresh_token_rotation': on } });

  it('exchanges a refresh token for an access token of the user; without rotation the refresh token stays', async () => {
    const member = await createUser(t, {}, await admin());
    const refresh = await refreshTokenFor(t, member.username, PASSWORD);
    const first = await refreshGrant(refresh);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(Object.keys(first.body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
    expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 24 * HOUR_S });
    expect(first.body.scope).toContain('subscription:execute');
    const me = await t.api('GET', '/api/me', { token: first.body.access_token });
    expect(me.body.username).toBe(member.username);
    const again = await refreshGrant(refresh);
    expect(again.status).toBe(200);
    expect(again.body.access_token).not.toBe(first.body.access_token);
  });

  it('narrows to a requested scope and refuses one the refresh token does not carry', async () => {
    const member = await createUser(t, {}, await admin());
    const refresh = await refreshTokenFor(t, member.username, PASSWORD);
    const narrow = await refreshGrant(refresh, { scope: 'reports:read' });
    expect(narrow.body.scope).toBe('reports:read');
    expect((await verify(t, narrow.body.access_token)).permissions).toEqual(['reports:read']);
    expectOAuthError(await refreshGrant(refresh, { scope: 'users:write' }), 400, 'invalid_scope');
    expectOAuthError(await refreshGrant(refresh, { scope: 'made:up' }), 400, 'invalid_scope', 'made:up');
  });

  it('answers 400 invalid_grant for a garbage, unknown, revoked or expired refresh token, and invalid_request without one', async () => {
    const member = await createUser(t, {}, await admin());
    const refresh = await refreshTokenFor(t, member.username, PASSWORD);
    expectOAuthError(await refreshGrant('not-a-token'), 400, 'invalid_grant');
    expectOAuthError(await refreshGrant(`${refresh.slice(0, -8)}AAAAAAAA`), 400, 'invalid_grant');
    const access = (await refreshGrant(refresh)).body.access_token;
    expectOAuthError(await refreshGrant(access), 400, 'invalid_grant');
    expectOAuthError(
      await postForm(t, '/oauth/token', { grant_type: 'refresh_token' }),
      400,
      'invalid_request',
      'refresh_token',
    );

    const revoked = await refreshTokenFor(t, member.username, PASSWORD);
    const record = await t.server.tessera.refreshTokens.resolve(revoked, 'rt');
    await t.server.tessera.refreshTokens.revoke(revoked, record.userId, null);
    expectOAuthError(await refreshGrant(revoked), 400, 'invalid_grant');

    t.clock.advance(61 * DAY_MS);
    expectOAuthError(await refreshGrant(refresh), 400, 'invalid_grant', 'not valid');
  });

  it('never lets an access token outlive its refresh token', async () => {
    const member = await createUser(t, {}, await admin());
    const refresh = await refreshTokenFor(t, member.username, PASSWORD);
    t.clock.advance(60 * DAY_MS - 2 * HOUR_S * 1000);
    const granted = await refreshGrant(refresh);
    expect(granted.body.expires_in).toBe(2 * HOUR_S);
  });

  it('with rotation on: returns a new refresh token; reusing the old one revokes the whole family', async () => {
    expect((await setRotation(true)).status).toBe(200);
    try {
      const member = await createUser(t, {}, await admin());
      const original = await refreshTokenFor(t, member.username, PASSWORD);
      const first = await refreshGrant(original);
      expect(first.status).toBe(200);
      expect(first.body.refresh_token).toMatch(/^tsr_rt_/);
      expect(first.body.refresh_token).not.toBe(original);
      const second = await refreshGrant(first.body.refresh_token);
      expect(second.status).toBe(200);
      const latest = second.body.refresh_token;
      expect((await verify(t, second.body.access_token)).valid).toBe(true);

      // The first refresh token is used again: reuse. Everything of the family dies.
      expectOAuthError(await refreshGrant(original), 400, 'invalid_grant');
      expectOAuthError(await refreshGrant(latest), 400, 'invalid_grant');
      for (const access of [first.body.access_token, second.body.access_token])
        expect((await verify(t, access)).code).toBe('TOKEN_REVOKED');
      const audit = await t.api('GET', '/api/audit?action=refresh_token.reuse_detected', {
        token: await admin(),
      });
      expect(audit.body.items.length).toBeGreaterThan(0);
    } finally {
      expect((await setRotation(false)).status).toBe(200);
    }
  });

  it('checks client credentials when they are sent: a user may use only their own refresh token', async () => {
    const owner = await createUser(t, {}, await admin());
    const other = await createUser(t, {}, await admin());
    const refresh = await refreshTokenFor(t, owner.username, PASSWORD);
    const asOwner = await refreshGrant(refresh, {}, basic(owner.username, PASSWORD));
    expect(asOwner.status).toBe(200);
    expectOAuthError(await refreshGrant(refresh, {}, basic(other.username, PASSWORD)), 400, 'invalid_grant');
    expectOAuthError(
      await refreshGrant(refresh, {}, basic(owner.username, 'wrong')),
      401,
      'unauthorized_client',
    );

    const client = await createClient(t, {}, await admin());
    const viaClient = await refreshGrant(refresh, {}, basic(client.client_id, client.client_secret));
    expect(viaClient.status).toBe(200);
    const verified = await verify(t, viaClient.body.access_token);
    expect(verified.userId).toBe(owner.id);
    expect((await t.server.tessera.store.tokens.get('default', verified.tokenId))?.clientId).toBe(
      client.client_id,
    );
    expectOAuthError(
      await refreshGrant(refresh, {}, basic(client.client_id, 'tsr_cs_wrong')),
      401,
      'invalid_client',
    );
  });
});
