import { beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryEntry, NewToken, User } from '../../src/core/model.ts';
import type { Store } from '../../src/core/store.ts';
import { DIALECTS, START } from '../support/harness.ts';
import { addToken, newTenant, userFields, useStore } from './fixtures.ts';

interface TenantRows {
  id: string;
  user: User;
  department: DirectoryEntry;
  userType: DirectoryEntry;
  token: NewToken;
}

/** The same-looking rows in a tenant: a user, a department, a user type, a token, a setting, a permission, an event. */
async function seed(store: Store, id: string, marker: string): Promise<TenantRows> {
  const department = await store
    .directory('departments')
    .insert({ tenantId: id, name: 'Sales', description: marker, createdAt: START });
  const userType = await store
    .directory('user_types')
    .insert({ tenantId: id, name: 'Staff', description: marker, createdAt: START });
  const user = await store.users.insert(
    userFields(id, 'same-name', {
      role: 'admin',
      fullName: marker,
      departmentId: department.id,
      userTypeId: userType.id,
    }),
  );
  const token = await addToken(store, id, user.id, {
    name: 'shared name',
    description: marker,
    departmentId: department.id,
    userTypeId: userType.id,
    ciphertext: `sealed-${marker}`,
  });
  await store.settings.set(id, { 'a.days': marker }, START);
  await store.permissions.insert(id, { name: 'custom:run', label: marker, description: marker }, START);
  await store.audit.insert({
    tenantId: id,
    at: START,
    actorUserId: user.id,
    actorTokenId: null,
    action: 'seed',
    targetType: 'token',
    targetId: token.id,
    ip: null,
    details: { marker },
  });
  return { id, user, department, userType, token };
}

describe.each(DIALECTS)('tenant isolation in the store on %s', (dialect) => {
  const store = useStore(dialect);
  let a: TenantRows;
  let b: TenantRows;

  beforeAll(async () => {
    a = await seed(store(), newTenant(), 'A');
    b = await seed(store(), newTenant(), 'B');
  });

  it('never reads a user of another tenant', async () => {
    const s = store();
    expect(await s.users.get(a.id, b.user.id)).toBeUndefined();
    expect((await s.users.findByUsername(a.id, 'same-name'))?.id).toBe(a.user.id);
    const listed = await s.users.list(a.id, { text: 'same', limit: 10 });
    expect(listed.items.map((u) => u.id)).toEqual([a.user.id]);
    expect((await s.users.list(a.id, { departmentId: b.department.id, limit: 10 })).items).toEqual([]);
    expect(await s.users.countAdmins(a.id)).toBe(1);
  });

  it('never changes or deletes a user of another tenant', async () => {
    const s = store();
    expect(await s.users.update(a.id, b.user.id, { fullName: 'hijacked' })).toBeUndefined();
    expect(await s.users.delete(a.id, b.user.id)).toBe(false);
    expect((await s.users.get(b.id, b.user.id))?.fullName).toBe('B');
  });

  it('never reads, changes or deletes a directory entry of another tenant', async () => {
    const s = store();
    for (const [kind, entry] of [
      ['departments', b.department],
      ['user_types', b.userType],
    ] as const) {
      const repo = s.directory(kind);
      expect(await repo.get(a.id, entry.id)).toBeUndefined();
      expect((await repo.list(a.id)).map((e) => e.description)).toEqual(['A']);
      expect(await repo.update(a.id, entry.id, { name: 'hijacked' })).toBeUndefined();
      expect(await repo.inUse(a.id, entry.id)).toBe(false);
      expect(await repo.delete(a.id, entry.id)).toBe(false);
      expect((await repo.get(b.id, entry.id))?.name).not.toBe('hijacked');
    }
  });

  it('never reads a token of another tenant', async () => {
    const s = store();
    expect(await s.tokens.get(a.id, b.token.id)).toBeUndefined();
    expect(await s.tokens.ciphertext(a.id, b.token.id)).toBeUndefined();
    const listed = await s.tokens.list(a.id, { now: START, sort: 'name', order: 'asc', limit: 10 });
    expect(listed.items.map((t) => t.id)).toEqual([a.token.id]);
    for (const filter of [
      { userId: b.user.id },
      { departmentId: b.department.id },
      { userTypeId: b.userType.id },
      { text: 'B' },
    ]) {
      const filtered = await s.tokens.list(a.id, {
        now: START,
        sort: 'name',
        order: 'asc',
        limit: 10,
        ...filter,
      });
      expect(filtered.items.map((t) => t.tenantId)).not.toContain(b.id);
    }
  });

  it('never changes or revokes a token of another tenant', async () => {
    const s = store();
    expect(await s.tokens.update(a.id, b.token.id, { name: 'hijacked' })).toBeUndefined();
    expect(await s.tokens.revoke(a.id, [b.token.id], START)).toEqual([]);
    expect(await s.tokens.revokeAllOfUser(a.id, b.user.id, START)).toEqual([]);
    expect(await s.tokens.get(b.id, b.token.id)).toMatchObject({ name: 'shared name', revokedAt: null });
  });

  it('keeps settings, permissions and the audit log apart', async () => {
    const s = store();
    expect(await s.settings.all(a.id)).toEqual({ 'a.days': 'A' });
    expect((await s.permissions.list(a.id)).map((p) => p.label)).toEqual(['A']);
    const events = await s.audit.list(a.id, { limit: 10 });
    expect(events.items.map((e) => e.details)).toEqual([{ marker: 'A' }]);
    expect((await s.audit.list(a.id, { targetId: b.token.id, limit: 10 })).items).toEqual([]);
  });
});
