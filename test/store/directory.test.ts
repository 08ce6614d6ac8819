import { describe, expect, it } from 'vitest';
import type { DirectoryKind } from '../../src/core/model.ts';
import { DIALECTS, START } from '../support/harness.ts';
import { addToken, newTenant, userFields, useStore } from './fixtures.ts';

const KINDS: { kind: DirectoryKind; field: 'departmentId' | 'userTypeId' }[] = [
  { kind: 'departments', field: 'departmentId' },
  { kind: 'user_types', field: 'userTypeId' },
];

describe.each(DIALECTS)('store directory on %s', (dialect) => {
  const store = useStore(dialect);

  describe.each(KINDS)('$kind', ({ kind, field }) => {
    const repo = () => store().directory(kind);

    it('inserts, gets and lists entries sorted by name', async () => {
      const tenant = newTenant();
      const sales = await repo().insert({
        tenantId: tenant,
        name: 'Sales',
        description: 'sells',
        createdAt: START,
      });
      const admin = await repo().insert({
        tenantId: tenant,
        name: 'Admin',
        description: null,
        createdAt: START,
      });
      expect(sales).toEqual({
        id: expect.any(Number),
        tenantId: tenant,
        name: 'Sales',
        description: 'sells',
        createdAt: START,
      });
      expect(await repo().get(tenant, sales.id)).toEqual(sales);
      expect(await repo().get(tenant, sales.id + admin.id + 1000)).toBeUndefined();
      expect((await repo().list(tenant)).map((e) => e.name)).toEqual(['Admin', 'Sales']);
    });

    it('refuses a duplicate name in one tenant but allows it in another', async () => {
      const tenant = newTenant();
      await repo().insert({ tenantId: tenant, name: 'Ops', description: null, createdAt: START });
      await expect(
        repo().insert({ tenantId: tenant, name: 'Ops', description: null, createdAt: START }),
      ).rejects.toThrow();
      await expect(
        repo().insert({ tenantId: newTenant(), name: 'Ops', description: null, createdAt: START }),
      ).resolves.toMatchObject({ name: 'Ops' });
      expect(await repo().list(tenant)).toHaveLength(1);
    });

    it('updates the name and description', async () => {
      const tenant = newTenant();
      const entry = await repo().insert({
        tenantId: tenant,
        name: 'Old',
        description: 'old',
        createdAt: START,
      });
      expect(await repo().update(tenant, entry.id, { name: 'New' })).toEqual({ ...entry, name: 'New' });
      expect(await repo().update(tenant, entry.id, { description: null })).toEqual({
        ...entry,
        name: 'New',
        description: null,
      });
      expect(await repo().get(tenant, entry.id)).toMatchObject({ name: 'New', description: null });
      expect(await repo().update(tenant, entry.id + 1000, { name: 'Ghost' })).toBeUndefined();
    });

    it('deletes an entry once', async () => {
      const tenant = newTenant();
      const entry = await repo().insert({
        tenantId: tenant,
        name: 'Gone',
        description: null,
        createdAt: START,
      });
      expect(await repo().delete(tenant, entry.id)).toBe(true);
      expect(await repo().get(tenant, entry.id)).toBeUndefined();
      expect(await repo().delete(tenant, entry.id)).toBe(false);
    });

    it('is in use while a user points at it', async () => {
      const tenant = newTenant();
      const entry = await repo().insert({
        tenantId: tenant,
        name: 'Team',
        description: null,
        createdAt: START,
      });
      expect(await repo().inUse(tenant, entry.id)).toBe(false);
      const user = await store().users.insert(userFields(tenant, 'member', { [field]: entry.id }));
      expect(await repo().inUse(tenant, entry.id)).toBe(true);
      await store().users.update(tenant, user.id, { [field]: null });
      expect(await repo().inUse(tenant, entry.id)).toBe(false);
    });

    it('is in use while an unrevoked token points at it, and free once the token is revoked', async () => {
      const tenant = newTenant();
      const entry = await repo().insert({
        tenantId: tenant,
        name: 'Team',
        description: null,
        createdAt: START,
      });
      const user = await store().users.insert(userFields(tenant, 'owner'));
      const token = await addToken(store(), tenant, user.id, { [field]: entry.id });
      expect(await repo().inUse(tenant, entry.id)).toBe(true);
      await store().tokens.revoke(tenant, [token.id], START);
      expect(await repo().inUse(tenant, entry.id)).toBe(false);
    });

    it('is free at a time when the only token pointing at it has expired', async () => {
      const tenant = newTenant();
      const entry = await repo().insert({
        tenantId: tenant,
        name: 'Team',
        description: null,
        createdAt: START,
      });
      const user = await store().users.insert(userFields(tenant, 'owner'));
      await addToken(store(), tenant, user.id, { [field]: entry.id, expiresAt: START + 1000 });
      expect(await repo().inUse(tenant, entry.id, START)).toBe(true);
      expect(await repo().inUse(tenant, entry.id, START + 1000)).toBe(false);
    });

    it('counts only references from its own tenant', async () => {
      const tenant = newTenant();
      const other = newTenant();
      const entry = await repo().insert({
        tenantId: tenant,
        name: 'Team',
        description: null,
        createdAt: START,
      });
      const stranger = await store().users.insert(userFields(other, 'stranger', { [field]: entry.id }));
      await addToken(store(), other, stranger.id, { [field]: entry.id });
      expect(await repo().inUse(tenant, entry.id)).toBe(false);
    });
  });
});
