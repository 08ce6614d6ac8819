import { beforeAll, describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../src/core/clock.ts';
import { type NewToken, type TokenQuery, type TokenStatus, tokenStatus } from '../../src/core/model.ts';
import type { Store } from '../../src/core/store.ts';
import { encodeCursor } from '../../src/store/kysely/cursor.ts';
import { DIALECTS, START } from '../support/harness.ts';
import { addToken, newTenant, userFields, useStore } from './fixtures.ts';

type Sort = TokenQuery['sort'];
const SORTS: Sort[] = ['createdAt', 'expiresAt', 'name'];
const ORDERS = ['asc', 'desc'] as const;

/** Every listing in this file reads one tenant's tokens as of `now`, unless a query says otherwise. */
function query(overrides: Partial<TokenQuery> = {}): TokenQuery {
  return { now: START, sort: 'name', order: 'asc', limit: 100, ...overrides };
}

async function names(store: Store, tenant: string, overrides: Partial<TokenQuery> = {}): Promise<string[]> {
  return (await store.tokens.list(tenant, query(overrides))).items.map((t) => t.name);
}

/** Walks every page of a listing and returns the ids in the order they came. */
async function walk(store: Store, tenant: string, q: TokenQuery): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const result = await store.tokens.list(tenant, { ...q, cursor });
    expect(result.items.length).toBeLessThanOrEqual(q.limit);
    ids.push(...result.items.map((t) => t.id));
    if (!result.nextCursor) return ids;
    cursor = result.nextCursor;
  }
  throw new Error('pagination did not end');
}

/** The order a listing must come back in: by the sort value, ties broken by id, both in the same direction. */
function expectedOrder(tokens: NewToken[], sort: Sort, order: 'asc' | 'desc'): string[] {
  const sign = order === 'asc' ? 1 : -1;
  const compare = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  return [...tokens]
    .sort((a, b) => sign * (compare(a[sort], b[sort]) || compare(a.id, b.id)))
    .map((t) => t.id);
}

