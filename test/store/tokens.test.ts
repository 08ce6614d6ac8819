import { describe, expect, it } from 'vitest';
import { DIALECTS, START } from '../support/harness.ts';
import { addToken, newTenant, tokenFields, userFields, useStore } from './fixtures.ts';

describe.each(DIALECTS)('store tokens on %s', (dialect) => {
  const store = useStore(dialect);

  async function owner(tenant: string, overrides: Parameters<typeof userFields>[2] = {}) {
    return store().users.insert(
      userFields(tenant, `owner-${Math.random().toString(36).slice(2, 8)}`, overrides),
    );
  }

  it('stores a token and reads back every field, without the hash or ciphertext', async () => {
    const tenant = newTenant();
    const user = await owner(tenant);
    const token = await addToken(store(), tenant, user.id, {
      kind: 'pat',
      name: 'deploy',
      description: 'for CI',
      permissions: ['subscription:execute', 'reports:read'],
      resources: ['report:team:sales-dashboard'],
      createdBy: user.id,
      departmentId: 4,
      userTypeId: 5,
      createdAt: START,
      expiresAt: START + 1000,
      parentId: 'parent-id',
    });
    const { hash: _hash, ciphertext: _ciphertext, ...fields } = token;
    expect(await store().tokens.get(tenant, token.id)).toEqual({
      ...fields,
      lastUsedAt: null,
      lastUsedIp: null,
      useCount: 0,
      retrievable: false,
    });
  });

  it('refuses a second token with the same hash', async () => {
    const tenant = newTenant();
    const user = await owner(tenant);
    const first = await addToken(store(), tenant, user.id);
    await expect(store().tokens.insert(tokenFields(tenant, user.id, { hash: first.hash }))).rejects.toThrow();
  });

  it('finds a token by its hash together with its user’s role and permissions', async () => {
    const tenant = newTenant();
    const member = await owner(tenant, { role: 'member', permissions: ['reports:read'] });
    const admin = await owner(tenant, { role: 'admin', permissions: null });
    const a = await addToken(store(), tenant, member.id);
    const b = await addToken(store(), tenant, admin.id);

    const found = await store().tokens.findByHash(a.hash);
    expect(found?.token).toMatchObject({ id: a.id, tenantId: tenant, userId: member.id });
    expect(found?.user).toEqual({ role: 'member', permissions: ['reports:read'] });
    expect((await store().tokens.findByHash(b.hash))?.user).toEqual({ role: 'admin', permissions: null });
    expect(await store().tokens.findByHash('no-such-hash')).toBeUndefined();
  });

  it('reads exactly what a verification needs with findVerifiable, the same as findByHash for those fields', async () => {
    const tenant = newTenant();
    const member = await owner(tenant, { role: 'member', permissions: ['reports:read'] });
    const token = await addToken(store(), tenant, member.id, {
      permissions: ['reports:read'],
      resources: ['report:team:sales-dashboard'],
      departmentId: 4,
      userTypeId: 5,
      expiresAt: START + 1000,
      revokedAt: START + 500,
    });
    const full = await store().tokens.findByHash(token.hash);
    const narrow = await store().tokens.findVerifiable(token.hash);
    expect(narrow).toEqual({
      token: {
        id: token.id,
        tenantId: tenant,
        kind: token.kind,
        permissions: ['reports:read'],
        resources: ['report:team:sales-dashboard'],
        userId: member.id,
        departmentId: 4,
        userTypeId: 5,
        expiresAt: START + 1000,
        revokedAt: START + 500,
      },
      user: { role: 'member', permissions: ['reports:read'] },
    });
    expect(full).toMatchObject(narrow!);
    expect(await store().tokens.findVerifiable('no-such-hash')).toBeUndefined();
    await store().users.delete(tenant, member.id);
    expect((await store().tokens.findVerifiable(token.hash))?.user).toBeNull();
  });

  it('reflects the user’s current standing, not the one at creation', async () => {
    const tenant = newTenant();
    const user = await owner(tenant, { role: 'admin' });
    const token = await addToken(store(), tenant, user.id);
    await store().users.update(tenant, user.id, { role: 'member', permissions: ['reports:read'] });
    expect((await store().tokens.findByHash(token.hash))?.user).toEqual({
      role: 'member',
      permissions: ['reports:read'],
    });
  });

  it('finds a token whose user was deleted with a null user', async () => {
    const tenant = newTenant();
    const user = await owner(tenant);
    const token = await addToken(store(), tenant, user.id);
    await store().users.delete(tenant, user.id);
    const found = await store().tokens.findByHash(token.hash);
    expect(found?.token.id).toBe(token.id);
    expect(found?.user).toBeNull();
  });

  it('never pairs a token with a user of another tenant', async () => {
    const tenant = newTenant();
    // User ids are unique across tenants, so a token pointing at another tenant's user id must find no user.
    const stranger = await owner(newTenant(), { role: 'admin' });
    const orphan = await addToken(store(), tenant, stranger.id);
    expect((await store().tokens.findByHash(orphan.hash))?.user).toBeNull();
  });

  it('keeps the ciphertext of retrievable tokens only, and says so', async () => {
    const tenant = newTenant();
    const user = await owner(tenant);
    const sealed = await addToken(store(), tenant, user.id, { ciphertext: 'v1.key.sealed-bytes' });
    const plain = await addToken(store(), tenant, user.id);
    expect(await store().tokens.ciphertext(tenant, sealed.id)).toBe('v1.key.sealed-bytes');
    expect(await store().tokens.ciphertext(tenant, plain.id)).toBeNull();
    expect(await store().tokens.ciphertext(tenant, 'no-such-id')).toBeUndefined();
    expect((await store().tokens.get(tenant, sealed.id))?.retrievable).toBe(true);
    expect((await store().tokens.get(tenant, plain.id))?.retrievable).toBe(false);
    expect((await store().tokens.findByHash(sealed.hash))?.token.retrievable).toBe(true);
  });

  it('renames a token and changes its description, leaving the rest alone', async () => {
    const tenant = newTenant();
    const user = await owner(tenant);
    const token = await addToken(store(), tenant, user.id, { name: 'before', description: 'desc' });
    const before = await store().tokens.get(tenant, token.id);
    expect(await store().tokens.update(tenant, token.id, { name: 'after' })).toEqual({
      ...before,
      name: 'after',
    });
    expect(await store().tokens.update(tenant, token.id, { description: null })).toEqual({
      ...before,
      name: 'after',
      description: null,
    });
    expect(await store().tokens.update(tenant, token.id, {})).toEqual({
      ...before,
      name: 'after',
      description: null,
    });
    expect(await store().tokens.update(tenant, 'no-such-id', { name: 'x' })).toBeUndefined();
  });
});
