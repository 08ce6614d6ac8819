import { errors, type JWSHeaderParameters, jwtVerify, SignJWT } from 'jose';
import type { Clock } from '../clock.ts';
import type { Store } from '../store.ts';
import type { JwtChecker } from '../verifier.ts';
import { SIGNING_ALG, type SigningKeys } from './signing-keys.ts';

/** The `typ` header of RFC 9068 access tokens. */
export const ACCESS_TOKEN_TYP = 'at+jwt';
/** Longer strings are refused before any decoding. */
export const MAX_JWT_LENGTH = 4096;
const COMPACT_JWS = /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/;

/** What a JWT access token says; times are epoch milliseconds, written as whole seconds. */
export interface AccessTokenClaims {
  /** The token row's id, written as `jti`. */
  id: string;
  userId: number;
  clientId: string | null;
  permissions: string[];
  issuedAt: number;
  expiresAt: number;
}

/** What may be shown of a JWT after creation: `jwt…` and its last four characters. */
export function jwtHint(jwt: string): string {
  return `jwt…${jwt.slice(-4)}`;
}

/**
 * Signs and checks JWT access tokens (RFC 9068 profile): header `typ: at+jwt` and `kid`, claims `iss`,
 * `sub`, `aud`, `exp`, `iat`, `jti`, `client_id` (when a client asked) and `scope`. Checking uses only the
 * in-memory key set; whether the token was revoked is the {@link Verifier}'s business (its store row).
 */
export class JwtAccessTokens implements JwtChecker {
  /** The `iss` of every token: TESSERA_PUBLIC_URL, or the URL the service listens on (set once it listens). */
  issuer: string;

  constructor(
    private readonly keys: SigningKeys,
    private readonly clock: Clock,
    issuer: string,
    /** The `aud` of every token; the issuer unless configured. */
    private readonly fixedAudience?: string,
  ) {
    this.issuer = issuer;
  }

  get audience(): string {
    return this.fixedAudience ?? this.issuer;
  }

  /** Signs a token with the current key; `store` is the caller's transaction (a first key may be made). */
  async sign(claims: AccessTokenClaims, store?: Store): Promise<string> {
    const key = await this.keys.current(store);
    const payload: Record<string, string> = { scope: claims.permissions.join(' ') };
    if (claims.clientId !== null) payload.client_id = claims.clientId;
    return new SignJWT(payload)
      .setProtectedHeader({ alg: key.alg, typ: ACCESS_TOKEN_TYP, kid: key.kid })
      .setIssuer(this.issuer)
      .setSubject(String(claims.userId))
      .setAudience(this.audience)
      .setIssuedAt(Math.floor(claims.issuedAt / 1000))
      .setExpirationTime(Math.floor(claims.expiresAt / 1000))
      .setJti(claims.id)
      .sign(key.privateKey);
  }

  /** A cheap shape test (three base64url segments, a JSON header): no decoding. */
  looksLikeJwt(presented: string): boolean {
    return presented.length <= MAX_JWT_LENGTH && presented.startsWith('eyJ') && COMPACT_JWS.test(presented);
  }

  /**
   * Checks signature, algorithm, `typ`, issuer, audience and expiry against the clock; null when all hold.
   * Never throws: a bad token is a reason code.
   */
  async check(jwt: string): Promise<'TOKEN_MALFORMED' | 'TOKEN_EXPIRED' | null> {
    try {
      await jwtVerify(jwt, this.keyFor, {
        algorithms: [SIGNING_ALG],
        typ: ACCESS_TOKEN_TYP,
        issuer: this.issuer,
        audience: this.audience,
        requiredClaims: ['sub', 'jti', 'iat', 'exp'],
        currentDate: new Date(this.clock.now()),
      });
      return null;
    } catch (error) {
      return error instanceof errors.JWTExpired ? 'TOKEN_EXPIRED' : 'TOKEN_MALFORMED';
    }
  }

  private readonly keyFor = async (header: JWSHeaderParameters) => {
    const key = header.kid === undefined ? undefined : await this.keys.verificationKey(header.kid);
    if (!key) throw new errors.JWKSNoMatchingKey();
    return key;
  };
}
