import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import {
  BASE,
  createAccessToken,
  createRefreshToken,
  ENCODINGS,
  expectIntegrationError,
  integrationUser,
  post,
} from './integration-fixtures.ts';
import { type CreatedUser, createToken, PASSWORD, rowCounts } from './token-fixtures.ts';

/** The endpoints that take a refresh token and a user id. */
const WITH_REFRESH_TOKEN = [
  'createAPIAccessToken',
  'validateRefreshToken',
  'regenerateRefreshToken',
  'revokeRefreshToken',
  'revokeAPIAccessTokens',
];

describe.each(DIALECTS)('seed 003 error paths (/integration/v1) on %s', (dialect) => {
  let t: TestServer;
  let member: CreatedUser;
  let other: CreatedUser;
  let refresh: string;
  let access: string;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    member = await integrationUser(t);
    other = await integrationUser(t);
    refresh = (await createRefreshToken(t, member)).refresh_token;
    access = (await createAccessToken(t, member, refresh)).api_access_token;
  });
  afterAll(() => t?.close());

  /** Every endpoint with a valid body for `member`, to break one field at a time. */
  const validBodies = (): [string, Record<string, unknown>][] => [
    ['createRefreshToken', { username: member.username, password: PASSWORD, name: 'n' }],
    ...WITH_REFRESH_TOKEN.map((e): [string, Record<string, unknown>] => [
      e,
      { refresh_token: refresh, user_id: member.id },
    ]),
    ['validateAPIAccessToken', { api_access_token: access, user_id: member.id }],
  ];

  it.each(ENCODINGS)(
    '400 VALIDATION_FAILED naming each missing field, on every endpoint (%s body)',
    async (encoding) => {
      const before = await rowCounts(t);
      for (const [endpoint, body] of validBodies()) {
        for (const field of Object.keys(body)) {
          const { [field]: _, ...rest } = body;
          const response = await post(t, endpoint, rest, encoding);
          expectIntegrationError(response, 400, 'VALIDATION_FAILED', `${field}: is required`);
        }
      }
      expect(await rowCounts(t)).toEqual(before);
    },
  );

  it.each(ENCODINGS)('400 for an unknown field and for empty values (%s body)', async (encoding) => {
    for (const [endpoint, body] of validBodies()) {
      expectIntegrationError(
        await post(t, endpoint, { ...body, extra: 'x' }, encoding),
        400,
        'VALIDATION_FAILED',
        'extra',
      );
    }
    const empty = await post(
      t,
      'createRefreshToken',
      { username: member.username, password: PASSWORD, name: '' },
      encoding,
    );
    expectIntegrationError(empty, 400, 'VALIDATION_FAILED', 'name');
    const blank = await post(t, 'validateRefreshToken', { refresh_token: '', user_id: member.id }, encoding);
    expectIntegrationError(blank, 400, 'VALIDATION_FAILED', 'refresh_token');
  });

  it('400 for a user_id that is not a positive integer, as text in a form or as JSON', async () => {
    for (const userId of ['abc', '1.5', '-1', '0', '', '99999999999', '2147483648', ' 1']) {
      const response = await post(t, 'validateRefreshToken', { refresh_token: refresh, user_id: userId });
      expectIntegrationError(response, 400, 'VALIDATION_FAILED', 'user_id');
    }
    for (const userId of [1.5, 0, -1, true, null, [member.id], 2147483648, 'abc']) {
      const response = await post(
        t,
        'validateRefreshToken',
        { refresh_token: refresh, user_id: userId },
        'json',
      );
      expectIntegrationError(response, 400, 'VALIDATION_FAILED', 'user_id');
    }
    // Digits as text are the form encoding of an integer, and JSON may send them too.
    const asText = await post(
      t,
      'validateRefreshToken',
      { refresh_token: refresh, user_id: String(member.id) },
      'json',
    );
    expect(asText.status).toBe(200);
  });

  it('400 for wrong JSON types, a repeated form field, and JSON that is not an object', async () => {
    const typed = await post(
      t,
      'createRefreshToken',
      { username: 42, password: PASSWORD, name: 'n' },
      'json',
    );
    expectIntegrationError(typed, 400, 'VALIDATION_FAILED', 'username');
    const repeated = await t.api('POST', `${BASE}/validateRefreshToken/`, {
      raw: `refresh_token=${refresh}&refresh_token=${refresh}&user_id=${member.id}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectIntegrationError(repeated, 400, 'VALIDATION_FAILED', 'refresh_token');
    const array = await t.api('POST', `${BASE}/validateRefreshToken/`, { body: [refresh, member.id] });
    expectIntegrationError(array, 400, 'VALIDATION_FAILED');
    const long = await post(t, 'validateRefreshToken', {
      refresh_token: 'x'.repeat(501),
      user_id: member.id,
    });
    expectIntegrationError(long, 400, 'VALIDATION_FAILED', 'refresh_token');
  });

  it('400 INVALID_JSON for a broken JSON body, 400 for no body, 415 for an unsupported content type', async () => {
    const path = `${BASE}/createRefreshToken/`;
    const broken = await t.api('POST', path, {
      raw: '{"username":',
      headers: { 'content-type': 'application/json' },
    });
    expectIntegrationError(broken, 400, 'INVALID_JSON');
    expectIntegrationError(await t.api('POST', path), 400, 'VALIDATION_FAILED', 'body');
    const text = await t.api('POST', path, { raw: 'username=a', headers: { 'content-type': 'text/plain' } });
    expectIntegrationError(text, 415, 'UNSUPPORTED_MEDIA_TYPE');
    const big = await post(t, 'createRefreshToken', {
      username: 'a',
      password: 'x'.repeat(70 * 1024),
      name: 'n',
    });
    expectIntegrationError(big, 413, 'PAYLOAD_TOO_LARGE');
  });

  it.each(ENCODINGS)(
    '401 INVALID_CREDENTIALS for a wrong password or an unknown user; nothing issued (%s body)',
    async (encoding) => {
      const before = (await rowCounts(t)).tokens;
      const wrong = await post(
        t,
        'createRefreshToken',
        { username: member.username, password: 'wrong password', name: 'n' },
        encoding,
      );
      expectIntegrationError(wrong, 401, 'INVALID_CREDENTIALS', 'username or password');
      const nobody = await post(
        t,
        'createRefreshToken',
        { username: 'nobody-here', password: PASSWORD, name: 'n' },
        encoding,
      );
      expectIntegrationError(nobody, 401, 'INVALID_CREDENTIALS');
      expect((await rowCounts(t)).tokens).toBe(before);
    },
  );

  it('401 INVALID_TOKEN for unknown, mistyped and wrong-kind tokens on every token endpoint', async () => {
    const pat = (await createToken(t, { permissions: ['subscription:execute'] })).token as string;
    const typo = `${refresh.slice(0, -1)}${refresh.endsWith('A') ? 'B' : 'A'}`;
    for (const endpoint of WITH_REFRESH_TOKEN) {
      for (const token of ['nonsense', typo, access, pat]) {
        const response = await post(t, endpoint, { refresh_token: token, user_id: member.id });
        expectIntegrationError(response, 401, 'INVALID_TOKEN', 'refresh token');
      }
    }
    for (const token of ['nonsense', refresh, pat]) {
      const response = await post(t, 'validateAPIAccessToken', {
        api_access_token: token,
        user_id: member.id,
      });
      expectIntegrationError(response, 401, 'INVALID_TOKEN', 'access token');
    }
  });

  it('403 FORBIDDEN for another user\u2019s token, 404 USER_NOT_FOUND for a user id nobody has; nothing changed', async () => {
    for (const endpoint of WITH_REFRESH_TOKEN) {
      const forbidden = await post(t, endpoint, { refresh_token: refresh, user_id: other.id });
      expectIntegrationError(forbidden, 403, 'FORBIDDEN', 'another user');
      const unknown = await post(t, endpoint, { refresh_token: refresh, user_id: 999_999 });
      expectIntegrationError(unknown, 404, 'USER_NOT_FOUND', 'user_id');
    }
    expectIntegrationError(
      await post(t, 'validateAPIAccessToken', { api_access_token: access, user_id: other.id }),
      403,
      'FORBIDDEN',
    );
    expectIntegrationError(
      await post(t, 'validateAPIAccessToken', { api_access_token: access, user_id: 999_999 }),
      404,
      'USER_NOT_FOUND',
    );
    const still = await post(t, 'validateRefreshToken', { refresh_token: refresh, user_id: member.id });
    expect(still.body.token_status).toBe('active');
    expect((await t.api('GET', '/api/me', { headers: { token: access } })).status).toBe(200);
  });

  it('401 INVALID_TOKEN when minting from or regenerating a revoked or expired refresh token', async () => {
    const revoked = (await createRefreshToken(t, member)).refresh_token;
    await post(t, 'revokeRefreshToken', { refresh_token: revoked, user_id: member.id });
    for (const endpoint of ['createAPIAccessToken', 'regenerateRefreshToken']) {
      const response = await post(t, endpoint, { refresh_token: revoked, user_id: member.id });
      expectIntegrationError(response, 401, 'INVALID_TOKEN', 'revoked');
    }
    const expiring = await createRefreshToken(t, member);
    t.clock.set(Date.parse(expiring.token_expires_at));
    try {
      for (const endpoint of ['createAPIAccessToken', 'regenerateRefreshToken']) {
        const response = await post(t, endpoint, {
          refresh_token: expiring.refresh_token,
          user_id: member.id,
        });
        expectIntegrationError(response, 401, 'INVALID_TOKEN', 'expired');
      }
    } finally {
      t.clock.set(Date.parse(expiring.created_at));
    }
  });

  it('throttles createRefreshToken/ after 5 wrong passwords: 429 with Retry-After, even with the right one, until the window passes', async () => {
    const victim = await integrationUser(t);
    const attempt = (password: string) =>
      post(t, 'createRefreshToken', { username: victim.username, password, name: 'guess' });
    for (let i = 0; i < 5; i++)
      expectIntegrationError(await attempt(`guess ${i}`), 401, 'INVALID_CREDENTIALS');
    const throttled = await attempt(PASSWORD);
    expectIntegrationError(throttled, 429, 'TOO_MANY_ATTEMPTS', 'try again');
    expect(Number(throttled.headers.get('retry-after'))).toBe(300);
    // Sign-in shares the throttle: guessing here does not buy fresh guesses there.
    expect(
      (await t.api('POST', '/api/auth/login', { body: { username: victim.username, password: PASSWORD } }))
        .status,
    ).toBe(429);

    t.clock.advance(5 * 60_000);
    expect((await attempt(PASSWORD)).status).toBe(201);
  });

  it('answers an unknown endpoint or method under /integration/v1 with 404 ROUTE_NOT_FOUND in {detail, code}', async () => {
    expectIntegrationError(
      await t.api('POST', `${BASE}/createSomething/`, { body: {} }),
      404,
      'ROUTE_NOT_FOUND',
      '/integration/v1/createSomething/',
    );
    expectIntegrationError(await t.api('GET', `${BASE}/createRefreshToken/`), 404, 'ROUTE_NOT_FOUND');
    const leaked = await t.api('GET', `${BASE}/nothing/?token=${refresh}`);
    expectIntegrationError(leaked, 404, 'ROUTE_NOT_FOUND');
    expect(JSON.stringify(leaked.body)).not.toContain(refresh);
  });

  it('never answers 500 to odd input', async () => {
    const odd: [string, Record<string, unknown>][] = [
      ['createRefreshToken', { username: '\u0000', password: '\u0000', name: '\u{1F511}' }],
      ['createRefreshToken', { username: 'a'.repeat(254), password: 'p', name: 'n' }],
      ['validateRefreshToken', { refresh_token: 'tsr_rt_\u00e9\u00e9\u00e9', user_id: 2147483647 }],
      ['validateAPIAccessToken', { api_access_token: 'tsr_at_', user_id: '2147483647' }],
      ['createAPIAccessToken', { refresh_token: refresh, user_id: 2147483647 }],
    ];
    for (const [endpoint, body] of odd) {
      for (const encoding of ENCODINGS) {
        const response = await post(t, endpoint, body, encoding);
        expect(response.status, `${endpoint} ${JSON.stringify(body)}`).toBeLessThan(500);
        expect(Object.keys(response.body).sort()).toEqual(['code', 'detail']);
      }
    }
  });
});
