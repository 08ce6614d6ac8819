import { LRUCache } from 'lru-cache';

/**
 * An LRU cache of at most `max` entries that takes memory only as it fills. Given `max`, lru-cache reserves
 * its arrays for every entry up front (≈ 44 bytes an entry: 4.4 MB for the verification cache's default of
 * 100,000, before a token is read); bounded by a size of one per entry instead, it reserves nothing. Most of
 * these caches stay far from full, and every megabyte of live heap raises how far V8 lets the heap grow.
 */
export function growingCache<K extends {}, V extends {}>(
  max: number,
  options: Omit<LRUCache.Options<K, V, unknown>, 'max' | 'maxSize' | 'sizeCalculation'> = {},
): LRUCache<K, V> {
  // The options type wants `max`, `maxSize` or `ttlAutopurge` visibly; `maxSize` is there.
  const bounded = { ...options, maxSize: max, sizeCalculation: () => 1 };
  return new LRUCache<K, V>(bounded as LRUCache.Options<K, V, unknown>);
}
