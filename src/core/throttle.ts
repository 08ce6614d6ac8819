import type { LRUCache } from 'lru-cache';
import type { Clock } from './clock.ts';
import { growingCache } from './growing-cache.ts';

/**
 * Slows password guessing: after `maxFailures` failed sign-ins for one key (username and IP) within
 * `windowMs`, further attempts are refused until the window has passed. Kept in memory per node.
 */
export class LoginThrottle {
  private readonly failures: LRUCache<string, { count: number; since: number }>;

  constructor(
    private readonly clock: Clock,
    private readonly maxFailures = 5,
    private readonly windowMs = 5 * 60_000,
  ) {
    this.failures = growingCache(50_000);
  }

  /** Seconds to wait before another attempt, or 0 when one is allowed. */
  retryAfter(key: string): number {
    const entry = this.failures.get(key);
    if (!entry || entry.count < this.maxFailures) return 0;
    const left = entry.since + this.windowMs - this.clock.now();
    if (left <= 0) {
      this.failures.delete(key);
      return 0;
    }
    return Math.ceil(left / 1000);
  }

  fail(key: string): void {
    const now = this.clock.now();
    const entry = this.failures.get(key);
    if (!entry || entry.since + this.windowMs <= now) this.failures.set(key, { count: 1, since: now });
    else entry.count++;
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}
