import type { FastifyReply } from 'fastify';
import { type TSchema, Type } from 'typebox';
import { ERROR_CODES, type TesseraError } from '../core/errors.ts';
import { type ErrorResponse, errorHandlerFor } from './errors.ts';

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

/** The one place an `/integration/v1` error becomes a status, headers and body. */
export function integrationError(error: TesseraError): ErrorResponse {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.retryAfterSeconds);
  return { status: error.status, headers, body: { detail: error.message, code: error.code } };
}

/** Sends an `/integration/v1` error. */
export function sendIntegrationError(reply: FastifyReply, error: TesseraError): FastifyReply {
  const { status, headers, body } = integrationError(error);
  return reply.code(status).headers(headers).send(body);
}

/** The error handler of the `/integration/v1` scope: validation, parsing and domain errors alike. */
export const integrationErrorHandler = errorHandlerFor((_request, reply, error) =>
  sendIntegrationError(reply, error),
);