describe.each(DIALECTS)('store token listing on %s', (dialect) => {
  const store = useStore(dialect);

  describe('filters', () => {
    const tenant = newTenant();
    const tokens: NewToken[] = [];

    beforeAll(async () => {
      const s = store();
      const u1 = await s.users.insert(userFields(tenant, 'lister1'));
      const u2 = await s.users.insert(userFields(tenant, 'lister2'));
      const rows: Partial<NewToken>[] = [
        {
          name: 'alpha',
          kind: 'api',
          userId: u1.id,
          departmentId: 11,
          userTypeId: 21,
          createdAt: START - 5 * DAY,
          expiresAt: START + 10 * DAY,
          description: 'nightly export',
        },
        {
          name: 'bravo',
          kind: 'pat',
          userId: u2.id,
          departmentId: 12,
          userTypeId: 22,
          createdAt: START - 40 * DAY,
          expiresAt: START - DAY,
        },
        {
          name: 'charlie',
          kind: 'api',
          userId: u1.id,
          departmentId: 11,
          userTypeId: 22,
          createdAt: START - 3 * DAY,
          expiresAt: START + 100 * DAY,
          revokedAt: START - HOUR,
        },
        // Rotated with a grace period: revocation scheduled for later, so still active now.
        {
          name: 'delta',
          kind: 'api',
          userId: u2.id,
          departmentId: 12,
          userTypeId: 21,
          createdAt: START - 2 * DAY,
          expiresAt: START + 50 * DAY,
          revokedAt: START + HOUR,
        },
        {
          name: 'echo',
          kind: 'shr',
          userId: u1.id,
          createdAt: START - DAY,
          expiresAt: START + 3 * DAY,
          description: 'Sales 50%_off',
        },
        // Revoked and expired: revoked wins.
        {
          name: 'foxtrot',
          kind: 'rt',
          userId: u2.id,
          createdAt: START - 60 * DAY,
          expiresAt: START - 10 * DAY,
          revokedAt: START - 20 * DAY,
        },
        // Revoked at exactly `now`.
        {
          name: 'golf',
          kind: 'api',
          userId: u1.id,
          createdAt: START - 4 * DAY,
          expiresAt: START + 20 * DAY,
          revokedAt: START,
        },
        // Expires at exactly `now`.
        {
          name: 'hotel',
          kind: 'pat',
          userId: u2.id,
          createdAt: START - 30 * DAY,
          expiresAt: START,
          description: 'sales 50 x off',
        },
      ];
      for (const row of rows) tokens.push(await addToken(s, tenant, row.userId!, row));
    });

    it('lists active, expired and revoked tokens as of the given time', async () => {
      expect(await names(store(), tenant, { status: 'active' })).toEqual(['alpha', 'delta', 'echo']);
      expect(await names(store(), tenant, { status: 'expired' })).toEqual(['bravo', 'hotel']);
      expect(await names(store(), tenant, { status: 'revoked' })).toEqual(['charlie', 'foxtrot', 'golf']);
    });

    it('counts a scheduled revocation only once its time has come', async () => {
      const later = START + 2 * HOUR;
      expect(await names(store(), tenant, { now: later, status: 'active' })).toEqual(['alpha', 'echo']);
      expect(await names(store(), tenant, { now: later, status: 'revoked' })).toEqual([
        'charlie',
        'delta',
        'foxtrot',
        'golf',
      ]);
    });

    it('agrees with the domain’s status rule at every boundary', async () => {
      const instants = [
        START - 2 * HOUR,
        START - 1,
        START,
        START + HOUR,
        START + HOUR + 1,
        START + 3 * DAY,
        START + 11 * DAY,
      ];
      for (const now of instants) {
        for (const status of ['active', 'expired', 'revoked'] as TokenStatus[]) {
          const expected = tokens.filter((t) => tokenStatus(t, now) === status).map((t) => t.name);
          expect(await names(store(), tenant, { now, status }), `${status} at ${now - START}`).toEqual(
            expected,
          );
        }
      }
    });

    it('filters by kind', async () => {
      expect(await names(store(), tenant, { kinds: ['api'] })).toEqual(['alpha', 'charlie', 'delta', 'golf']);
      expect(await names(store(), tenant, { kinds: ['pat', 'shr'] })).toEqual(['bravo', 'echo', 'hotel']);
      expect(await names(store(), tenant, { kinds: ['ses'] })).toEqual([]);
    });

    it('filters by user, department and user type', async () => {
      const [alpha, bravo] = tokens;
      expect(await names(store(), tenant, { userId: alpha!.userId })).toEqual([
        'alpha',
        'charlie',
        'echo',
        'golf',
      ]);
      expect(await names(store(), tenant, { userId: bravo!.userId })).toEqual([
        'bravo',
        'delta',
        'foxtrot',
        'hotel',
      ]);
      expect(await names(store(), tenant, { departmentId: 11 })).toEqual(['alpha', 'charlie']);
      expect(await names(store(), tenant, { userTypeId: 21 })).toEqual(['alpha', 'delta']);
      expect(await names(store(), tenant, { departmentId: 12, userTypeId: 21 })).toEqual(['delta']);
    });

    it('searches name and description case-insensitively', async () => {
      expect(await names(store(), tenant, { text: 'ALP' })).toEqual(['alpha']);
      expect(await names(store(), tenant, { text: 'Export' })).toEqual(['alpha']);
      expect(await names(store(), tenant, { text: 'sales' })).toEqual(['echo', 'hotel']);
    });

    it('treats LIKE wildcards in a search as plain text', async () => {
      expect(await names(store(), tenant, { text: '50%' })).toEqual(['echo']);
      expect(await names(store(), tenant, { text: '%_o' })).toEqual(['echo']);
      expect(await names(store(), tenant, { text: '_' })).toEqual(['echo']);
    });

    it('lists tokens that have not expired yet but will within the given days', async () => {
      expect(await names(store(), tenant, { expiringWithinDays: 7 })).toEqual(['echo']);
      expect(await names(store(), tenant, { expiringWithinDays: 10 })).toEqual(['alpha', 'echo']);
      expect(await names(store(), tenant, { expiringWithinDays: 7, now: START + 4 * DAY })).toEqual([
        'alpha',
      ]);
    });

    it('combines filters', async () => {
      expect(await names(store(), tenant, { status: 'active', kinds: ['api'], userTypeId: 21 })).toEqual([
        'alpha',
        'delta',
      ]);
      expect(
        await names(store(), tenant, { status: 'revoked', userId: tokens[0]!.userId, text: 'l' }),
      ).toEqual(['charlie', 'golf']);
    });

    it.each(SORTS.flatMap((sort) => ORDERS.map((order) => ({ sort, order }))))(
      'sorts by $sort $order',
      async ({ sort, order }) => {
        const page = await store().tokens.list(tenant, query({ sort, order }));
        expect(page.items.map((t) => t.id)).toEqual(expectedOrder(tokens, sort, order));
        expect(page.nextCursor).toBeNull();
      },
    );

    it('sorts by creation time, oldest first', async () => {
      expect(await names(store(), tenant, { sort: 'createdAt' })).toEqual([
        'foxtrot',
        'bravo',
        'hotel',
        'alpha',
        'golf',
        'charlie',
        'delta',
        'echo',
      ]);
    });
  });

  describe('pagination', () => {
    const tenant = newTenant();
    const tokens: NewToken[] = [];

    beforeAll(async () => {
      const s = store();
      const user = await s.users.insert(userFields(tenant, 'pager'));
      // Many ties in every sort column, so the id tie-break decides where a page ends.
      for (let i = 0; i < 11; i++) {
        tokens.push(
          await addToken(s, tenant, user.id, {
            name: ['dup', 'dup', 'other', 'zed'][i % 4]!,
            createdAt: START - (i % 2) * DAY,
            expiresAt: START + (i % 3) * DAY + DAY,
            revokedAt: i === 4 ? START - HOUR : null,
          }),
        );
      }
    });

    it.each(SORTS.flatMap((sort) => ORDERS.map((order) => ({ sort, order }))))(
      'walks every token exactly once by $sort $order',
      async ({ sort, order }) => {
        const ids = await walk(store(), tenant, query({ sort, order, limit: 2 }));
        expect(ids).toEqual(expectedOrder(tokens, sort, order));
        expect(new Set(ids).size).toBe(tokens.length);
      },
    );

    it('walks a filtered listing exactly once', async () => {
      const active = tokens.filter((t) => tokenStatus(t, START) === 'active');
      const ids = await walk(
        store(),
        tenant,
        query({ sort: 'expiresAt', order: 'desc', status: 'active', limit: 3 }),
      );
      expect(ids).toEqual(expectedOrder(active, 'expiresAt', 'desc'));
      expect(ids).toHaveLength(tokens.length - 1);
    });

    it('rejects a cursor from another sort with INVALID_CURSOR', async () => {
      const first = await store().tokens.list(tenant, query({ sort: 'createdAt', limit: 2 }));
      expect(first.nextCursor).not.toBeNull();
      await expect(
        store().tokens.list(tenant, query({ sort: 'name', limit: 2, cursor: first.nextCursor! })),
      ).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    });

    it('rejects a malformed or tampered cursor with INVALID_CURSOR', async () => {
      const id = tokens[0]!.id;
      const tampered: [Sort, string][] = [
        ['name', 'garbage'],
        ['createdAt', encodeCursor('createdAt', 'yesterday', id)],
        ['expiresAt', encodeCursor('expiresAt', 1.5, id)],
        ['name', encodeCursor('name', 7, id)],
        ['createdAt', encodeCursor('createdAt', START, 42)],
      ];
      for (const [sort, cursor] of tampered) {
        await expect(store().tokens.list(tenant, query({ sort, cursor }))).rejects.toMatchObject({
          code: 'INVALID_CURSOR',
        });
      }
    });
  });
});
