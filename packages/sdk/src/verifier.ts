import { answerCache, type CachedAnswer, cacheKey } from './cache.ts';
import {
  type InvalidCode,
  type InvalidResult,
  LOCAL_MESSAGES,
  type TokenIdentity,
  type VerifyRequest,
  type VerifyResult,
} from './result.ts';
import type { TokenKind } from './token-shape.ts';
import { tokenShape } from './token-shape.ts';
import { postVerification, type TransportOptions } from './transport.ts';

/** How to reach Tessera and how long to trust its answers. */
export interface VerifierOptions {
  /** Tessera's base URL, e.g. `http://127.0.0.1:8080` (a path prefix is kept). */
  baseUrl: string;
  /**
   * How long an answer (positive or negative) is reused, in ms; default 10 000, 0 turns the cache off. A
   * token revoked in Tessera can still pass for this long in this process: keep it short.
   */
  cacheTtlMs?: number;
  /** How long a negative answer is reused, in ms; default `cacheTtlMs`. */
  negativeCacheTtlMs?: number;
  /** The most answers kept (least recently used go first); default 10 000. */
  maxEntries?: number;
  /** Time allowed for each attempt, in ms; default 2 000. */
  timeoutMs?: number;
  /** Further attempts after a network error, a timeout or a 5xx; default 2. */
  retries?: number;
  /** First backoff delay in ms, doubled at each retry, with jitter; default 50. */
  backoffMs?: number;
  /** The longest backoff delay in ms; default 1 000. */
  maxBackoffMs?: number;
  /** The clock the cache reads, in ms (tests move it); default `Date.now`. */
  now?: () => number;
  /** The fetch to use (e.g. with an undici dispatcher); default the global `fetch`. */
  fetch?: typeof fetch;
}

/** Counters for monitoring and tests. */
export interface VerifierStats {
  /** Answers served from the cache. */
  hits: number;
  /** Answers that needed Tessera (after the local checks). */
  misses: number;
  /** Tokens refused by the local checksum or kind check, with no request. */
  localRejections: number;
}

/** Checks tokens against one Tessera, with a cache in front. */
export interface Verifier {
  /**
   * Is this token good for this permission and resource? Never throws and never answers "valid" without
   * Tessera having said so: a timeout or an outage is `{status: 'error'}`.
   */
  verify(token: string, request?: VerifyRequest): Promise<VerifyResult>;
  /** Forgets every cached answer (e.g. after revoking a token from this process). */
  clear(): void;
  readonly stats: VerifierStats;
}

const DEFAULTS = {
  cacheTtlMs: 10_000,
  maxEntries: 10_000,
  timeoutMs: 2_000,
  retries: 2,
  backoffMs: 50,
  maxBackoffMs: 1_000,
};

function invalid(code: InvalidCode, message: string, cached = false): InvalidResult {
  return { status: 'invalid', valid: false, code, message, cached };
}

function identityOf(body: Record<string, unknown>): TokenIdentity {
  return {
    tokenId: String(body.tokenId),
    kind: body.kind as TokenKind,
    userId: Number(body.userId),
    tenantId: String(body.tenantId),
    permissions: Array.isArray(body.permissions) ? (body.permissions as string[]) : [],
    resources: Array.isArray(body.resources) ? (body.resources as string[]) : [],
    departmentId: typeof body.departmentId === 'number' ? body.departmentId : null,
    userTypeId: typeof body.userTypeId === 'number' ? body.userTypeId : null,
    expiresAt: String(body.expiresAt),
  };
}

function withKinds(result: VerifyResult, kinds: readonly TokenKind[] | undefined): VerifyResult {
  if (result.status !== 'valid' || kinds === undefined || kinds.includes(result.identity.kind)) return result;
  return invalid('KIND_DENIED', LOCAL_MESSAGES.KIND_DENIED, result.cached);
}

/** The kind a Tessera token names in its prefix (`tsr_shr_…` is `shr`); a JWT is an access token. */
function kindFromShape(token: string, shape: 'tessera' | 'jwt'): TokenKind {
  return shape === 'jwt' ? 'at' : (token.slice(4, token.indexOf('_', 4)) as TokenKind);
}

/**
 * Creates a verifier for one Tessera: checksum first (no request for a typo), then a bounded LRU of
 * positive and negative answers keyed by a hash of token and request, then `POST /api/verify` with a
 * timeout per attempt and retries with backoff for network errors and 5xx. Errors are never cached and
 * never valid. Concurrent calls for the same token and request share one request.
 */
export function createVerifier(options: VerifierOptions): Verifier {
  const cacheTtlMs = options.cacheTtlMs ?? DEFAULTS.cacheTtlMs;
  const negativeTtlMs = options.negativeCacheTtlMs ?? cacheTtlMs;
  const now = options.now ?? Date.now;
  const cache = answerCache(options.maxEntries ?? DEFAULTS.maxEntries, now);
  const inFlight = new Map<string, Promise<VerifyResult>>();
  const stats: VerifierStats = { hits: 0, misses: 0, localRejections: 0 };
  const transport: TransportOptions = {
    url: `${options.baseUrl.replace(/\/+$/, '')}/api/verify`,
    timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
    retries: options.retries ?? DEFAULTS.retries,
    backoffMs: options.backoffMs ?? DEFAULTS.backoffMs,
    maxBackoffMs: options.maxBackoffMs ?? DEFAULTS.maxBackoffMs,
    fetch: options.fetch ?? fetch,
  };

  function remember(key: string, answer: CachedAnswer): void {
    let ttl = answer.status === 'valid' ? cacheTtlMs : negativeTtlMs;
    // A yes never outlives the token's own expiry.
    if (answer.status === 'valid') ttl = Math.min(ttl, Date.parse(answer.identity.expiresAt) - now());
    if (ttl > 0) cache.set(key, answer, { ttl });
  }

  async function ask(key: string, token: string, request: VerifyRequest): Promise<VerifyResult> {
    const { kinds: _kinds, ...asked } = request;
    const outcome = await postVerification(transport, JSON.stringify({ token, ...asked }));
    if (!outcome.ok) {
      return {
        status: 'error',
        valid: false,
        code: outcome.code,
        message: outcome.message,
        attempts: outcome.attempts,
      };
    }
    const { body } = outcome;
    const answer: CachedAnswer =
      body.valid === true
        ? { status: 'valid', valid: true, identity: identityOf(body) }
        : {
            status: 'invalid',
            valid: false,
            code: String(body.code) as InvalidCode,
            message: String(body.message ?? body.code),
          };
    remember(key, answer);
    return { ...answer, cached: false };
  }

  return {
    stats,
    clear: () => cache.clear(),
    async verify(token, request = {}) {
      const shape = typeof token === 'string' ? tokenShape(token) : 'malformed';
      if (shape === 'malformed') {
        stats.localRejections++;
        return invalid('TOKEN_MALFORMED', LOCAL_MESSAGES.TOKEN_MALFORMED);
      }
      if (request.kinds !== undefined && !request.kinds.includes(kindFromShape(token, shape))) {
        stats.localRejections++;
        return invalid('KIND_DENIED', LOCAL_MESSAGES.KIND_DENIED);
      }
      const key = cacheKey(token, request);
      const hit = cache.get(key);
      if (hit !== undefined) {
        stats.hits++;
        return withKinds({ ...hit, cached: true }, request.kinds);
      }
      stats.misses++;
      let pending = inFlight.get(key);
      if (pending === undefined) {
        pending = ask(key, token, request).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      return withKinds(await pending, request.kinds);
    },
  };
}
