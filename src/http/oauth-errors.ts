import type { FastifyReply } from 'fastify';
import { type TSchema, Type } from 'typebox';
import type { ErrorCode, TesseraError } from '../core/errors.ts';
import { errorHandlerFor } from './errors.ts';

/** The OAuth error body (RFC 6749 §5.2): what every /oauth and /apiops error answers, never the management shape. */
export const OAuthErrorBody = Type.Object({
  error: Type.String({ description: 'An RFC 6749 error code, e.g. invalid_request or invalid_client.' }),
  error_description: Type.Optional(Type.String()),
});

interface OAuthErrorSpec {
  status: number;
  error: string;
  /** A fixed description instead of the error's message (seed 002's "Bad credentials"). */
  description?: string;
}

const INVALID_REQUEST: OAuthErrorSpec = { status: 400, error: 'invalid_request' };

/**
 * The one table from Tessera's error codes to OAuth error bodies. Throttling answers 429 `slow_down` with a
 * Retry-After header (RFC 8628's code for "ask less often"); a code not listed is invalid_request when it
 * is the caller's fault and server_error (no detail) otherwise.
 */
const OAUTH_ERRORS: Partial<Record<ErrorCode, OAuthErrorSpec>> = {
  VALIDATION_FAILED: INVALID_REQUEST,
  INVALID_JSON: INVALID_REQUEST,
  PAYLOAD_TOO_LARGE: { status: 413, error: 'invalid_request', description: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: {
    ...INVALID_REQUEST,
    description: 'Send the parameters as application/x-www-form-urlencoded.',
  },
  INVALID_CLIENT: { status: 401, error: 'invalid_client' },
  INVALID_CREDENTIALS: { status: 401, error: 'unauthorized_client', description: 'Bad credentials' },
  INVALID_GRANT: { status: 400, error: 'invalid_grant' },
  INVALID_TOKEN: { status: 400, error: 'invalid_grant' },
  INVALID_SCOPE: { status: 400, error: 'invalid_scope' },
  PERMISSION_NOT_HELD: { status: 400, error: 'invalid_scope' },
  UNKNOWN_PERMISSION: { status: 400, error: 'invalid_scope' },
  UNSUPPORTED_GRANT_TYPE: { status: 400, error: 'unsupported_grant_type' },
  UNAUTHENTICATED: { status: 401, error: 'invalid_token' },
  FORBIDDEN: { status: 403, error: 'insufficient_scope' },
  TOO_MANY_ATTEMPTS: { status: 429, error: 'slow_down' },
  ROUTE_NOT_FOUND: { status: 404, error: 'invalid_request' },
  REQUEST_TIMEOUT: { status: 408, error: 'invalid_request' },
  URI_TOO_LONG: { status: 414, error: 'invalid_request' },
  HEADERS_TOO_LARGE: { status: 431, error: 'invalid_request' },
  DATABASE_UNAVAILABLE: { status: 503, error: 'temporarily_unavailable' },
};

const SERVER_ERROR: OAuthErrorSpec = {
  status: 500,
  error: 'server_error',
  description: 'The server could not complete the request.',
};

/** The OAuth status, headers and body for an error. */
export function oauthError(error: TesseraError): {
  status: number;
  headers: Record<string, string>;
  body: { error: string; error_description: string };
} {
  const spec = OAUTH_ERRORS[error.code] ?? (error.status < 500 ? INVALID_REQUEST : SERVER_ERROR);
  const headers: Record<string, string> = {};
  if (spec.status === 401) {
    headers['WWW-Authenticate'] =
      spec.error === 'invalid_token'
        ? 'Bearer realm="tessera", error="invalid_token"'
        : 'Basic realm="tessera"';
  }
  if (error.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.retryAfterSeconds);
  return {
    status: spec.status,
    headers,
    body: { error: spec.error, error_description: spec.description ?? error.message },
  };
}

/** Sends an error in the OAuth shape. */
export function sendOAuthError(reply: FastifyReply, error: TesseraError): FastifyReply {
  const { status, headers, body } = oauthError(error);
  return reply.code(status).headers(headers).send(body);
}

/** The error handler of the OAuth routes' scope. */
export const oauthErrorHandler = errorHandlerFor((_request, reply, error) => sendOAuthError(reply, error));

/** OpenAPI responses of an OAuth endpoint: the statuses it may answer, each naming its error values. */
export function oauthErrorResponses(statuses: Record<number, string>): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const [status, description] of Object.entries(statuses))
    out[Number(status)] = { ...OAuthErrorBody, description };
  out[500] = { ...OAuthErrorBody, description: 'server_error (INTERNAL), without detail' };
  return out;
}
