import { existsSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateToken } from '../../src/core/token-format.ts';
import { ADMIN_PASSWORD, DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { createToken, createUser, DAY_MS, expectError, sqlitePath, storeOf } from './token-fixtures.ts';

describe.each(DIALECTS)('token secrecy on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.close());

  /** Everything the database holds, as text: the SQLite file with its WAL, or every row of every table. */
  async function databaseText(): Promise<string> {
    if (dialect === 'sqlite') {
      const file = await sqlitePath(t);
      return [file, `${file}-wal`, `${file}-shm`]
        .filter((f) => existsSync(f))
        .map((f) => readFileSync(f).toString('utf8'))
        .join('\n');
    }
    const { db } = storeOf(t);
    const tables = await sql<{ name: string }>`
      select table_name as name from information_schema.tables where table_schema = 'public'`.execute(db);
    const columns = await sql<{ name: string }>`
      select column_name as name from information_schema.columns
      where table_schema = 'public' and table_name = 'tokens' and data_type in ('text', 'character varying')`.execute(
      db,
    );
    expect(columns.rows.map((c) => c.name)).toEqual(expect.arrayContaining(['hash', 'hint', 'ciphertext']));
    const parts: string[] = [];
    expect(tables.rows.map((r) => r.name)).toContain('tokens');
    for (const { name } of tables.rows) {
      const table = sql.table(name);
      const rows = await sql<{ row: string }>`select row_to_json(t)::text as row from ${table} t`.execute(db);
      parts.push(...rows.rows.map((r) => r.row));
    }
    return parts.join('\n');
  }

  it('never stores a token string, not even a retrievable, rotated or personal one', async () => {
    const member = await createUser(t);
    const plain = await createToken(t, {});
    const retrievable = await createToken(t, { retrievable: true });
    const rotated = (
      await t.api('POST', `/api/tokens/${plain.id}/_rotate`, {
        token: t.adminToken,
        body: { gracePeriodSeconds: 60 },
      })
    ).body;
    const pat = (await t.api('POST', '/api/me/tokens', { token: member.session, body: { name: 'mine' } }))
      .body;
    const used = [plain, retrievable, rotated, pat];
    for (const token of used) {
      expect(token.token).toMatch(/^tsr_/);
      await t.api('GET', '/api/verify', { token: token.token });
    }
    await t.server.tessera.usage.flush();
    const text = await databaseText();
    // The scan reads the live data: the ids and hints are there.
    for (const token of used) {
      expect(text).toContain(token.id);
      expect(text).toContain(token.hint);
    }
    const secrets = [...used.map((u) => u.token), t.adminToken, member.session];
    for (const secret of secrets) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.slice(8, 40));
    }
  });
});

describe.each(DIALECTS)('the management API without good credentials on %s', (dialect) => {
  let t: TestServer;
  let admin: string;
  let target: { id: string; token: string };
  const credentials: [string, Record<string, string>][] = [];

  beforeAll(async () => {
    t = await startTestServer(dialect);
    const expiring = await createToken(t, { permissions: ['tokens:manage'], expiresInDays: 1 });
    t.clock.advance(DAY_MS);
    admin = await t.login('admin', ADMIN_PASSWORD);
    target = await createToken(t, { retrievable: true }, admin);
    const revoked = await createToken(t, { permissions: ['tokens:manage'] }, admin);
    await t.api('DELETE', `/api/tokens/${revoked.id}`, { token: admin });
    const loggedOut = await t.login('admin', ADMIN_PASSWORD);
    expect((await t.api('POST', '/api/auth/logout', { token: loggedOut })).status).toBe(204);
    const typo = `${admin.slice(0, 20)}${admin[20] === 'a' ? 'b' : 'a'}${admin.slice(21)}`;
    credentials.push(
      ['no credentials', {}],
      ['garbage', { authorization: 'Bearer not-a-token' }],
      ['a typo of a real session', { authorization: `Bearer ${typo}` }],
      ['a token never issued', { authorization: `Bearer ${generateToken('ses')}` }],
      ['an expired token', { authorization: `Bearer ${expiring.token}` }],
      ['a revoked token', { authorization: `Bearer ${revoked.token}` }],
      ['a signed-out session', { authorization: `Bearer ${loggedOut}` }],
      [
        'a Basic header',
        { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` },
      ],
      ['an empty Bearer', { authorization: 'Bearer ' }],
      ['a garbage TOKEN header', { token: 'nope' }],
    );
  });
  afterAll(() => t?.close());

  const endpoints: [string, (id: string) => string, unknown?][] = [
    ['GET', () => '/api/tokens'],
    ['POST', () => '/api/tokens', { name: 'x', permissions: ['reports:read'] }],
    ['GET', (id) => `/api/tokens/${id}`],
    ['PATCH', (id) => `/api/tokens/${id}`, { name: 'stolen' }],
    ['DELETE', (id) => `/api/tokens/${id}`],
    ['POST', () => '/api/tokens/_revoke', { ids: ['00000000-0000-4000-8000-000000000000'] }],
    ['POST', (id) => `/api/tokens/${id}/_rotate`],
    ['POST', (id) => `/api/tokens/${id}/_reveal`],
    ['GET', () => '/api/me/tokens'],
    ['POST', () => '/api/me/tokens', { name: 'x' }],
    ['DELETE', (id) => `/api/me/tokens/${id}`],
  ];

  it.each(endpoints)('%s %s answers 401 UNAUTHENTICATED and changes nothing', async (method, path, body) => {
    for (const [what, headers] of credentials) {
      const response = await t.api(method, path(target.id), {
        headers,
        ...(body === undefined ? {} : { body }),
      });
      expect(response.status, what).toBe(401);
      expectError(response, 401, 'UNAUTHENTICATED');
      expect(response.headers.get('www-authenticate'), what).toMatch(/^Bearer/);
    }
    const after = await t.api('GET', `/api/tokens/${target.id}`, { token: admin });
    expect(after.body).toMatchObject({ name: expect.not.stringMatching('stolen'), status: 'active' });
    expect((await t.api('GET', '/api/tokens?q=x&kind=api', { token: admin })).body.items).toEqual([]);
  });

  it('accepts the same endpoints with a session sent as Bearer, as a TOKEN header, or as ?token=', async () => {
    expect(
      (await t.api('GET', '/api/tokens', { headers: { authorization: `Bearer ${admin}` } })).status,
    ).toBe(200);
    expect(
      (await t.api('GET', '/api/tokens', { headers: { authorization: `bearer ${admin}` } })).status,
    ).toBe(200);
    expect((await t.api('GET', '/api/tokens', { headers: { token: admin } })).status).toBe(200);
    expect((await t.api('GET', `/api/tokens?token=${admin}`)).status).toBe(200);
  });

  it('names the reason in the 401 message without echoing the credential', async () => {
    const [, expired] = credentials.find(([what]) => what === 'an expired token')!;
    const response = await t.api('GET', '/api/tokens', { headers: expired });
    expect(response.body.error.message).toContain('TOKEN_EXPIRED');
    expect(JSON.stringify(response.body)).not.toContain(expired.authorization!.slice(7));
  });
});
