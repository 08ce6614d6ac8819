import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import {
  type CreatedUser,
  createEntry,
  createToken,
  createUser,
  DAY_MS,
  expectError,
  PASSWORD,
} from './token-fixtures.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely
type Token = any;

describe.each(DIALECTS)('GET /api/tokens on %s', (dialect) => {
  let t: TestServer;
  let admin: string;
  let member: CreatedUser;
  let department: number;
  let userType: number;
  const made: Record<string, Token> = {};

  const list = async (query: string, token = admin): Promise<Token[]> => {
    const response = await t.api('GET', `/api/tokens${query}`, { token });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.nextCursor).toBeNull();
    return response.body.items;
  };
  const names = (items: Token[]) => items.map((i) => i.name).sort();

  beforeAll(async () => {
    t = await startTestServer(dialect);
    department = await createEntry(t, 'departments');
    userType = await createEntry(t, 'user-types');
    member = await createUser(t, { departmentId: department, userTypeId: userType });
    // A token that expires first: after the clock passes a day, it is the one expired token.
    made.expiring = await createToken(t, { name: 'Soon gone', expiresInDays: 1 });
    t.clock.advance(2 * DAY_MS);
    admin = await t.login('admin', ADMIN_PASSWORD);
    member.session = await t.login(member.username, PASSWORD);
    const step = async (body: Record<string, unknown>, token = admin) => {
      t.clock.advance(1000);
      return createToken(t, body, token);
    };
    made.alpha = await step({ name: 'Alpha export', description: 'Nightly CSV', expiresInDays: 30 });
    made.bravo = await step({
      name: 'bravo refresh',
      expiresInDays: 90,
      permissions: ['semantic-model:refresh'],
    });
    made.charlie = await step({ name: 'Charlie 100% done', expiresInDays: 60 });
    made.revoked = await step({ name: 'Delta revoked', description: 'old CI key', expiresInDays: 60 });
    expect((await t.api('DELETE', `/api/tokens/${made.revoked.id}`, { token: admin })).status).toBe(204);
    made.memberApi = await step({ name: 'Echo member', expiresInDays: 90 }, member.session);
    made.memberDirectory = await step({ name: 'Foxtrot bound', userId: member.id, expiresInDays: 90 });
    t.clock.advance(1000);
    const pat = await t.api('POST', '/api/me/tokens', {
      token: member.session,
      body: { name: 'Golf personal', expiresInDays: 90 },
    });
    expect(pat.status).toBe(201);
    made.pat = pat.body;
  });
  afterAll(() => t?.close());

  it('lists every API and personal token of the tenant for an admin, without sessions or token strings', async () => {
    const items = await list('');
    expect(names(items)).toEqual(names(Object.values(made)));
    expect(items.every((i: Token) => i.kind !== 'ses')).toBe(true);
    const text = JSON.stringify(items);
    for (const token of Object.values(made)) expect(text).not.toContain(token.token);
    expect(items.every((i: Token) => !('token' in i) && !('hash' in i) && !('ciphertext' in i))).toBe(true);
  });

  it('shows sign-in sessions only when asked for with kind=ses', async () => {
    const sessions = await list('?kind=ses');
    expect(sessions.length).toBeGreaterThanOrEqual(3);
    expect(sessions.every((i: Token) => i.kind === 'ses')).toBe(true);
    expect(sessions.some((i: Token) => i.userId === member.id)).toBe(true);
  });

  it('filters by kind', async () => {
    expect(names(await list('?kind=pat'))).toEqual(['Golf personal']);
    expect(await list('?kind=shr')).toEqual([]);
  });

  it('filters by status', async () => {
    expect(names(await list('?status=expired'))).toEqual(['Soon gone']);
    expect(names(await list('?status=revoked'))).toEqual(['Delta revoked']);
    const active = names(await list('?status=active'));
    expect(active).toHaveLength(Object.keys(made).length - 2);
    expect(active).not.toContain('Soon gone');
    expect(active).not.toContain('Delta revoked');
    const all = await list('');
    expect(all.find((i: Token) => i.id === made.expiring.id).status).toBe('expired');
    expect(all.find((i: Token) => i.id === made.revoked.id).status).toBe('revoked');
  });

  it('filters by userId, departmentId and userTypeId', async () => {
    const mine = ['Echo member', 'Foxtrot bound', 'Golf personal'];
    expect(names(await list(`?userId=${member.id}`))).toEqual(mine);
    expect(names(await list(`?departmentId=${department}`))).toEqual(mine);
    expect(names(await list(`?userTypeId=${userType}`))).toEqual(mine);
    expect(await list(`?departmentId=${department}&kind=api&userId=1`)).toEqual([]);
  });

  it('finds text in the name or description, ignoring case, with % taken literally', async () => {
    expect(names(await list('?q=ALPHA'))).toEqual(['Alpha export']);
    expect(names(await list('?q=nightly'))).toEqual(['Alpha export']);
    expect(names(await list('?q=ci%20KEY'))).toEqual(['Delta revoked']);
    expect(names(await list(`?q=${encodeURIComponent('100%')}`))).toEqual(['Charlie 100% done']);
    expect(await list(`?q=${encodeURIComponent('%')}&kind=pat`)).toEqual([]);
    expect(await list('?q=_')).toEqual([]);
    expect(await list(`?q=${encodeURIComponent('\\')}`)).toEqual([]);
    expect(await list(`?q=${encodeURIComponent("' or '1'='1")}`)).toEqual([]);
  });

  it('finds the active tokens expiring within N days', async () => {
    expect(names(await list('?expiringWithinDays=45'))).toEqual(['Alpha export']);
    // Delta revoked would expire in 60 days too, but a revoked token is not expiring.
    expect(names(await list('?expiringWithinDays=61'))).toEqual(['Alpha export', 'Charlie 100% done']);
  });

  it.each([
    ['name', 'asc'],
    ['name', 'desc'],
    ['createdAt', 'asc'],
    ['expiresAt', 'desc'],
  ] as const)('sorts by %s %s', async (sort, order) => {
    const items = await list(`?sort=${sort}&order=${order}`);
    const keys = items.map((i: Token) => (sort === 'name' ? i.name : Date.parse(i[sort])));
    const sorted = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(keys).toEqual(order === 'asc' ? sorted : sorted.reverse());
  });

  it('sorts newest first by default', async () => {
    const items = await list('');
    expect(items[0].id).toBe(made.pat.id);
    expect(items.at(-1).id).toBe(made.expiring.id);
  });

  it.each(['createdAt', 'expiresAt', 'name'])(
    'walks every token exactly once with cursor pagination, sorted by %s',
    async (sort) => {
      for (const order of ['asc', 'desc']) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const query: string = `?limit=2&sort=${sort}&order=${order}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
          const response = await t.api('GET', `/api/tokens${query}`, { token: admin });
          expect(response.status).toBe(200);
          expect(response.body.items.length).toBeLessThanOrEqual(2);
          seen.push(...response.body.items.map((i: Token) => i.id));
          cursor = response.body.nextCursor;
          pages++;
        } while (cursor && pages < 20);
        expect(seen).toHaveLength(Object.keys(made).length);
        expect(new Set(seen)).toEqual(new Set(Object.values(made).map((m) => m.id)));
        expect(seen).toEqual((await list(`?sort=${sort}&order=${order}`)).map((i: Token) => i.id));
      }
    },
  );

  it('walks tokens created in the same millisecond without losing any', async () => {
    const same: string[] = [];
    for (let i = 0; i < 5; i++) same.push((await createToken(t, { name: `Same tick ${i}` }, admin)).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response: Awaited<ReturnType<TestServer['api']>> = await t.api(
        'GET',
        `/api/tokens?q=same%20tick&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { token: admin },
      );
      seen.push(...response.body.items.map((i: Token) => i.id));
      cursor = response.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(same.sort());
  });

  it('shows a member only their own tokens, whatever filter they send', async () => {
    const mine = ['Echo member', 'Foxtrot bound', 'Golf personal'];
    expect(names(await list('', member.session))).toEqual(mine);
    expect(names(await list('?userId=1', member.session))).toEqual([]);
  });

  it.each([
    ['status', '?status=dormant'],
    ['kind', '?kind=xyz'],
    ['userId', '?userId=abc'],
    ['expiringWithinDays', '?expiringWithinDays=0'],
    ['sort', '?sort=hash'],
    ['order', '?order=sideways'],
    ['limit', '?limit=1000'],
  ])('refuses a bad %s with 400', async (field, query) => {
    expectError(await t.api('GET', `/api/tokens${query}`, { token: admin }), 400, 'VALIDATION_FAILED', field);
  });

  it('refuses a forged cursor and a cursor of another sort with INVALID_CURSOR', async () => {
    expectError(
      await t.api('GET', '/api/tokens?cursor=bm9wZQ', { token: admin }),
      400,
      'INVALID_CURSOR',
      'cursor',
    );
    const first = await t.api('GET', '/api/tokens?limit=1&sort=name', { token: admin });
    const cursor = encodeURIComponent(first.body.nextCursor);
    expectError(
      await t.api('GET', `/api/tokens?sort=createdAt&cursor=${cursor}`, { token: admin }),
      400,
      'INVALID_CURSOR',
      'cursor',
    );
  });
});
