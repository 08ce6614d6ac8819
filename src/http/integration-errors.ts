import type { FastifyReply } from 'fastify';
import { type TSchema, Type } from 'typebox';
import { ERROR_CODES, type TesseraError } from '../core/errors.ts';
import { errorHandlerFor } from './errors.ts';

/**
 * OpenAPI error responses for an `/integration/v1` route: each status with the codes it may carry. Every
 * route gets 400, 413, 415 (they all take a body) and 500; the caller lists the rest.
 */
export function integrationErrorResponses(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const status of [...new Set([400, 413, 415, 500, ...statuses])].sort()) {
    const codes = Object.entries(ERROR_CODES)
      .filter(([, v]) => v.status === status)
      .map(([k]) => k);
    out[status] = Type.Ref('IntegrationErrorBody', { description: `Error ${status}: ${codes.join(', ')}` });
  }
  return out;
}

/** The one place an `/integration/v1` error becomes a response. */
export function sendIntegrationError(reply: FastifyReply, error: TesseraError): FastifyReply {
  if (error.retryAfterSeconds !== undefined) reply.header('Retry-After', String(error.retryAfterSeconds));
  return reply.code(error.status).send({ detail: error.message, code: error.code });
}

/** The error handler of the `/integration/v1` scope: validation, parsing and domain errors alike. */
export const integrationErrorHandler = errorHandlerFor((_request, reply, error) =>
  sendIntegrationError(reply, error),
);
