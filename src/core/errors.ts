/**
 * Every error Tessera reports, in one table: a stable machine code, its HTTP status and what it means.
 * The HTTP layer turns a {@link TesseraError} into a response with this table and nothing else; the
 * README's error table and the OpenAPI document are checked against it by the tests.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, description: 'A field is missing, of the wrong type, or out of range.' },
  INVALID_JSON: { status: 400, description: 'The request body is not valid JSON.' },
  BAD_URL: { status: 400, description: 'The URL is malformed: a percent-encoded sequence is not valid.' },
  MALFORMED_REQUEST: {
    status: 400,
    description: 'The request is not well-formed HTTP (request line or headers).',
  },
  UNKNOWN_PERMISSION: { status: 400, description: 'A permission is not in the catalog.' },
  EXPIRY_IN_PAST: { status: 400, description: 'The expiry date is not in the future.' },
  EXPIRY_TOO_FAR: { status: 400, description: 'The expiry date is beyond the maximum token lifetime.' },
  INVALID_CURSOR: { status: 400, description: 'The pagination cursor is malformed or from another query.' },
  UNKNOWN_SETTING: { status: 400, description: 'No setting has this key.' },
  INVALID_GRANT: {
    status: 400,
    description: 'OAuth: the refresh token is unknown, expired, revoked or was already used.',
  },
  INVALID_SCOPE: {
    status: 400,
    description: 'OAuth: a requested scope is unknown or beyond what the client or user holds.',
  },
  UNSUPPORTED_GRANT_TYPE: { status: 400, description: 'OAuth: the grant_type is not supported.' },
  UNAUTHENTICATED: { status: 401, description: 'No valid credentials were presented.' },
  INVALID_CREDENTIALS: { status: 401, description: 'The username or password is wrong.' },
  INVALID_CLIENT: {
    status: 401,
    description: 'OAuth: client authentication failed (unknown client or wrong secret).',
  },
  INVALID_TOKEN: {
    status: 401,
    description: 'The refresh or access token presented is unknown, expired or revoked.',
  },
  FORBIDDEN: { status: 403, description: 'The caller may not do this.' },
  PERMISSION_NOT_HELD: {
    status: 403,
    description:
      'The caller does not hold a right this needs: one it would grant, one the associated user lacks, or one the user, token or client acted on holds.',
  },
  ROUTE_NOT_FOUND: { status: 404, description: 'No endpoint has this path and method.' },
  TOKEN_NOT_FOUND: { status: 404, description: 'No token with this id exists in your tenant.' },
  CLIENT_NOT_FOUND: { status: 404, description: 'No OAuth client with this id exists in your tenant.' },
  USER_NOT_FOUND: { status: 404, description: 'No user with this id exists in your tenant.' },
  DEPARTMENT_NOT_FOUND: { status: 404, description: 'No department with this id exists in your tenant.' },
  USER_TYPE_NOT_FOUND: { status: 404, description: 'No user type with this id exists in your tenant.' },
  REPORT_NOT_FOUND: { status: 404, description: 'No report with this id exists in your tenant.' },
  SESSION_NOT_FOUND: { status: 404, description: 'No sign-in session with this id exists in your tenant.' },
  REQUEST_TIMEOUT: { status: 408, description: 'The request headers did not arrive in time.' },
  USERNAME_TAKEN: { status: 409, description: 'Another user already has this username.' },
  NAME_TAKEN: { status: 409, description: 'Another entry already has this name.' },
  PERMISSION_EXISTS: { status: 409, description: 'The catalog already has this permission.' },
  REPORT_EXISTS: { status: 409, description: 'A report with this id already exists.' },
  CLOUD_DISABLED: {
    status: 409,
    description: 'Cloud publishing is off or not configured (cloud.enabled, cloud.url, cloud.api_token).',
  },
  OUTBOUND_REFUSED: {
    status: 409,
    description:
      'A call this instance would make is refused by its outbound rules: not https (outbound.allow_http) or to a private, loopback or link-local address (outbound.allow_private_network).',
  },
  IN_USE: { status: 409, description: 'The entry is still referenced and cannot be deleted.' },
  TOKEN_NOT_ACTIVE: { status: 409, description: 'The token is revoked or expired, so it cannot be changed.' },
  TOKEN_NOT_ROTATABLE: { status: 409, description: 'Sessions and OAuth tokens are not rotated here.' },
  LAST_ADMIN: { status: 409, description: 'The tenant would be left without an administrator.' },
  TOKEN_NOT_RETRIEVABLE: { status: 409, description: 'The token was not created retrievable.' },
  PAYLOAD_TOO_LARGE: { status: 413, description: 'The request body is too large.' },
  URI_TOO_LONG: { status: 414, description: 'A path segment is longer than 1,000 characters.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'The request body has an unsupported content type.' },
  TOO_MANY_ATTEMPTS: {
    status: 429,
    description:
      'Too many failed sign-ins (for this username or from this address), or too many at once on this node; retry after the given delay.',
  },
  HEADERS_TOO_LARGE: { status: 431, description: 'The request line and headers are larger than 16 KB.' },
  CLOUD_UNAVAILABLE: {
    status: 502,
    description: 'The cloud instance could not be reached, refused the request or did not answer in time.',
  },
  DATABASE_UNAVAILABLE: {
    status: 503,
    description:
      'The database cannot be reached, so nothing was checked or written; retry after Retry-After.',
  },
  INTERNAL: { status: 500, description: 'An unexpected error; the request id locates it in the logs.' },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The one error type of Tessera: a code from {@link ERROR_CODES}, a readable message, and the field at fault. */
export class TesseraError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { field?: string; retryAfterSeconds?: number } = {},
  ) {
    // A message may quote what the caller sent (an id, a path): a token in it never travels on.
    super(redactTokens(message));
    this.name = 'TesseraError';
    this.code = code;
    this.field = options.field;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

/** Shorthand for a 400 that names the field at fault. */
export function invalid(field: string, message: string): TesseraError {
  return new TesseraError('VALIDATION_FAILED', `${field}: ${message}`, { field });
}

/** Anything shaped like a Tessera token, `tsr_<kind>_<secret>` (also percent-encoded), hidden. */
const TOKEN_TEXT = /tsr(_|%5f)[a-z]+(_|%5f)[A-Za-z0-9]{8,}/gi;

/**
 * Text with every token-shaped string replaced by `tsr_[redacted]`, for messages and log lines that quote
 * what a caller sent. Hints (`tsr_api_…q8Zb`) are not token-shaped and stay.
 */
export function redactTokens(text: string): string {
  return text.replace(TOKEN_TEXT, 'tsr_[redacted]');
}
