import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import {
  adminSession,
  BASE,
  createAccessToken,
  createRefreshToken,
  ENCODINGS,
  HOUR_MS,
  integrationUser,
  meStatusWithTokenHeader,
  post,
  setSettings,
} from './integration-fixtures.ts';
import { type CreatedUser, DAY_MS, iso, verify } from './token-fixtures.ts';

const REFRESH_FIELDS = [
  'created_at',
  'last_used_at',
  'name',
  'refresh_token',
  'token_expires_at',
  'token_status',
  'user_id',
];
const ACCESS_FIELDS = ['api_access_token', 'created_at', 'token_expires_at', 'token_status', 'user_id'];

describe.each(DIALECTS)('seed 003 refresh and access tokens (/integration/v1) on %s', (dialect) => {
  let t: TestServer;
  let member: CreatedUser;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    member = await integrationUser(t);
  });
  afterAll(() => t?.close());

  const pair = (refresh: string, user = member) => ({ refresh_token: refresh, user_id: user.id });

  it.each(ENCODINGS)(
    'createRefreshToken/ answers 201 with the seed\u2019s fields, active for 60 days (%s body)',
    async (encoding) => {
      t.clock.advance(60_000);
      const response = await post(
        t,
        'createRefreshToken',
        { username: member.username, password: 'a long enough password', name: 'TableauRefreshToken' },
        encoding,
      );
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(Object.keys(response.body).sort()).toEqual(REFRESH_FIELDS);
      expect(response.body).toEqual({
        refresh_token: expect.stringMatching(/^tsr_rt_[0-9A-Za-z]{40,}$/),
        user_id: member.id,
        created_at: iso(t.clock.now()),
        name: 'TableauRefreshToken',
        token_expires_at: iso(t.clock.now() + 60 * DAY_MS),
        token_status: 'active',
        last_used_at: null,
      });
    },
  );

  it.each(ENCODINGS)(
    'createAPIAccessToken/ answers 201 with the seed\u2019s fields, active for 24 hours (%s body)',
    async (encoding) => {
      const refresh = await createRefreshToken(t, member);
      t.clock.advance(60_000);
      const response = await post(t, 'createAPIAccessToken', pair(refresh.refresh_token), encoding);
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      expect(Object.keys(response.body).sort()).toEqual(ACCESS_FIELDS);
      expect(response.body).toEqual({
        api_access_token: expect.stringMatching(/^tsr_at_/),
        user_id: member.id,
        created_at: iso(t.clock.now()),
        token_expires_at: iso(t.clock.now() + 24 * HOUR_MS),
        token_status: 'active',
      });
      // Minting is a use of the refresh token.
      const validated = await post(t, 'validateRefreshToken', pair(refresh.refresh_token), encoding);
      expect(validated.body.last_used_at).toBe(iso(t.clock.now()));
    },
  );

  it('accepts the access token in a TOKEN header and as Authorization: Bearer, acting as its user', async () => {
    const refresh = await createRefreshToken(t, member);
    const access = await createAccessToken(t, member, refresh.refresh_token);
    const viaHeader = await t.api('GET', '/api/me', { headers: { token: access.api_access_token } });
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.body).toMatchObject({ id: member.id, username: member.username });
    const viaBearer = await t.api('GET', '/api/me/tokens', { token: access.api_access_token });
    expect(viaBearer.status).toBe(200);
    expect(await verify(t, access.api_access_token)).toMatchObject({
      valid: true,
      kind: 'at',
      userId: member.id,
    });
    // The refresh token itself is not an access token for the management API.
    expect(await meStatusWithTokenHeader(t, 'not a token')).toBe(401);
  });

  it.each(ENCODINGS)(
    'validateRefreshToken/ and validateAPIAccessToken/ answer 200 with the current status (%s body)',
    async (encoding) => {
      const refresh = await createRefreshToken(t, member, 'validated');
      const access = await createAccessToken(t, member, refresh.refresh_token);
      const rt = await post(t, 'validateRefreshToken', pair(refresh.refresh_token), encoding);
      expect(rt.status).toBe(200);
      expect(rt.body).toEqual({ ...refresh, last_used_at: iso(t.clock.now()) });
      const at = await post(
        t,
        'validateAPIAccessToken',
        { api_access_token: access.api_access_token, user_id: member.id },
        encoding,
      );
      expect(at.status).toBe(200);
      expect(at.body).toEqual(access);

      await post(t, 'revokeRefreshToken', pair(refresh.refresh_token), encoding);
      expect(
        (await post(t, 'validateRefreshToken', pair(refresh.refresh_token), encoding)).body.token_status,
      ).toBe('revoked');
      const revokedAt = await post(
        t,
        'validateAPIAccessToken',
        { api_access_token: access.api_access_token, user_id: member.id },
        encoding,
      );
      expect(revokedAt.status).toBe(200);
      expect(revokedAt.body.token_status).toBe('revoked');
    },
  );

  it('works the same with JWT access tokens (oauth.jwt_access_tokens): validate, use, revoke', async () => {
    await setSettings(t, { 'oauth.jwt_access_tokens': true });
    try {
      const refresh = await createRefreshToken(t, member);
      const access = await createAccessToken(t, member, refresh.refresh_token);
      expect(access.api_access_token.split('.')).toHaveLength(3);
      const body = { api_access_token: access.api_access_token, user_id: member.id };
      const validated = await post(t, 'validateAPIAccessToken', body);
      expect(validated.status, JSON.stringify(validated.body)).toBe(200);
      expect(validated.body).toEqual(access);
      expect(await meStatusWithTokenHeader(t, access.api_access_token)).toBe(200);
      await post(t, 'revokeAPIAccessTokens', pair(refresh.refresh_token));
      expect((await post(t, 'validateAPIAccessToken', body)).body.token_status).toBe('revoked');
      expect(await meStatusWithTokenHeader(t, access.api_access_token)).toBe(401);
    } finally {
      await setSettings(t, { 'oauth.jwt_access_tokens': false });
    }
  });

  it('answers the seed\u2019s paths with and without the trailing slash', async () => {
    const refresh = await createRefreshToken(t, member);
    for (const path of [`${BASE}/validateRefreshToken/`, `${BASE}/validateRefreshToken`]) {
      const response = await t.api('POST', path, { body: pair(refresh.refresh_token) });
      expect(response.status, path).toBe(200);
    }
  });

  it.each(ENCODINGS)(
    'regenerateRefreshToken/ answers 201: same name and user, a new secret and lifespan; the old one and its access tokens revoked (%s body)',
    async (encoding) => {
      const old = await createRefreshToken(t, member, 'rotating');
      const access = await createAccessToken(t, member, old.refresh_token);
      t.clock.advance(10 * DAY_MS);
      const response = await post(t, 'regenerateRefreshToken', pair(old.refresh_token), encoding);
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      expect(Object.keys(response.body).sort()).toEqual(REFRESH_FIELDS);
      expect(response.body).toMatchObject({
        name: 'rotating',
        user_id: member.id,
        token_status: 'active',
        created_at: iso(t.clock.now()),
        token_expires_at: iso(t.clock.now() + 60 * DAY_MS),
        last_used_at: null,
      });
      expect(response.body.refresh_token).not.toBe(old.refresh_token);

      expect((await post(t, 'validateRefreshToken', pair(old.refresh_token))).body.token_status).toBe(
        'revoked',
      );
      expect(await meStatusWithTokenHeader(t, access.api_access_token)).toBe(401);
      expect((await post(t, 'createAPIAccessToken', pair(old.refresh_token))).status).toBe(401);
      const fresh = await createAccessToken(t, member, response.body.refresh_token, encoding);
      expect(await meStatusWithTokenHeader(t, fresh.api_access_token)).toBe(200);
    },
  );

  it.each(ENCODINGS)(
    'revokeRefreshToken/ answers 200 "revoked"; its access tokens stop at once; a second call changes nothing (%s body)',
    async (encoding) => {
      const refresh = await createRefreshToken(t, member);
      const first = await createAccessToken(t, member, refresh.refresh_token);
      const second = await createAccessToken(t, member, refresh.refresh_token);
      expect(await meStatusWithTokenHeader(t, first.api_access_token)).toBe(200);

      const response = await post(t, 'revokeRefreshToken', pair(refresh.refresh_token), encoding);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body).toMatchObject({
        ...refresh,
        token_status: 'revoked',
        last_used_at: expect.any(String),
      });
      expect(await meStatusWithTokenHeader(t, first.api_access_token)).toBe(401);
      expect((await t.api('GET', '/api/me', { token: second.api_access_token })).status).toBe(401);
      expect((await post(t, 'createAPIAccessToken', pair(refresh.refresh_token))).status).toBe(401);

      const again = await post(t, 'revokeRefreshToken', pair(refresh.refresh_token), encoding);
      expect(again.status).toBe(200);
      expect(again.body.token_status).toBe('revoked');
    },
  );

  it.each(ENCODINGS)(
    'revokeAPIAccessTokens/ revokes every access token of that refresh token only; the refresh token stays active (%s body)',
    async (encoding) => {
      const a = await createRefreshToken(t, member, 'a');
      const b = await createRefreshToken(t, member, 'b');
      const a1 = await createAccessToken(t, member, a.refresh_token);
      const a2 = await createAccessToken(t, member, a.refresh_token);
      const b1 = await createAccessToken(t, member, b.refresh_token);

      const response = await post(t, 'revokeAPIAccessTokens', pair(a.refresh_token), encoding);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body).toMatchObject({
        refresh_token: a.refresh_token,
        token_status: 'active',
        access_tokens_revoked: 2,
      });
      expect(await meStatusWithTokenHeader(t, a1.api_access_token)).toBe(401);
      expect(await meStatusWithTokenHeader(t, a2.api_access_token)).toBe(401);
      expect(await meStatusWithTokenHeader(t, b1.api_access_token)).toBe(200);
      const a3 = await createAccessToken(t, member, a.refresh_token);
      expect(await meStatusWithTokenHeader(t, a3.api_access_token)).toBe(200);
      expect(
        (await post(t, 'revokeAPIAccessTokens', pair(b.refresh_token), encoding)).body.access_tokens_revoked,
      ).toBe(1);
    },
  );

  it('applies lifespan settings (PATCH /api/settings) to tokens created after the change only', async () => {
    const before = await createRefreshToken(t, member);
    await setSettings(t, {
      'authentication.token.refresh_token_lifespan': 180,
      'authentication.token.access_token_lifespan': 2,
    });
    try {
      const after = await createRefreshToken(t, member);
      expect(after.token_expires_at).toBe(iso(t.clock.now() + 180 * DAY_MS));
      const access = await createAccessToken(t, member, before.refresh_token);
      expect(access.token_expires_at).toBe(iso(t.clock.now() + 2 * HOUR_MS));
      const unchanged = await post(t, 'validateRefreshToken', pair(before.refresh_token));
      expect(unchanged.body.token_expires_at).toBe(before.token_expires_at);
    } finally {
      await setSettings(t, {
        'authentication.token.refresh_token_lifespan': 60,
        'authentication.token.access_token_lifespan': 24,
      });
    }
  });

  it('caps an access token at its refresh token\u2019s expiry, and expiry of the refresh token ends both', async () => {
    const refresh = await createRefreshToken(t, member);
    const expiresAt = Date.parse(refresh.token_expires_at);
    t.clock.set(expiresAt - HOUR_MS);
    const access = await createAccessToken(t, member, refresh.refresh_token);
    expect(access.token_expires_at).toBe(refresh.token_expires_at);
    expect(await meStatusWithTokenHeader(t, access.api_access_token)).toBe(200);

    t.clock.set(expiresAt);
    expect(await meStatusWithTokenHeader(t, access.api_access_token)).toBe(401);
    const validated = await post(t, 'validateAPIAccessToken', {
      api_access_token: access.api_access_token,
      user_id: member.id,
    });
    expect(validated.body.token_status).toBe('expired');
    expect((await post(t, 'validateRefreshToken', pair(refresh.refresh_token))).body.token_status).toBe(
      'expired',
    );
    const mint = await post(t, 'createAPIAccessToken', pair(refresh.refresh_token));
    expect(mint.status).toBe(401);
    expect(mint.body).toEqual({ code: 'INVALID_TOKEN', detail: 'The refresh token is expired.' });

    // With a refresh lifespan shorter than the access lifespan, the cap applies from the start.
    await setSettings(t, {
      'authentication.token.refresh_token_lifespan': 1,
      'authentication.token.access_token_lifespan': 48,
    });
    try {
      const short = await createRefreshToken(t, member);
      const capped = await createAccessToken(t, member, short.refresh_token);
      expect(capped.token_expires_at).toBe(iso(t.clock.now() + DAY_MS));
    } finally {
      await setSettings(t, {
        'authentication.token.refresh_token_lifespan': 60,
        'authentication.token.access_token_lifespan': 24,
      });
    }
  });

  it('records create, regenerate, revoke and revokeAPIAccessTokens in the audit log with the caller\u2019s IP', async () => {
    t.clock.advance(60_000);
    const refresh = await createRefreshToken(t, member, 'audited');
    await createAccessToken(t, member, refresh.refresh_token);
    await post(t, 'revokeAPIAccessTokens', pair(refresh.refresh_token));
    const regenerated = (await post(t, 'regenerateRefreshToken', pair(refresh.refresh_token))).body;
    await post(t, 'revokeRefreshToken', pair(regenerated.refresh_token));
    await post(t, 'createRefreshToken', { username: member.username, password: 'wrong password', name: 'x' });

    const events = (await t.api('GET', '/api/audit?limit=20', { token: await adminSession(t) })).body
      .items as {
      action: string;
      actorUserId: number | null;
      ip: string;
      at: string;
      details: Record<string, unknown>;
    }[];
    const now = events.filter((e) => e.at === iso(t.clock.now()) && e.action.startsWith('refresh_token.'));
    expect(now.map((e) => e.action)).toEqual([
      'refresh_token.create_failed',
      'refresh_token.revoke',
      'refresh_token.regenerate',
      'refresh_token.revoke_access_tokens',
      'refresh_token.create',
    ]);
    for (const event of now) expect(event).toMatchObject({ actorUserId: member.id, ip: '127.0.0.1' });
    expect(now.at(-1)?.details).toMatchObject({ name: 'audited', userId: member.id });
    expect(now.at(-2)?.details).toEqual({ revoked: 1 });
  });
});
