import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger, FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type TSchema, Type } from 'typebox';
import { ERROR_CODES, TesseraError } from '../core/errors.ts';
import { type ErrorResponse, errorHandlerFor, errorResponses, managementError } from './errors.ts';
import { integrationError, integrationErrorResponses } from './integration-errors.ts';
import { oauthError, oauthErrorResponses } from './oauth-errors.ts';
import { familyOf, type RouteFamily } from './request-url.ts';

/**
 * Errors that happen before a route is chosen (a malformed URL, an oversized path segment, an unknown path)
 * or before there is a request at all (oversized headers, a malformed request line) answer in the shape of
 * the route family the URL is for, never with Fastify's or Node's own bodies, and never quote the URL.
 */

const VIEW_PAGES: Record<number, [title: string, text: string]> = {
  400: ['This link is malformed', 'Check that the whole link was copied.'],
  404: ['Page not found', 'There is nothing at this address. Check that the whole link was copied.'],
  414: ['This link is too long', 'Check that the link was copied correctly.'],
  431: ['Request too large', 'Your browser sent more than this page accepts.'],
  503: ['Temporarily unavailable', 'The page cannot be shown right now. Try again in a moment.'],
};

/** The share page's errors: a small HTML page (a browser or an iframe shows it), not JSON. */
function viewError(error: TesseraError, requestId: string): ErrorResponse {
  const [title, text] = VIEW_PAGES[error.status] ?? ['Something went wrong', 'Try again later.'];
  const headers: Record<string, string> = {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': "default-src 'none'; base-uri 'none'; form-action 'none'",
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
  };
  if (error.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.retryAfterSeconds);
  const body =
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title>` +
    '<meta name="viewport" content="width=device-width, initial-scale=1"></head>' +
    `<body><h1>${title}</h1><p>${text}</p><p><small>Reference: ${requestId}</small></p></body></html>\n`;
  return { status: error.status, headers, body };
}

/** An error in the shape of the family a URL belongs to. */
export function familyError(family: RouteFamily, error: TesseraError, requestId: string): ErrorResponse {
  switch (family) {
    case 'oauth': {
      const { status, headers, body } = oauthError(error);
      return { status, headers: { ...headers, 'Cache-Control': 'no-store', Pragma: 'no-cache' }, body };
    }
    case 'integration':
      return integrationError(error);
    case 'view':
      return viewError(error, requestId);
    case 'management':
      return managementError(error, requestId);
  }
}

/**
 * OpenAPI responses for the errors any route of a family may answer before its handler runs (headers too
 * slow or too large, an overlong path segment, a body too large or not of its type), in that family's shape.
 */
export function frameworkErrorResponses(url: string, statuses: number[]): Record<number, TSchema> {
  const codesOf = (status: number) =>
    Object.entries(ERROR_CODES)
      .filter(([, v]) => v.status === status)
      .map(([k]) => k)
      .join(', ');
  switch (familyOf(url)) {
    case 'oauth':
      return oauthErrorResponses(
        Object.fromEntries(statuses.map((s) => [s, `invalid_request (${codesOf(s)})`])),
      );
    case 'integration':
      return integrationErrorResponses(...statuses);
    case 'view':
      return Object.fromEntries(
        statuses.map((s) => [
          s,
          {
            description: `An error page (${codesOf(s)})`,
            content: { 'text/html': { schema: Type.String() } },
          },
        ]),
      );
    case 'management':
      return errorResponses(...statuses);
  }
}

/** Sends an error in the shape of the family the request's URL belongs to. */
export function sendFamilyError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: TesseraError,
): FastifyReply {
  const { status, headers, body } = familyError(familyOf(request.url), error, String(request.id));
  return reply.code(status).headers(headers).send(body);
}

/** The app's error handler: each family's shape, by URL (routes registered at the root include `/view`). */
export const familyErrorHandler = errorHandlerFor(sendFamilyError);

/**
 * Fastify's `frameworkErrors`: a URL whose percent-encoding does not decode (`FST_ERR_BAD_URL`), a path
 * segment over the router's limit (`FST_ERR_MAX_PARAM_LENGTH`). These replies skip the app's hooks, so the
 * request id header is set here.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  reply.header('X-Request-Id', request.id).header('Cache-Control', 'no-store');
  familyErrorHandler(error, request, reply);
}

function clientErrorOf(code: string | undefined): TesseraError {
  if (code === 'HPE_HEADER_OVERFLOW')
    return new TesseraError('HEADERS_TOO_LARGE', 'The request line and headers are larger than 16 KB.');
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return new TesseraError('REQUEST_TIMEOUT', 'The request headers did not arrive in time.');
  return new TesseraError('MALFORMED_REQUEST', 'The request is not well-formed HTTP.');
}

/** The path of the request line at the start of a raw packet, when there is one; it only picks the family. */
function requestPath(rawPacket: unknown): string {
  if (!Buffer.isBuffer(rawPacket)) return '/';
  return /^[A-Z]{1,20} (\/\S*)/.exec(rawPacket.subarray(0, 4096).toString('latin1'))?.[1] ?? '/';
}

/**
 * Node's `clientError` (via Fastify's `clientErrorHandler`): the request could not be parsed, so there is no
 * request or reply; the answer is written to the socket, which is then closed. The family is chosen by the
 * request line when the packet that failed starts with it, else management; nothing of the request is
 * echoed.
 */
export function answerClientError(
  error: Error & { code?: string; rawPacket?: unknown },
  socket: Socket,
  log: FastifyBaseLogger | undefined,
): void {
  // A reset connection, or one already gone: nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const requestId = randomUUID();
  const mapped = clientErrorOf(error.code);
  log?.debug({ requestId, code: error.code }, 'client error');
  if (socket.writable) {
    const { status, headers, body } = familyError(familyOf(requestPath(error.rawPacket)), mapped, requestId);
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const all: Record<string, string> = {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      ...headers,
      'Content-Length': String(Buffer.byteLength(text)),
      'X-Request-Id': requestId,
      Connection: 'close',
    };
    const head = Object.entries(all)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n${head}\r\n${text}`);
  }
  socket.destroy();
}
