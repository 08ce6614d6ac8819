import { hash, randomBytes } from 'node:crypto';
import type { LRUCache } from 'lru-cache';
import type { CacheInvalidation } from './cache-invalidation.ts';
import type { Clock } from './clock.ts';
import { growingCache } from './growing-cache.ts';
import type { TokenForVerify, VerifiableToken } from './model.ts';
import {
  effectivePermissions,
  PermissionSet,
  type Role,
  resourceAllowed,
  roleDefaultPermissions,
} from './permissions.ts';
import type { Principal } from './principal.ts';
import { tokenHash } from './secrets.ts';
import type { Store } from './store.ts';
import { parseToken, type TokenKind } from './token-format.ts';
import type { UsageRecorder } from './usage.ts';

export const VERIFY_FAILURES = {
  TOKEN_MALFORMED: 'The string is not a Tessera token (wrong shape or checksum).',
  TOKEN_UNKNOWN: 'No such token exists.',
  TOKEN_EXPIRED: 'The token has expired.',
  TOKEN_REVOKED: 'The token was revoked.',
  USER_UNKNOWN: 'The user the token belongs to no longer exists.',
  TENANT_DENIED: 'The token belongs to another tenant.',
  PERMISSION_DENIED: 'The token does not carry the permission asked for.',
  RESOURCE_DENIED: 'The token is not bound to the resource asked for.',
  DEPARTMENT_DENIED: 'The token is bound to another department.',
  USER_TYPE_DENIED: 'The token is bound to another user type.',
} as const;

export type VerifyFailure = keyof typeof VERIFY_FAILURES;

export interface VerifyRequest {
  permission?: string;
  resource?: string;
  tenantId?: string;
  departmentId?: number;
  userTypeId?: number;
}

export interface VerifiedToken {
  valid: true;
  tokenId: string;
  kind: TokenKind;
  userId: number;
  tenantId: string;
  role: Role;
  permissions: string[];
  resources: string[];
  departmentId: number | null;
  userTypeId: number | null;
  expiresAt: number;
}

export type VerifyResult = VerifiedToken | { valid: false; code: VerifyFailure };

/**
 * A cached lookup: the token with its effective permissions worked out (and, for a live user, the answer a
 * valid check returns, built once), or the fact that no token has this hash. `hash` is the store's keyed hash.
 */
type Entry =
  | { found: false; hash: string }
  | {
      found: true;
      hash: string;
      token: VerifiableToken;
      permissions: PermissionSet;
      /** Null when the token's user no longer exists. */
      verified: VerifiedToken | null;
    };

export interface VerifierOptions {
  cacheTtlMs: number;
  cacheMaxEntries: number;
  /** How other nodes hear of this node's forgets and it of theirs (PostgreSQL NOTIFY); none on one node. */
  invalidation?: CacheInvalidation;
}

/** Checks a JWT access token's signature and claims from an in-memory key set; null when they hold. */
export interface JwtChecker {
  /** A cheap shape test, run only on strings that are not Tessera tokens. */
  looksLikeJwt(presented: string): boolean;
  check(jwt: string): Promise<'TOKEN_MALFORMED' | 'TOKEN_EXPIRED' | null>;
}

/**
 * The verification hot path: checksum, keyed hash, bounded cache, store on a miss, then checks that start
 * from "denied". Usage goes to the {@link UsageRecorder}; nothing is written to the store here.
 */
