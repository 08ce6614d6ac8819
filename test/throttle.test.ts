import { describe, expect, it } from 'vitest';
import { addressKey, PasswordGate } from '../src/core/throttle.ts';

/** A check that finishes when the test says so. */
function deferred() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return { done, finish };
}

describe('PasswordGate: the bound on password checks a node runs at once', () => {
  it('runs up to `concurrency` checks, queues up to `queue`, and refuses the rest at once with Retry-After 1', async () => {
    const gate = new PasswordGate(1, 1);
    const first = deferred();
    const order: string[] = [];
    const running = gate.run(async () => {
      order.push('first');
      await first.done;
    });
    const queued = gate.run(async () => {
      order.push('queued');
    });
    expect(gate.load).toEqual({ running: 1, waiting: 1 });
    await expect(gate.run(async () => order.push('refused'))).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
      retryAfterSeconds: 1,
    });
    first.finish();
    await Promise.all([running, queued]);
    expect(order).toEqual(['first', 'queued']);
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  it('queues checks from known addresses ahead of the others, with room beyond the anonymous queue', async () => {
    const gate = new PasswordGate(1, 1);
    const first = deferred();
    const order: string[] = [];
    const runs = [
      gate.run(() => first.done),
      gate.run(async () => order.push('anonymous')),
      gate.run(async () => order.push('known'), true),
    ];
    await expect(gate.run(async () => order.push('anonymous 2'))).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
    });
    first.finish();
    await Promise.all(runs);
    expect(order).toEqual(['known', 'anonymous']);
  });

  it('frees its slot when a check fails', async () => {
    const gate = new PasswordGate(1, 0);
    await expect(gate.run(() => Promise.reject(new Error('store down')))).rejects.toThrow('store down');
    await expect(gate.run(async () => 'ok')).resolves.toBe('ok');
  });
});

describe('addressKey: the address the lock-out counts', () => {
  it('keeps IPv4, unwraps IPv4-mapped IPv6, and counts IPv6 per /64', () => {
    expect(addressKey('203.0.113.5')).toBe('203.0.113.5');
    expect(addressKey('::ffff:203.0.113.5')).toBe('203.0.113.5');
    expect(addressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(addressKey(null)).toBe('');
  });
});
