import type { InvalidCode, TokenIdentity, VerifyRequest } from './result.ts';
import type { TokenKind } from './token-shape.ts';
import type { Verifier } from './verifier.ts';

/** The parts of an HTTP request a token can come in, whatever the framework. */
export interface RequestParts {
  headers: Record<string, string | string[] | undefined>;
  query?: unknown;
}

/** A fixed value, or one worked out from the request (return `undefined` to skip that check). */
export type Resolvable<T, Req> = T | ((request: Req) => T | undefined);

/** What a route needs of the presented token. */
export interface TokenRequirement<Req> {
  /** e.g. `subscription:execute`. */
  permission?: Resolvable<string, Req>;
  /** e.g. `(req) => 'report:' + req.params.id`. */
  resource?: Resolvable<string, Req>;
  tenantId?: Resolvable<string, Req>;
  departmentId?: Resolvable<number, Req>;
  userTypeId?: Resolvable<number, Req>;
  /** Accept only these kinds of token, e.g. `['shr']` for report share links. */
  kinds?: readonly TokenKind[];
}

/** The middleware's refusal codes: Tessera's, plus a missing token and an unreachable Tessera. */
export type DenialCode = InvalidCode | 'TOKEN_MISSING' | 'TESSERA_UNAVAILABLE';

/** A refusal to send: status, JSON body `{error: {code, message}}` and headers. */
export interface Denial {
  status: 401 | 403 | 503;
  body: { error: { code: DenialCode; message: string } };
  headers: Record<string, string>;
}

/** The codes that mean "a good token, but not for this": 403 rather than 401. */
const FORBIDDEN_CODES: ReadonlySet<DenialCode> = new Set([
  'TENANT_DENIED',
  'PERMISSION_DENIED',
  'RESOURCE_DENIED',
  'DEPARTMENT_DENIED',
  'USER_TYPE_DENIED',
  'KIND_DENIED',
]);

/**
 * The token a request presents: `Authorization: Bearer <token>`, a `TOKEN` header, or a `?token=` URL
 * parameter, in that order (as Tessera reads them). An `Authorization` header that is not Bearer yields `''`.
 */
export function presentedToken(parts: RequestParts): string | undefined {
  const authorization = parts.headers.authorization;
  if (typeof authorization === 'string' && authorization !== '') {
    return /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] ?? '';
  }
  const header = parts.headers.token;
  if (typeof header === 'string') return header.trim();
  const token = (parts.query as { token?: unknown } | undefined)?.token;
  return typeof token === 'string' ? token : undefined;
}

function resolve<T, Req>(value: Resolvable<T, Req> | undefined, request: Req): T | undefined {
  return typeof value === 'function' ? (value as (request: Req) => T | undefined)(request) : value;
}

function deny(status: Denial['status'], code: DenialCode, message: string): Denial {
  const headers: Record<string, string> = {};
  if (status === 401) headers['www-authenticate'] = 'Bearer realm="tessera", error="invalid_token"';
  if (status === 403) headers['www-authenticate'] = 'Bearer realm="tessera", error="insufficient_scope"';
  return { status, body: { error: { code, message } }, headers };
}

/**
 * The framework-free core of `requireToken`: reads the token, asks the verifier what the requirement
 * names, and answers the identity or a refusal. Fails closed: no answer from Tessera is a 503.
 */
export async function checkRequest<Req>(
  verifier: Verifier,
  request: Req,
  parts: RequestParts,
  requirement: TokenRequirement<Req>,
): Promise<{ identity: TokenIdentity } | { denial: Denial }> {
  const token = presentedToken(parts);
  if (token === undefined || token === '') {
    return {
      denial: deny(
        401,
        'TOKEN_MISSING',
        'Send a token as "Authorization: Bearer <token>", a TOKEN header or a ?token= parameter.',
      ),
    };
  }
  const asked: VerifyRequest = {
    permission: resolve(requirement.permission, request),
    resource: resolve(requirement.resource, request),
    tenantId: resolve(requirement.tenantId, request),
    departmentId: resolve(requirement.departmentId, request),
    userTypeId: resolve(requirement.userTypeId, request),
    kinds: requirement.kinds,
  };
  for (const key of Object.keys(asked) as (keyof VerifyRequest)[]) {
    if (asked[key] === undefined) delete asked[key];
  }
  const result = await verifier.verify(token, asked);
  if (result.status === 'valid') return { identity: result.identity };
  if (result.status === 'error') {
    return { denial: deny(503, 'TESSERA_UNAVAILABLE', `Tokens cannot be checked now: ${result.message}`) };
  }
  return { denial: deny(FORBIDDEN_CODES.has(result.code) ? 403 : 401, result.code, result.message) };
}
