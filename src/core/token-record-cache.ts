import type { LRUCache } from 'lru-cache';
import type { CacheInvalidation } from './cache-invalidation.ts';
import { growingCache } from './growing-cache.ts';
import type { TokenRecord } from './model.ts';

/**
 * Token records by keyed hash, kept for the cache TTL so a hot refresh token is not read from the store on
 * every grant. It is never the word on whether a token is still good: the verifier is (its cache is
 * cleared at once by this node's revocations, and by other nodes' through {@link CacheInvalidation}). On
 * other nodes a record lags by at most the TTL, which is harmless for what it is used for. A caller uses a cached record only for what does not change
 * (owner, client, family, bindings, expiry) and only once the verifier has accepted the token; the name,
 * which can be edited, lags by at most the TTL.
 */
export class TokenRecordCache {
  private readonly cache: LRUCache<string, TokenRecord>;
  /** Bumped by every forget, so a store read that raced a change is not cached. */
  private generation = 0;
  private readonly caching: boolean;

  constructor(ttlMs: number, maxEntries = 10_000) {
    // lru-cache reads a ttl of 0 as "never expires"; 0 here means "do not cache".
    this.cache = growingCache(maxEntries, { ttl: Math.max(ttlMs, 1) });
    this.caching = ttlMs > 0;
  }

  /** The cached record, or the one `read` finds (cached unless a forget ran meanwhile). */
  async get(hash: string, read: () => Promise<TokenRecord | undefined>): Promise<TokenRecord | undefined> {
    const cached = this.cache.get(hash);
    if (cached) return cached;
    const generation = this.generation;
    const record = await read();
    if (record && this.caching && generation === this.generation) this.cache.set(hash, record);
    return record;
  }

  /** Drops changed tokens. */
  forget(hashes: Iterable<string>): void {
    this.generation++;
    for (const hash of hashes) this.cache.delete(hash);
  }
}
