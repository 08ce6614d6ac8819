import type { TokenKind } from './token-shape.ts';

/** Why Tessera refused a token: the `code` of `POST /api/verify`'s `{valid: false}` answer. */
export type InvalidCode =
  | 'TOKEN_MALFORMED'
  | 'TOKEN_UNKNOWN'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_REVOKED'
  | 'USER_UNKNOWN'
  | 'TENANT_DENIED'
  | 'PERMISSION_DENIED'
  | 'RESOURCE_DENIED'
  | 'DEPARTMENT_DENIED'
  | 'USER_TYPE_DENIED'
  /** Added by the SDK: the token is valid but of a kind the caller did not accept (see `kinds`). */
  | 'KIND_DENIED';

/**
 * Why no answer could be had: Tessera did not answer in time (`TIMEOUT`), could not be reached
 * (`NETWORK`), answered 5xx (`SERVER_ERROR`), or answered something that is not a verification result
 * (`BAD_RESPONSE`, e.g. a 400 for a permission string over 100 characters). Never cached, never valid.
 */
export type ErrorCode = 'TIMEOUT' | 'NETWORK' | 'SERVER_ERROR' | 'BAD_RESPONSE';

/** Who a valid token speaks for, as Tessera answered. */
export interface TokenIdentity {
  tokenId: string;
  kind: TokenKind;
  userId: number;
  tenantId: string;
  /** The token's effective permissions (narrowed by its user's at every use). */
  permissions: string[];
  /** The resources the token is bound to; empty when it may touch any. */
  resources: string[];
  departmentId: number | null;
  userTypeId: number | null;
  /** ISO 8601. */
  expiresAt: string;
}

/** The token is good for what was asked. */
export interface ValidResult {
  status: 'valid';
  valid: true;
  identity: TokenIdentity;
  /** True when the answer came from the SDK's cache. */
  cached: boolean;
}

/** Tessera (or the local checksum check) refused the token; `code` says why. */
export interface InvalidResult {
  status: 'invalid';
  valid: false;
  code: InvalidCode;
  message: string;
  cached: boolean;
}

/** No answer: treat the request as refused (fail closed) and, in an HTTP service, answer 503. */
export interface ErrorResult {
  status: 'error';
  valid: false;
  code: ErrorCode;
  message: string;
  /** How many requests were sent before giving up. */
  attempts: number;
}

/** The result of {@link Verifier.verify}: switch on `status`; only `valid` means yes. */
export type VerifyResult = ValidResult | InvalidResult | ErrorResult;

/** What a token must be good for; each field the caller names is checked. */
export interface VerifyRequest {
  /** A permission the token must carry, e.g. `subscription:execute`. */
  permission?: string;
  /** A resource the token must be allowed to touch, e.g. `report:team:sales-dashboard`. */
  resource?: string;
  tenantId?: string;
  departmentId?: number;
  userTypeId?: number;
  /** Accept only these kinds of token (checked after Tessera's answer, e.g. `['shr']` for share links). */
  kinds?: readonly TokenKind[];
}

/** The messages for the invalid codes Tessera's answer does not carry (local checks). */
export const LOCAL_MESSAGES = {
  TOKEN_MALFORMED: 'The string is not a Tessera token (wrong shape or checksum).',
  KIND_DENIED: 'This kind of token is not accepted here.',
} as const;
