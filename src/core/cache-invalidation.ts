/**
 * What changed in the token cache: these keyed hashes, or everything (a user's role changed, too many
 * hashes for one message, or this node may have missed messages and must re-read all it cached).
 */
export type CacheChange = readonly string[] | 'all';

/**
 * How nodes tell each other that cached tokens changed, so a revocation on one node is refused on every
 * other at once rather than after the cache TTL. On PostgreSQL it is LISTEN/NOTIFY
 * (`src/store/pg-invalidation.ts`); on one node (SQLite) there is no one to tell.
 *
 * Changes heard from other nodes are handed to subscribers and never published again. An implementation
 * also hands subscribers `'all'` whenever it may have missed changes (its connection was lost, and again
 * when it is back), so a node never trusts a cached answer for longer than it is sure to hear about it.
 */
export interface CacheInvalidation {
  /** Tells the other nodes about a change that has been committed; never throws, never waits. */
  publish(change: CacheChange): void;
  /** Calls `listener` with each change made on another node (and with `'all'` when some may be lost). */
  subscribe(listener: (change: CacheChange) => void): void;
  /**
   * `listening`: other nodes' changes arrive; `reconnecting`: they may not (caches are being dropped);
   * `publishing`: this process caches nothing, so it only tells the others.
   */
  readonly state: 'listening' | 'reconnecting' | 'publishing';
  /** Sends what is still queued (best effort) and stops listening. */
  close(): Promise<void>;
}