export class Verifier {
  /**
   * Keyed by a salted SHA-256 of the presented string (the salt is random per process), never by the token:
   * a one-shot hash costs a fifth of the store's HMAC, which is worked out only on a miss.
   */
  private readonly cache: LRUCache<string, Entry>;
  private readonly salt = randomBytes(32).toString('base64');
  /** The cache key of each cached store hash, so a revocation (which knows store hashes) finds its entry. */
  private readonly keys = new Map<string, string>();
  /** Bumped by every forget, so a store read that raced a revocation is not cached. */
  private generation = 0;
  private readonly caching: boolean;
  private readonly invalidation: CacheInvalidation | undefined;
  readonly stats = { hits: 0, misses: 0 };

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly pepper: Buffer,
    private readonly usage: UsageRecorder,
    options: VerifierOptions,
    private readonly jwt?: JwtChecker,
  ) {
    this.cache = growingCache(options.cacheMaxEntries, {
      ttl: options.cacheTtlMs,
      ttlAutopurge: false,
      // Evicted, expired, replaced or forgotten: the store hash no longer leads here.
      dispose: (entry, key) => {
        if (this.keys.get(entry.hash) === key) this.keys.delete(entry.hash);
      },
    });
    // lru-cache reads a ttl of 0 as "never expires"; a TTL of 0 here means "do not cache".
    this.caching = options.cacheTtlMs > 0;
    this.invalidation = options.invalidation;
    // Another node's change (or 'all' when some may have been missed): drop it here, never publish it again.
    this.invalidation?.subscribe((change) =>
      change === 'all' ? this.forgetAll(false) : this.forget(change, false),
    );
  }

  /** The kind of a presented token from its shape alone (a JWT is an access token), or null. */
  kindOf(presented: string): TokenKind | null {
    return parseToken(presented) ?? (this.jwt?.looksLikeJwt(presented) ? 'at' : null);
  }

  /** Checks a presented token; an invalid token is an ordinary result with a reason code. */
  async verify(
    presented: string,
    request: VerifyRequest = {},
    ip: string | null = null,
  ): Promise<VerifyResult> {
    const kind = parseToken(presented);
    if (kind === null) {
      const jwt = this.jwt;
      return jwt?.looksLikeJwt(presented)
        ? this.verifyJwt(jwt, presented, request, ip)
        : { valid: false, code: 'TOKEN_MALFORMED' };
    }
    return this.check(await this.lookup(presented), kind, request, ip);
  }

  /**
   * A JWT access token: signature and claims first, then the same row lookup and checks as an opaque token,
   * so revocation is honoured at once. The keyed hash covers the whole string, so a cached entry means
   * these very bytes passed the signature check before: a warm JWT costs what an opaque token costs.
   */
  private async verifyJwt(
    jwt: JwtChecker,
    presented: string,
    request: VerifyRequest,
    ip: string | null,
  ): Promise<VerifyResult> {
    const key = this.cacheKey(presented);
    if (!this.cache.has(key)) {
      const failure = await jwt.check(presented);
      if (failure !== null) return { valid: false, code: failure };
    }
    return this.check(await this.lookup(presented, key), 'at', request, ip);
  }

  /** The checks after the lookup, shared by both formats; they start from "denied". */
  private check(entry: Entry, kind: TokenKind, request: VerifyRequest, ip: string | null): VerifyResult {
    const now = this.clock.now();
    if (!entry.found || entry.token.kind !== kind) return { valid: false, code: 'TOKEN_UNKNOWN' };
    const { token } = entry;
    if (token.revokedAt !== null && token.revokedAt <= now) return { valid: false, code: 'TOKEN_REVOKED' };
    if (token.expiresAt <= now) return { valid: false, code: 'TOKEN_EXPIRED' };
    if (entry.verified === null) return { valid: false, code: 'USER_UNKNOWN' };
    if (request.tenantId !== undefined && request.tenantId !== token.tenantId)
      return { valid: false, code: 'TENANT_DENIED' };
    if (request.permission !== undefined && !entry.permissions.has(request.permission)) {
      return { valid: false, code: 'PERMISSION_DENIED' };
    }
    if (request.resource !== undefined && !resourceAllowed(token.resources, request.resource)) {
      return { valid: false, code: 'RESOURCE_DENIED' };
    }
    if (
      request.departmentId !== undefined &&
      token.departmentId !== null &&
      token.departmentId !== request.departmentId
    ) {
      return { valid: false, code: 'DEPARTMENT_DENIED' };
    }
    if (
      request.userTypeId !== undefined &&
      token.userTypeId !== null &&
      token.userTypeId !== request.userTypeId
    ) {
      return { valid: false, code: 'USER_TYPE_DENIED' };
    }
    this.usage.record(token.id, now, ip);
    return entry.verified;
  }

  /** Verifies a credential presented to the management API and returns who it speaks for. */
  async authenticate(presented: string, ip: string | null): Promise<Principal | VerifyFailure> {
    const result = await this.verify(presented, {}, ip);
    if (!result.valid) return result.code;
    return {
      tenantId: result.tenantId,
      userId: result.userId,
      role: result.role,
      permissions: new PermissionSet(result.permissions),
      tokenId: result.tokenId,
      kind: result.kind,
      resources: result.resources,
      expiresAt: result.expiresAt,
      ip,
    };
  }

  /**
   * Drops revoked tokens from the cache at once, so this node refuses them on the next request, and tells
   * the other nodes (`publish: false` for a change heard from them). Call it after the change committed.
   */
  forget(hashes: Iterable<string>, publish = true): void {
    this.generation++;
    const list = [...hashes];
    for (const hash of list) {
      const key = this.keys.get(hash);
      if (key !== undefined) this.cache.delete(key);
    }
    if (publish && list.length > 0) this.invalidation?.publish(list);
  }

  /** Drops everything: a user's role or permissions changed, and every token of theirs must be re-read. */
  forgetAll(publish = true): void {
    this.generation++;
    this.cache.clear();
    if (publish) this.invalidation?.publish('all');
  }

  get cacheSize(): number {
    return this.cache.size;
  }

  private cacheKey(presented: string): string {
    return hash('sha256', this.salt + presented, 'base64url');
  }

  private async lookup(presented: string, key = this.cacheKey(presented)): Promise<Entry> {
    const cached = this.cache.get(key);
    if (cached) {
      this.stats.hits++;
      return cached;
    }
    this.stats.misses++;
    const generation = this.generation;
    const storeHash = tokenHash(this.pepper, presented);
    const entry = toEntry(storeHash, await this.store.tokens.findVerifiable(storeHash));
    if (this.caching && generation === this.generation) {
      this.cache.set(key, entry);
      this.keys.set(storeHash, key);
    }
    return entry;
  }
}

/** A store read made into a cache entry: permissions intersected with the user's, the valid answer frozen. */
function toEntry(hash: string, found: TokenForVerify | undefined): Entry {
  if (!found) return { found: false, hash };
  const { token, user } = found;
  const permissionList = effectivePermissions(
    token.permissions,
    user ? (user.permissions ?? roleDefaultPermissions(user.role)) : [],
  );
  const verified: VerifiedToken | null = user
    ? Object.freeze({
        valid: true,
        tokenId: token.id,
        kind: token.kind,
        userId: token.userId,
        tenantId: token.tenantId,
        role: user.role,
        permissions: permissionList,
        resources: token.resources,
        departmentId: token.departmentId,
        userTypeId: token.userTypeId,
        expiresAt: token.expiresAt,
      })
    : null;
  return { found: true, hash, token, permissions: new PermissionSet(permissionList), verified };
}
