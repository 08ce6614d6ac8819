import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type TSchema, Type } from 'typebox';
import { ERROR_CODES, type ErrorCode, TesseraError } from '../core/errors.ts';
import { StoreUnavailableError } from '../core/store-unavailable.ts';
import { NAME_PATTERN, TEXT_PATTERN, UNSAFE_TEXT_MESSAGE } from '../core/text.ts';

/** The management API's error body: `{ error: { code, message, requestId, field? } }`. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      // One `enum` (not a union of literals), so the OpenAPI document lists the codes as a closed set.
      code: Type.Unsafe<ErrorCode>({ type: 'string', enum: Object.keys(ERROR_CODES) }),
      message: Type.String(),
      requestId: Type.String(),
      field: Type.Optional(Type.String({ description: 'The request field at fault, when there is one.' })),
    }),
  },
  { $id: 'ErrorBody', title: 'Error' },
);

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request',
  401: 'Not authenticated',
  403: 'Forbidden',
  404: 'Not found',
  408: 'Request timeout',
  409: 'Conflict',
  413: 'Payload too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  429: 'Too many requests',
  431: 'Request header fields too large',
  500: 'Internal error',
  502: 'Bad gateway (the cloud instance failed)',
  503: 'Service unavailable (the database cannot be reached)',
};

/**
 * OpenAPI error responses for a route: each status with the codes it may carry. Every route gets 400
 * (bad input) and 500, and from the app 408/431, 414 with path parameters, 413/415 with a body; the caller
 * lists the rest.
 */
export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  const all = new Set([400, 500, ...statuses]);
  const out: Record<number, TSchema> = {};
  for (const status of [...all].sort()) {
    const codes = Object.entries(ERROR_CODES)
      .filter(([, v]) => v.status === status)
      .map(([k]) => k);
    out[status] = Type.Ref('ErrorBody', {
      description: `${STATUS_TEXT[status] ?? 'Error'}: ${codes.join(', ')}`,
    });
  }
  return out;
}

/** The longest path parameter the router takes (report ids may be 200 characters, more once percent-encoded). */
export const MAX_PATH_SEGMENT = 1000;

/** Turns a fastify validation error into the field it names, e.g. `body/permissions/0` → `permissions[0]`. */
function validationField(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  if (!first) return undefined;
  const params = first.params as Record<string, unknown>;
  const segments = first.instancePath.split('/').filter(Boolean);
  const extra = params.missingProperty ?? params.additionalProperty;
  if (typeof extra === 'string') segments.push(extra);
  const field = segments.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
  return field || error.validationContext;
}

function validationMessage(error: FastifyError, field: string | undefined): string {
  const first = error.validation?.[0];
  const params = (first?.params ?? {}) as Record<string, unknown>;
  let what = first?.message ?? 'is invalid';
  if (first?.keyword === 'required') what = 'is required';
  if (first?.keyword === 'additionalProperties') what = 'is not a known field';
  if (first?.keyword === 'maxLength') what = `must be at most ${params.limit} characters`;
  if (first?.keyword === 'pattern' && (params.pattern === NAME_PATTERN || params.pattern === TEXT_PATTERN))
    what = UNSAFE_TEXT_MESSAGE;
  return `${field ?? error.validationContext ?? 'request'}: ${what}`;
}

/** Maps anything thrown to a code of the one error table. */
export function toTesseraError(error: FastifyError | TesseraError | Error): TesseraError {
  if (error instanceof TesseraError) return error;
  if (error instanceof StoreUnavailableError) {
    return new TesseraError('DATABASE_UNAVAILABLE', error.message, {
      retryAfterSeconds: error.retryAfterSeconds,
    });
  }
  const e = error as FastifyError;
  if (e.validation) {
    const field = validationField(e);
    return new TesseraError('VALIDATION_FAILED', validationMessage(e, field), field ? { field } : {});
  }
  const byFastifyCode: Record<string, ErrorCode> = {
    FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
    FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
    FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
    FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  };
  // The router's own messages quote the URL, which may carry a token: these get a message of ours.
  if (e.code === 'FST_ERR_BAD_URL')
    return new TesseraError('BAD_URL', 'The URL is malformed: a percent-encoded sequence is not valid.');
  if (e.code === 'FST_ERR_MAX_PARAM_LENGTH')
    return new TesseraError(
      'URI_TOO_LONG',
      `A path segment is longer than ${MAX_PATH_SEGMENT.toLocaleString('en-US')} characters.`,
    );
  const mapped = e.code ? byFastifyCode[e.code] : undefined;
  if (mapped === 'INVALID_JSON')
    return new TesseraError(mapped, 'body: is not valid JSON.', { field: 'body' });
  if (mapped) return new TesseraError(mapped, e.message);
  if (e instanceof SyntaxError || (e.statusCode === 400 && !e.code))
    return new TesseraError('INVALID_JSON', 'body: is not valid JSON.', { field: 'body' });
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500)
    return new TesseraError('VALIDATION_FAILED', e.message);
  return new TesseraError(
    'INTERNAL',
    'Something went wrong on our side; the request id locates it in the logs.',
  );
}

/** An error's status, headers and body in one route family's shape. */
export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON to serialize, or a ready HTML page (its Content-Type among the headers). */
  body: object | string;
}

/** The one place a management API error becomes a status, headers and body. */
export function managementError(error: TesseraError, requestId: string): ErrorResponse {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.retryAfterSeconds);
  if (error.code === 'UNAUTHENTICATED') headers['WWW-Authenticate'] = 'Bearer realm="tessera"';
  return {
    status: error.status,
    headers,
    body: {
      error: {
        code: error.code,
        message: error.message,
        requestId,
        ...(error.field === undefined ? {} : { field: error.field }),
      },
    },
  };
}

/** Sends a management API error. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: TesseraError): FastifyReply {
  const { status, headers, body } = managementError(error, String(request.id));
  return reply.code(status).headers(headers).send(body);
}

/**
 * An error handler that maps anything thrown to the one error table, logs what is unexpected, and answers
 * in the wire format `send` writes (management, OAuth or seed 003).
 */
export function errorHandlerFor(
  send: (request: FastifyRequest, reply: FastifyReply, error: TesseraError) => FastifyReply,
) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const mapped = toTesseraError(error);
    if (mapped.code === 'INTERNAL') request.log.error({ err: error }, 'unhandled error');
    return send(request, reply, mapped);
  };
}
