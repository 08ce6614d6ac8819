import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { InvalidResult, ValidResult, VerifyRequest } from './result.ts';

/** A cached answer: positive or negative, never an error. */
export type CachedAnswer = Omit<ValidResult, 'cached'> | Omit<InvalidResult, 'cached'>;

/**
 * The cache key: a SHA-256 of the token and every field of the request that Tessera checks, so the raw
 * token is never a key in memory and a yes for one permission is not a yes for another.
 */
export function cacheKey(token: string, request: VerifyRequest): string {
  const fields = [
    token,
    request.permission ?? '',
    request.resource ?? '',
    request.tenantId ?? '',
    request.departmentId ?? '',
    request.userTypeId ?? '',
  ];
  return hash('sha256', JSON.stringify(fields), 'base64url');
}

/** A bounded LRU of answers with a TTL each, read against the given clock. */
export function answerCache(maxEntries: number, now: () => number): LRUCache<string, CachedAnswer> {
  return new LRUCache<string, CachedAnswer>({ max: maxEntries, perf: { now }, ttlResolution: 0 });
}
