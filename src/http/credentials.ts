import type { FastifyReply, FastifyRequest } from 'fastify';
import { TesseraError } from '../core/errors.ts';
import type { Principal } from '../core/principal.ts';
import type { Tessera } from '../core/tessera.ts';
import { VERIFY_FAILURES } from '../core/verifier.ts';
import type { Metrics } from './metrics.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** The route accepts report share tokens (`shr`), which open one report and nothing else. */
    shareTokens?: boolean;
  }
}

/**
 * The token a request presents: `Authorization: Bearer <token>`, a `TOKEN` header (seed 003), or a
 * `?token=` URL parameter (seed 001), in that order.
 */
export function presentedToken(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1] ?? '';
  }
  const header = request.headers.token;
  if (typeof header === 'string') return header.trim();
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.token === 'string' ? query.token : undefined;
}

/** An onRequest hook that verifies the presented credential and sets `request.principal`, or answers 401. */
export function authenticate(tessera: Tessera, metrics: Metrics) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const token = presentedToken(request);
    if (token === undefined) {
      throw new TesseraError(
        'UNAUTHENTICATED',
        'Sign in first: send a token as "Authorization: Bearer <token>".',
      );
    }
    const stop = metrics.startVerification();
    const result = await tessera.verifier.authenticate(token, request.ip);
    stop(typeof result === 'string' ? result : 'VALID');
    if (typeof result === 'string')
      throw new TesseraError('UNAUTHENTICATED', `${VERIFY_FAILURES[result]} (${result})`);
    // A share token speaks for its creator only to open its report: never on /api/me and the like.
    if (result.kind === 'shr' && request.routeOptions.config.shareTokens !== true)
      throw new TesseraError('FORBIDDEN', 'A report share token opens its report and nothing else.');
    request.principal = result;
  };
}
