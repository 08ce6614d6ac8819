import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { useJwtAccessTokens, verify } from './jwt-fixtures.ts';
import { basic, clientToken, createClient, postForm } from './oauth-fixtures.ts';

/** JWT access tokens as an OAuth client gets them: from /oauth/token, checked against the JWKS and introspected. */
describe.each(DIALECTS)('JWT access tokens over OAuth on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    await useJwtAccessTokens(t);
  });
  afterAll(() => t?.close());

  it('client_credentials returns a JWT that verifies against the JWKS, /api/verify and introspection', async () => {
    const client = await createClient(t, { permissions: ['subscription:execute', 'reports:read'] });
    const response = await clientToken(t, client, { scope: 'reports:read' });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const jwt: string = response.body.access_token;

    const jwks = createRemoteJWKSet(new URL(`${t.url}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(jwt, jwks, {
      issuer: t.url,
      audience: t.url,
      typ: 'at+jwt',
      currentDate: new Date(t.clock.now()),
    });
    expect(payload).toMatchObject({ client_id: client.client_id, scope: 'reports:read' });
    expect(payload.exp! - payload.iat!).toBe(response.body.expires_in);

    expect(await verify(t, jwt, { permission: 'reports:read' })).toMatchObject({
      valid: true,
      tokenId: payload.jti,
      kind: 'at',
    });

    const introspect = () =>
      postForm(t, '/oauth/introspect', { token: jwt }, basic(client.client_id, client.client_secret));
    const active = await introspect();
    expect(active.status, JSON.stringify(active.body)).toBe(200);
    expect(active.body).toMatchObject({
      active: true,
      client_id: client.client_id,
      sub: payload.sub,
      exp: payload.exp,
      iss: t.url,
    });

    // Revoked by id in the management API: refused at once, though the signature stays good.
    const revoked = await t.api('DELETE', `/api/tokens/${payload.jti}`, { token: t.adminToken });
    expect(revoked.status).toBe(204);
    expect((await introspect()).body).toEqual({ active: false });
    expect(await verify(t, jwt)).toMatchObject({ valid: false, code: 'TOKEN_REVOKED' });
  });
});
