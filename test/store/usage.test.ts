import { describe, expect, it } from 'vitest';
import { UsageRecorder } from '../../src/core/usage.ts';
import { DIALECTS, START } from '../support/harness.ts';
import { addToken, newTenant, userFields, useStore } from './fixtures.ts';

describe.each(DIALECTS)('usage flushes on %s', (dialect) => {
  const store = useStore(dialect);

  async function tokens(n: number) {
    const tenant = newTenant();
    const user = await store().users.insert(userFields(tenant, 'counted'));
    const added = [];
    for (let i = 0; i < n; i++) added.push(await addToken(store(), tenant, user.id));
    return { tenant, ids: added.map((t) => t.id) };
  }

  it('writes a large batch a chunk at a time, exactly, and lets other work run in between', async () => {
    const { tenant, ids } = await tokens(5);
    const usage = new UsageRecorder(store(), 2);
    ids.forEach((id, i) => {
      for (let n = 0; n <= i; n++) usage.record(id, START + n, `10.0.0.${n}`);
    });
    let turns = 0;
    setImmediate(() => turns++);
    await usage.flush();
    // Three chunks: the event loop got a turn between them (SQLite writes synchronously otherwise).
    expect(turns).toBe(1);
    for (const [i, id] of ids.entries()) {
      expect(await store().tokens.get(tenant, id)).toMatchObject({
        useCount: i + 1,
        lastUsedAt: START + i,
        lastUsedIp: `10.0.0.${i}`,
      });
    }
    expect(usage.pendingTokens).toBe(0);
  });

  it('keeps the chunks the database refused for the next flush, and only those', async () => {
    const { tenant, ids } = await tokens(4);
    const [first, second, refused, last] = ids as [string, string, string, string];
    const usage = new UsageRecorder(store(), 2);
    usage.record(first, START, null);
    usage.record(second, START, null);
    // A count no database takes (use_count + NaN): the second chunk's write fails.
    usage.record(refused, START, null);
    (usage.peek(refused) as { count: number }).count = Number.NaN;
    usage.record(last, START, null);

    await expect(usage.flush()).rejects.toThrow();
    expect((await store().tokens.get(tenant, first))?.useCount).toBe(1);
    expect((await store().tokens.get(tenant, second))?.useCount).toBe(1);
    expect(usage.peek(first)).toBeUndefined();
    expect(usage.peek(last)?.count).toBe(1);
    expect((await store().tokens.get(tenant, last))?.useCount).toBe(0);
  });
});
