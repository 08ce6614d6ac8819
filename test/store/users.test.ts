import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/store.ts';
import { encodeCursor } from '../../src/store/kysely/cursor.ts';
import { DIALECTS, START } from '../support/harness.ts';
import { newTenant, userFields, useStore } from './fixtures.ts';

describe.each(DIALECTS)('store users on %s', (dialect) => {
  const store = useStore(dialect);

  async function allUsernames(s: Store, tenantId: string, query: Parameters<Store['users']['list']>[1]) {
    return (await s.users.list(tenantId, query)).items.map((u) => u.username);
  }

  it('inserts a user and returns it without the password hash', async () => {
    const tenant = newTenant();
    const user = await store().users.insert(
      userFields(tenant, 'ann', {
        fullName: 'Ann Lee',
        role: 'admin',
        permissions: ['reports:read', 'users:read'],
        preferredLanguage: 'de',
        passwordHash: 'argon2-hash',
      }),
    );
    expect(user).toEqual({
      id: expect.any(Number),
      tenantId: tenant,
      username: 'ann',
      email: 'ann@example.com',
      fullName: 'Ann Lee',
      role: 'admin',
      permissions: ['reports:read', 'users:read'],
      departmentId: null,
      userTypeId: null,
      preferredLanguage: 'de',
      sso: false,
      createdAt: START,
      updatedAt: START,
    });
    expect(user).not.toHaveProperty('passwordHash');
  });

  it('gets a user by id and by username, with the password hash for sign-in', async () => {
    const tenant = newTenant();
    const { id } = await store().users.insert(userFields(tenant, 'bob', { passwordHash: 'hash-of-bob' }));
    const byId = await store().users.get(tenant, id);
    expect(byId).toMatchObject({ id, username: 'bob', passwordHash: 'hash-of-bob', permissions: null });
    expect(await store().users.findByUsername(tenant, 'bob')).toEqual(byId);
    expect(await store().users.findByUsername(tenant, 'nobody')).toBeUndefined();
    expect(await store().users.get(tenant, id + 1000)).toBeUndefined();
  });

  it('refuses a second user with the same username in one tenant, but not in another', async () => {
    const tenant = newTenant();
    await store().users.insert(userFields(tenant, 'carl'));
    await expect(store().users.insert(userFields(tenant, 'carl'))).rejects.toThrow();
    await expect(store().users.insert(userFields(newTenant(), 'carl'))).resolves.toMatchObject({
      username: 'carl',
    });
    expect(await allUsernames(store(), tenant, { limit: 10 })).toEqual(['carl']);
  });

  it('lists users filtered by role, department and user type', async () => {
    const tenant = newTenant();
    const s = store();
    await s.users.insert(userFields(tenant, 'admin1', { role: 'admin', departmentId: 1 }));
    await s.users.insert(userFields(tenant, 'member1', { departmentId: 1, userTypeId: 7 }));
    await s.users.insert(userFields(tenant, 'member2', { departmentId: 2, userTypeId: 7 }));
    await s.users.insert(userFields(tenant, 'member3'));

    expect(await allUsernames(s, tenant, { limit: 10 })).toEqual(['admin1', 'member1', 'member2', 'member3']);
    expect(await allUsernames(s, tenant, { role: 'admin', limit: 10 })).toEqual(['admin1']);
    expect(await allUsernames(s, tenant, { role: 'member', limit: 10 })).toEqual([
      'member1',
      'member2',
      'member3',
    ]);
    expect(await allUsernames(s, tenant, { departmentId: 1, limit: 10 })).toEqual(['admin1', 'member1']);
    expect(await allUsernames(s, tenant, { userTypeId: 7, limit: 10 })).toEqual(['member1', 'member2']);
    expect(await allUsernames(s, tenant, { departmentId: 2, userTypeId: 7, limit: 10 })).toEqual(['member2']);
  });

  it('searches username, email and full name case-insensitively', async () => {
    const tenant = newTenant();
    const s = store();
    await s.users.insert(userFields(tenant, 'dora', { fullName: 'Dora Explorer', email: 'd@maps.example' }));
    await s.users.insert(userFields(tenant, 'eve', { fullName: null, email: 'EVE@Corp.example' }));
    await s.users.insert(userFields(tenant, 'frank', { fullName: 'Frank Null', email: null }));

    expect(await allUsernames(s, tenant, { text: 'EXPLOR', limit: 10 })).toEqual(['dora']);
    expect(await allUsernames(s, tenant, { text: 'corp', limit: 10 })).toEqual(['eve']);
    expect(await allUsernames(s, tenant, { text: 'RAN', limit: 10 })).toEqual(['frank']);
    expect(await allUsernames(s, tenant, { text: 'example', limit: 10 })).toEqual(['dora', 'eve']);
    expect(await allUsernames(s, tenant, { text: 'nothing-like-this', limit: 10 })).toEqual([]);
  });

  it('treats LIKE wildcards and the escape character in a search as plain text', async () => {
    const tenant = newTenant();
    const s = store();
    await s.users.insert(userFields(tenant, 'under_score', { email: null }));
    await s.users.insert(userFields(tenant, 'underxscore', { email: null }));
    await s.users.insert(userFields(tenant, 'percent', { fullName: '100% sure', email: null }));
    await s.users.insert(userFields(tenant, 'plain', { fullName: '1000 sure', email: null }));
    await s.users.insert(userFields(tenant, 'slash', { fullName: 'back\\slash', email: null }));

    expect(await allUsernames(s, tenant, { text: 'r_s', limit: 10 })).toEqual(['under_score']);
    expect(await allUsernames(s, tenant, { text: '0%', limit: 10 })).toEqual(['percent']);
    expect(await allUsernames(s, tenant, { text: '%', limit: 10 })).toEqual(['percent']);
    expect(await allUsernames(s, tenant, { text: '_', limit: 10 })).toEqual(['under_score']);
    expect(await allUsernames(s, tenant, { text: 'k\\s', limit: 10 })).toEqual(['slash']);
  });

  it('pages through users with a cursor, each user exactly once', async () => {
    const tenant = newTenant();
    const s = store();
    const names = ['u1', 'u2', 'u3', 'u4', 'u5'];
    for (const name of names) await s.users.insert(userFields(tenant, name));

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await s.users.list(tenant, { limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((u) => u.username));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual(names);
    expect(pages).toBe(3);
  });

  it('has no next page when the last page is exactly full', async () => {
    const tenant = newTenant();
    await store().users.insert(userFields(tenant, 'only1'));
    await store().users.insert(userFields(tenant, 'only2'));
    const page = await store().users.list(tenant, { limit: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).toBeNull();
  });

  it('rejects a tampered cursor with INVALID_CURSOR', async () => {
    const tenant = newTenant();
    await store().users.insert(userFields(tenant, 'x1'));
    for (const cursor of ['not-a-cursor', encodeCursor('id', 'abc', 'abc'), encodeCursor('name', 1, 1)]) {
      await expect(store().users.list(tenant, { limit: 2, cursor })).rejects.toMatchObject({
        code: 'INVALID_CURSOR',
      });
    }
  });

  it('updates the given fields only and returns the user without the password hash', async () => {
    const tenant = newTenant();
    const s = store();
    const user = await s.users.insert(
      userFields(tenant, 'gina', { permissions: ['reports:read'], passwordHash: 'old' }),
    );
    const updated = await s.users.update(tenant, user.id, {
      fullName: 'Gina Park',
      role: 'admin',
      departmentId: 3,
      permissions: null,
      passwordHash: 'new',
      updatedAt: START + 1000,
    });
    expect(updated).toEqual({
      ...user,
      fullName: 'Gina Park',
      role: 'admin',
      departmentId: 3,
      permissions: null,
      updatedAt: START + 1000,
    });
    expect(updated).not.toHaveProperty('passwordHash');
    expect(await s.users.get(tenant, user.id)).toMatchObject({
      passwordHash: 'new',
      email: 'gina@example.com',
    });

    await s.users.update(tenant, user.id, { permissions: ['users:read', 'users:write'] });
    expect((await s.users.get(tenant, user.id))?.permissions).toEqual(['users:read', 'users:write']);
    expect(await s.users.update(tenant, user.id + 1000, { fullName: 'ghost' })).toBeUndefined();
  });

  it('deletes a user once', async () => {
    const tenant = newTenant();
    const s = store();
    const user = await s.users.insert(userFields(tenant, 'hank'));
    const other = await s.users.insert(userFields(tenant, 'ivy'));
    expect(await s.users.delete(tenant, user.id)).toBe(true);
    expect(await s.users.get(tenant, user.id)).toBeUndefined();
    expect(await s.users.delete(tenant, user.id)).toBe(false);
    expect(await s.users.get(tenant, other.id)).toBeDefined();
  });

  it('counts the admins of a tenant', async () => {
    const tenant = newTenant();
    const s = store();
    expect(await s.users.countAdmins(tenant)).toBe(0);
    const a = await s.users.insert(userFields(tenant, 'root1', { role: 'admin' }));
    await s.users.insert(userFields(tenant, 'root2', { role: 'admin' }));
    await s.users.insert(userFields(tenant, 'someone'));
    await s.users.insert(userFields(newTenant(), 'elsewhere', { role: 'admin' }));
    expect(await s.users.countAdmins(tenant)).toBe(2);
    await s.users.update(tenant, a.id, { role: 'member' });
    expect(await s.users.countAdmins(tenant)).toBe(1);
  });
});
