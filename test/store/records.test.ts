import { describe, expect, it } from 'vitest';
import type { NewAuditEvent } from '../../src/core/model.ts';
import type { Store } from '../../src/core/store.ts';
import { DIALECTS, START } from '../support/harness.ts';
import { newTenant, useStore } from './fixtures.ts';

function event(tenantId: string, overrides: Partial<NewAuditEvent> = {}): NewAuditEvent {
  return {
    tenantId,
    at: START,
    actorUserId: 1,
    actorTokenId: null,
    action: 'token.create',
    targetType: 'token',
    targetId: 'tok-1',
    ip: '127.0.0.1',
    details: null,
    ...overrides,
  };
}

async function allAuditPages(store: Store, tenant: string, limit: number) {
  const actions: string[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const page = await store.audit.list(tenant, { limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    actions.push(...page.items.map((e) => e.action));
    if (!page.nextCursor) return actions;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

describe.each(DIALECTS)('store records on %s', (dialect) => {
  const store = useStore(dialect);

  describe('tenants', () => {
    it('creates a missing tenant once and reports whether it did', async () => {
      const id = newTenant();
      expect(await store().tenants.exists(id)).toBe(false);
      expect(await store().tenants.ensure(id, 'Acme', START)).toBe(true);
      expect(await store().tenants.ensure(id, 'Acme again', START + 1)).toBe(false);
      expect(await store().tenants.exists(id)).toBe(true);
    });
  });

  describe('settings', () => {
    it('starts empty, then keeps what was set with its JSON type', async () => {
      const tenant = newTenant();
      expect(await store().settings.all(tenant)).toEqual({});
      await store().settings.set(tenant, { 'a.days': 60, 'feature.flag': true, 'a.name': 'x' }, START);
      expect(await store().settings.all(tenant)).toEqual({
        'a.days': 60,
        'feature.flag': true,
        'a.name': 'x',
      });
    });

    it('overwrites a key that is set again and leaves the others', async () => {
      const tenant = newTenant();
      await store().settings.set(tenant, { 'a.days': 60, 'b.hours': 24 }, START);
      await store().settings.set(tenant, { 'a.days': 7 }, START + 1);
      await store().settings.set(tenant, { 'a.days': 8, 'feature.flag': false }, START + 2);
      expect(await store().settings.all(tenant)).toEqual({
        'a.days': 8,
        'b.hours': 24,
        'feature.flag': false,
      });
    });
  });

  describe('permissions', () => {
    it('lists a tenant’s own permissions by name', async () => {
      const tenant = newTenant();
      expect(await store().permissions.list(tenant)).toEqual([]);
      await store().permissions.insert(
        tenant,
        { name: 'zeta:run', label: 'Run zeta', description: 'z' },
        START,
      );
      await store().permissions.insert(
        tenant,
        { name: 'alpha:read', label: 'Read alpha', description: 'a' },
        START,
      );
      expect(await store().permissions.list(tenant)).toEqual([
        { name: 'alpha:read', label: 'Read alpha', description: 'a', builtIn: false },
        { name: 'zeta:run', label: 'Run zeta', description: 'z', builtIn: false },
      ]);
    });

    it('refuses the same permission twice in a tenant', async () => {
      const tenant = newTenant();
      const info = { name: 'alpha:read', label: 'Read alpha', description: 'a' };
      await store().permissions.insert(tenant, info, START);
      await expect(store().permissions.insert(tenant, info, START)).rejects.toThrow();
      await expect(store().permissions.insert(newTenant(), info, START)).resolves.toBeUndefined();
    });
  });

  describe('audit', () => {
    it('keeps every field, details as an object', async () => {
      const tenant = newTenant();
      const input = event(tenant, {
        actorTokenId: 'cli',
        details: { from: 60, to: 7, nested: { list: ['a'] } },
        ip: '2001:db8::1',
      });
      await store().audit.insert(input);
      const { items } = await store().audit.list(tenant, { limit: 10 });
      expect(items).toEqual([{ ...input, id: expect.any(Number) }]);
    });

    it('lists newest first', async () => {
      const tenant = newTenant();
      for (const action of ['first', 'second', 'third'])
        await store().audit.insert(event(tenant, { action }));
      expect((await store().audit.list(tenant, { limit: 10 })).items.map((e) => e.action)).toEqual([
        'third',
        'second',
        'first',
      ]);
    });

    it('filters by action, actor, target and time window', async () => {
      const tenant = newTenant();
      await store().audit.insert(
        event(tenant, { action: 'auth.login', actorUserId: 1, targetId: '1', at: START }),
      );
      await store().audit.insert(
        event(tenant, { action: 'token.create', actorUserId: 2, targetId: 'x', at: START + 10 }),
      );
      await store().audit.insert(
        event(tenant, { action: 'token.revoke', actorUserId: 2, targetId: 'x', at: START + 20 }),
      );
      await store().audit.insert(
        event(tenant, { action: 'auth.login', actorUserId: null, targetId: null, at: START + 30 }),
      );
      const actions = async (q: Omit<Parameters<Store['audit']['list']>[1], 'limit'>) =>
        (await store().audit.list(tenant, { ...q, limit: 10 })).items.map(
          (e) => `${e.action}@${e.at - START}`,
        );

      expect(await actions({ action: 'auth.login' })).toEqual(['auth.login@30', 'auth.login@0']);
      expect(await actions({ actorUserId: 2 })).toEqual(['token.revoke@20', 'token.create@10']);
      expect(await actions({ targetId: 'x' })).toEqual(['token.revoke@20', 'token.create@10']);
      expect(await actions({ since: START + 10, until: START + 30 })).toEqual([
        'token.revoke@20',
        'token.create@10',
      ]);
      expect(await actions({ since: START + 30 })).toEqual(['auth.login@30']);
      expect(await actions({ action: 'token.create', actorUserId: 1 })).toEqual([]);
    });

    it('pages through the log, each event exactly once', async () => {
      const tenant = newTenant();
      const written = Array.from({ length: 7 }, (_, i) => `event-${i}`);
      for (const action of written) await store().audit.insert(event(tenant, { action }));
      expect(await allAuditPages(store(), tenant, 3)).toEqual([...written].reverse());
    });

    it('rejects a tampered cursor with INVALID_CURSOR', async () => {
      const tenant = newTenant();
      await store().audit.insert(event(tenant));
      const cursor = Buffer.from(JSON.stringify(['id', 'drop', 'drop'])).toString('base64url');
      await expect(store().audit.list(tenant, { limit: 1, cursor })).rejects.toMatchObject({
        code: 'INVALID_CURSOR',
      });
    });
  });
});
