import { describe, expect, it } from 'vitest';
import { HOUR } from '../../src/core/clock.ts';
import { DIALECTS, START } from '../support/harness.ts';
import { addToken, newTenant, userFields, useStore } from './fixtures.ts';

describe.each(DIALECTS)('store token revocation and usage on %s', (dialect) => {
  const store = useStore(dialect);

  async function setUp(count: number) {
    const tenant = newTenant();
    const user = await store().users.insert(userFields(tenant, 'holder'));
    const tokens = [];
    for (let i = 0; i < count; i++) tokens.push(await addToken(store(), tenant, user.id, { name: `t${i}` }));
    return { tenant, user, tokens };
  }

  const revokedAt = async (tenant: string, id: string) => (await store().tokens.get(tenant, id))?.revokedAt;

  describe('revoke', () => {
    it('revokes the listed tokens at the given time and returns their ids and hashes', async () => {
      const { tenant, tokens } = await setUp(3);
      const [a, b, c] = tokens;
      const result = await store().tokens.revoke(tenant, [a!.id, b!.id], START);
      expect(result).toHaveLength(2);
      expect(result).toEqual(
        expect.arrayContaining([
          { id: a!.id, hash: a!.hash },
          { id: b!.id, hash: b!.hash },
        ]),
      );
      expect(await revokedAt(tenant, a!.id)).toBe(START);
      expect(await revokedAt(tenant, b!.id)).toBe(START);
      expect(await revokedAt(tenant, c!.id)).toBeNull();
    });

    it('returns only the tokens it actually revoked, leaving earlier revocations as they were', async () => {
      const { tenant, tokens } = await setUp(2);
      const [a, b] = tokens;
      await store().tokens.revoke(tenant, [a!.id], START - HOUR);
      const result = await store().tokens.revoke(tenant, [a!.id, b!.id, 'no-such-id'], START);
      expect(result).toEqual([{ id: b!.id, hash: b!.hash }]);
      expect(await revokedAt(tenant, a!.id)).toBe(START - HOUR);
      expect(await store().tokens.revoke(tenant, [a!.id, b!.id], START + HOUR)).toEqual([]);
    });

    it('brings a revocation scheduled for later forward to now', async () => {
      const { tenant, tokens } = await setUp(1);
      const [a] = tokens;
      await store().tokens.revoke(tenant, [a!.id], START + HOUR);
      expect(await store().tokens.revoke(tenant, [a!.id], START)).toEqual([{ id: a!.id, hash: a!.hash }]);
      expect(await revokedAt(tenant, a!.id)).toBe(START);
    });

    it('schedules a revocation only on a token with none scheduled, so one of two racing rotations wins', async () => {
      const { tenant, tokens } = await setUp(1);
      const [a] = tokens;
      const [first, second] = await Promise.all([
        store().tokens.scheduleRevocation(tenant, a!.id, START + HOUR),
        store().tokens.scheduleRevocation(tenant, a!.id, START + 2 * HOUR),
      ]);
      expect([...first!, ...second!]).toEqual([{ id: a!.id, hash: a!.hash }]);
      expect([START + HOUR, START + 2 * HOUR]).toContain(await revokedAt(tenant, a!.id));
      expect(await store().tokens.scheduleRevocation(newTenant(), a!.id, START)).toEqual([]);
    });

    it('does nothing for an empty list', async () => {
      const { tenant, tokens } = await setUp(1);
      expect(await store().tokens.revoke(tenant, [], START)).toEqual([]);
      expect(await revokedAt(tenant, tokens[0]!.id)).toBeNull();
    });

    it('revokes only the given user’s tokens when restricted to one user', async () => {
      const { tenant, user, tokens } = await setUp(1);
      const other = await store().users.insert(userFields(tenant, 'other'));
      const theirs = await addToken(store(), tenant, other.id);
      const result = await store().tokens.revoke(tenant, [tokens[0]!.id, theirs.id], START, user.id);
      expect(result.map((r) => r.id)).toEqual([tokens[0]!.id]);
      expect(await revokedAt(tenant, theirs.id)).toBeNull();
    });

    it('counts each token once when several revokes of the same tokens run at the same time', async () => {
      const { tenant, tokens } = await setUp(30);
      const ids = tokens.map((t) => t.id);
      // Overlapping batches, all started together: every token is in at least two of them.
      const batches = [
        ids,
        ids.slice(0, 20),
        ids.slice(10),
        [...ids].reverse(),
        ids.filter((_, i) => i % 2 === 0),
      ];
      const results = await Promise.all(batches.map((batch) => store().tokens.revoke(tenant, batch, START)));
      const revoked = results.flat().map((r) => r.id);
      expect(revoked).toHaveLength(ids.length);
      expect(new Set(revoked)).toEqual(new Set(ids));
      for (const id of ids) expect(await revokedAt(tenant, id)).toBe(START);
    });
  });

  describe('revokeAllOfUser', () => {
    it('revokes every unrevoked token of the user, and only those', async () => {
      const { tenant, user, tokens } = await setUp(3);
      const [a, b, c] = tokens;
      await store().tokens.revoke(tenant, [a!.id], START - HOUR);
      await store().tokens.revoke(tenant, [b!.id], START + HOUR);
      const other = await store().users.insert(userFields(tenant, 'bystander'));
      const theirs = await addToken(store(), tenant, other.id);

      const result = await store().tokens.revokeAllOfUser(tenant, user.id, START);
      expect(new Set(result)).toEqual(
        new Set([
          { id: b!.id, hash: b!.hash },
          { id: c!.id, hash: c!.hash },
        ]),
      );
      expect(result).toHaveLength(2);
      expect(await revokedAt(tenant, a!.id)).toBe(START - HOUR);
      expect(await revokedAt(tenant, b!.id)).toBe(START);
      expect(await revokedAt(tenant, theirs.id)).toBeNull();
      expect(await store().tokens.revokeAllOfUser(tenant, user.id, START)).toEqual([]);
    });
  });

  describe('addUsage', () => {
    const usage = async (tenant: string, id: string) => {
      const t = await store().tokens.get(tenant, id);
      return { useCount: t?.useCount, lastUsedAt: t?.lastUsedAt, lastUsedIp: t?.lastUsedIp };
    };

    it('adds counts across batches', async () => {
      const { tenant, tokens } = await setUp(2);
      const [a, b] = tokens;
      await store().tokens.addUsage([
        { tokenId: a!.id, count: 3, lastUsedAt: START, lastUsedIp: '10.0.0.1' },
        { tokenId: b!.id, count: 1, lastUsedAt: START, lastUsedIp: '10.0.0.9' },
      ]);
      await store().tokens.addUsage([
        { tokenId: a!.id, count: 4, lastUsedAt: START + 1, lastUsedIp: '10.0.0.1' },
      ]);
      expect(await usage(tenant, a!.id)).toEqual({
        useCount: 7,
        lastUsedAt: START + 1,
        lastUsedIp: '10.0.0.1',
      });
      expect(await usage(tenant, b!.id)).toEqual({ useCount: 1, lastUsedAt: START, lastUsedIp: '10.0.0.9' });
    });

    it('moves last-used time only forward, with the IP of the newest use', async () => {
      const { tenant, tokens } = await setUp(1);
      const id = tokens[0]!.id;
      await store().tokens.addUsage([
        { tokenId: id, count: 1, lastUsedAt: START + 10, lastUsedIp: '192.0.2.1' },
      ]);
      // A batch from a slower node arrives late with an older use.
      await store().tokens.addUsage([
        { tokenId: id, count: 2, lastUsedAt: START + 5, lastUsedIp: '192.0.2.2' },
      ]);
      expect(await usage(tenant, id)).toEqual({
        useCount: 3,
        lastUsedAt: START + 10,
        lastUsedIp: '192.0.2.1',
      });
      await store().tokens.addUsage([
        { tokenId: id, count: 1, lastUsedAt: START + 20, lastUsedIp: '2001:db8::1' },
      ]);
      expect(await usage(tenant, id)).toEqual({
        useCount: 4,
        lastUsedAt: START + 20,
        lastUsedIp: '2001:db8::1',
      });
    });

    it('loses no count when batches from several nodes land at the same time', async () => {
      const { tenant, tokens } = await setUp(1);
      const id = tokens[0]!.id;
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          store().tokens.addUsage([
            { tokenId: id, count: i + 1, lastUsedAt: START + i, lastUsedIp: `10.0.0.${i}` },
          ]),
        ),
      );
      expect(await usage(tenant, id)).toEqual({
        useCount: 36,
        lastUsedAt: START + 7,
        lastUsedIp: '10.0.0.7',
      });
    });

    it('ignores usage of a token that no longer exists', async () => {
      await expect(
        store().tokens.addUsage([{ tokenId: 'gone', count: 1, lastUsedAt: START, lastUsedIp: null }]),
      ).resolves.toBeUndefined();
    });
  });
});
