import { availableParallelism } from 'node:os';
import ipaddr from 'ipaddr.js';
import type { LRUCache } from 'lru-cache';
import { type Clock, DAY, MINUTE } from './clock.ts';
import { TesseraError } from './errors.ts';
import { growingCache } from './growing-cache.ts';

/**
 * Slows guessing: after `maxFailures` failed attempts for one key within `windowMs` (counted from the first),
 * further attempts are refused until the window has passed. Kept in memory per node.
 */
export class LoginThrottle {
  private readonly failures: LRUCache<string, { count: number; since: number }>;

  constructor(
    private readonly clock: Clock,
    private readonly maxFailures = SIGN_IN_LIMITS.pair,
    private readonly windowMs = SIGN_IN_LIMITS.windowMs,
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

  /** Takes back one failure counted ahead of time, for an attempt that turned out not to be one. */
  forgive(key: string): void {
    const entry = this.failures.get(key);
    if (entry && entry.count > 0) entry.count--;
  }
}

/** How many failed password checks the sign-in lock-out allows, within one window, per node. */
export interface SignInLimits {
  /** Failures for one username from one address. */
  pair: number;
  /** Failures for one username from all addresses together. */
  user: number;
  /** Failures from one address (an IPv6 /64) for all usernames together. */
  address: number;
  windowMs: number;
  /** How long a successful sign-in keeps its address known for that username. */
  knownForMs: number;
}

export const SIGN_IN_LIMITS: SignInLimits = {
  pair: 5,
  user: 10,
  address: 30,
  windowMs: 5 * MINUTE,
  knownForMs: 30 * DAY,
};

/** One password check: whose, from where. */
export interface SignInAttempt {
  tenantId: string;
  /** Normalised (trimmed, lower case). */
  username: string;
  ip: string | null;
}

/**
 * The sign-in lock-out, with three counters of failed password checks:
 * - per username and address: after `pair` failures that pair is refused until its window has passed;
 * - per username across addresses (a password sprayed from many addresses): after `user` failures the
 *   username is refused from every address that is not known for it;
 * - per address across usernames (one address trying many usernames): after `address` failures the address
 *   is refused for every username it is not known for.
 * An address is known for a username once a correct password for it came from there (within `knownForMs`).
 * So a flood of wrong guesses from elsewhere cannot lock a user out of the addresses they sign in from, and
 * a known address still has its own per-pair limit. IPv6 addresses count per /64, what one host is given.
 */
export class SignInGuard {
  private readonly pairs: LoginThrottle;
  private readonly users: LoginThrottle;
  private readonly addresses: LoginThrottle;
  /** `pairKey` → when a correct password last came from that address. */
  private readonly known: LRUCache<string, number>;

  constructor(
    private readonly clock: Clock,
    private readonly limits: SignInLimits = SIGN_IN_LIMITS,
  ) {
    this.pairs = new LoginThrottle(clock, limits.pair, limits.windowMs);
    this.users = new LoginThrottle(clock, limits.user, limits.windowMs);
    this.addresses = new LoginThrottle(clock, limits.address, limits.windowMs);
    this.known = growingCache(100_000);
  }

  /** Whether a correct password for this username has come from this address lately. */
  isKnown(attempt: SignInAttempt): boolean {
    const key = keys(attempt).pair;
    const at = this.known.get(key);
    if (at === undefined) return false;
    if (at + this.limits.knownForMs > this.clock.now()) return true;
    this.known.delete(key);
    return false;
  }

  /** Seconds to wait before this attempt may be made, or 0 when it may be made now. */
  retryAfter(attempt: SignInAttempt): number {
    const { pair, user, address } = keys(attempt);
    const own = this.pairs.retryAfter(pair);
    if (own > 0 || this.isKnown(attempt)) return own;
    return Math.max(this.users.retryAfter(user), this.addresses.retryAfter(address));
  }

  /** Counts a failure; callers count each attempt before checking it, and forgive it when it was right. */
  fail(attempt: SignInAttempt): void {
    const { pair, user, address } = keys(attempt);
    this.pairs.fail(pair);
    this.users.fail(user);
    this.addresses.fail(address);
  }

  /** Takes back a failure counted for an attempt that was never checked (refused by the gate, store down). */
  forgive(attempt: SignInAttempt): void {
    const { pair, user, address } = keys(attempt);
    this.pairs.forgive(pair);
    this.users.forgive(user);
    this.addresses.forgive(address);
  }

  /**
   * A correct password (counted ahead as a failure): clears the pair's failures and makes the address
   * known for the username. The username's and the address's other failures stay: a correct password from
   * one address says nothing about guesses made from others, nor about guesses at other usernames.
   */
  succeed(attempt: SignInAttempt): void {
    const { pair, user, address } = keys(attempt);
    this.pairs.succeed(pair);
    this.users.forgive(user);
    this.addresses.forgive(address);
    this.known.set(pair, this.clock.now());
  }
}

function keys(attempt: SignInAttempt) {
  const address = addressKey(attempt.ip);
  const user = `${attempt.tenantId}\n${attempt.username}`;
  return { pair: `${user}\n${address}`, user, address };
}

/** The address as counted: IPv4 (also when IPv4-mapped), or an IPv6 address's /64 network. */
export function addressKey(ip: string | null): string {
  if (ip === null) return '';
  if (!ipaddr.isValid(ip)) return ip;
  const parsed = ipaddr.process(ip);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
}

/**
 * Bounds the password hashing a node does at once: argon2id takes 19 MiB and tens of milliseconds per check,
 * and the sign-in endpoints are open to anyone. At most `concurrency` checks run; up to `queue` more wait
 * (checks from addresses known for their username wait ahead of the others, with room for as many again);
 * beyond that a check is refused at once with TOO_MANY_ATTEMPTS and `Retry-After: 1`.
 */
export class PasswordGate {
  private running = 0;
  private readonly waiting: { go: () => void; known: boolean }[] = [];

  constructor(
    // Half the CPUs (1 to 4): the other half stays free for token verification, whatever the flood.
    readonly concurrency = Math.max(1, Math.min(4, Math.floor(availableParallelism() / 2))),
    readonly queue = 16 * concurrency,
  ) {}

  /** Runs `check` when a slot is free, or refuses when too many are waiting. */
  async run<T>(check: () => Promise<T>, known = false): Promise<T> {
    if (this.running < this.concurrency) this.running++;
    else await this.wait(known);
    try {
      return await check();
    } finally {
      // The slot passes straight to the next waiter, so `running` stays counted for it.
      const next = this.waiting.shift();
      if (next) next.go();
      else this.running--;
    }
  }

  /** Checks running and waiting right now (for tests and metrics). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  private wait(known: boolean): Promise<void> {
    const ahead = this.waiting.filter((w) => w.known).length;
    if (this.waiting.length >= (known ? 2 * this.queue : this.queue)) {
      throw new TesseraError(
        'TOO_MANY_ATTEMPTS',
        'Too many sign-ins are being checked at once; try again in a second.',
        { retryAfterSeconds: 1 },
      );
    }
    return new Promise((go) => {
      const entry = { go, known };
      // Known addresses queue behind other known ones, ahead of the rest.
      if (known) this.waiting.splice(ahead, 0, entry);
      else this.waiting.push(entry);
    });
  }
}
