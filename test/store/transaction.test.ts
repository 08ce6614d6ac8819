import { describe, expect, it } from 'vitest';
import { DIALECTS, START } from '../support/harness.ts';
import { addToken, newTenant, tokenFields, userFields, useStore } from './fixtures.ts';

describe.each(DIALECTS)('store transactions on %s', (dialect) => {
  const store = useStore(dialect);

  it('keeps every write of a transaction that completes', async () => {
    const tenant = newTenant();
    const userId = await store().transaction(async (tx) => {
      const user = await tx.users.insert(userFields(tenant, 'kept'));
      await tx.tokens.insert(tokenFields(tenant, user.id, { name: 'kept-token' }));
      await tx.settings.set(tenant, { 'a.days': 9 }, START);
      return user.id;
    });
    expect(await store().users.get(tenant, userId)).toBeDefined();
    expect(
      (await store().tokens.list(tenant, { now: START, sort: 'name', order: 'asc', limit: 10 })).items,
    ).toHaveLength(1);
    expect(await store().settings.all(tenant)).toEqual({ 'a.days': 9 });
  });

  it('rolls back every write when the callback throws', async () => {
    const tenant = newTenant();
    const existing = await store().users.insert(userFields(tenant, 'existing'));
    const token = await addToken(store(), tenant, existing.id);
    const failure = new Error('boom after writing');

    await expect(
      store().transaction(async (tx) => {
        await tx.users.insert(userFields(tenant, 'phantom'));
        await tx.users.update(tenant, existing.id, { fullName: 'Changed' });
        await tx.tokens.insert(tokenFields(tenant, existing.id, { name: 'phantom-token' }));
        await tx.tokens.revoke(tenant, [token.id], START);
        await tx.settings.set(tenant, { 'a.days': 1 }, START);
        await tx.audit.insert({
          tenantId: tenant,
          at: START,
          actorUserId: null,
          actorTokenId: null,
          action: 'phantom',
          targetType: null,
          targetId: null,
          ip: null,
          details: null,
        });
        throw failure;
      }),
    ).rejects.toBe(failure);

    expect(await store().users.findByUsername(tenant, 'phantom')).toBeUndefined();
    expect((await store().users.get(tenant, existing.id))?.fullName).toBeNull();
    const tokens = await store().tokens.list(tenant, { now: START, sort: 'name', order: 'asc', limit: 10 });
    expect(tokens.items.map((t) => [t.id, t.revokedAt])).toEqual([[token.id, null]]);
    expect(await store().settings.all(tenant)).toEqual({});
    expect((await store().audit.list(tenant, { limit: 10 })).items).toEqual([]);
  });

  it('rolls back a database error part-way through, keeping the writes before it out too', async () => {
    const tenant = newTenant();
    await store().users.insert(userFields(tenant, 'taken'));
    await expect(
      store().transaction(async (tx) => {
        await tx.users.insert(userFields(tenant, 'first-write'));
        await tx.users.insert(userFields(tenant, 'taken'));
      }),
    ).rejects.toThrow();
    expect(await store().users.findByUsername(tenant, 'first-write')).toBeUndefined();
  });

  it('joins an outer transaction when nested, so an outer failure undoes the inner writes', async () => {
    const tenant = newTenant();
    await expect(
      store().transaction(async (outer) => {
        await outer.transaction(async (inner) => {
          await inner.users.insert(userFields(tenant, 'inner'));
        });
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    expect(await store().users.findByUsername(tenant, 'inner')).toBeUndefined();
  });
});
