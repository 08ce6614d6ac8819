import type { Request, RequestHandler } from 'express';
import { checkRequest, type TokenRequirement } from './middleware.ts';
import type { TokenIdentity } from './result.ts';
import { createVerifier, type Verifier, type VerifierOptions } from './verifier.ts';

declare module 'express-serve-static-core' {
  interface Request {
    /** Who the token speaks for, once `requireToken` let the request through. */
    tessera?: TokenIdentity;
  }
  interface Locals {
    /** The same identity as `req.tessera`, for templates. */
    tessera?: TokenIdentity;
  }
}

/**
 * Express middleware that lets a request through only with a good token: reads it, verifies it for
 * `requirement`, and sets `req.tessera` and `res.locals.tessera`, or answers 401, 403 or 503 with
 * `{error: {code, message}}`.
 */
export function requireToken(
  verifier: Verifier,
  requirement: TokenRequirement<Request> = {},
): RequestHandler {
  return (req, res, next) => {
    checkRequest(verifier, req, req, requirement).then((outcome) => {
      if ('denial' in outcome) {
        const { status, headers, body } = outcome.denial;
        res.status(status).set(headers).json(body);
        return;
      }
      req.tessera = outcome.identity;
      res.locals.tessera = outcome.identity;
      next();
    }, next);
  };
}

/** One verifier for an Express app and a `requireToken` bound to it. */
export interface TesseraExpress {
  verifier: Verifier;
  /** See {@link requireToken}. */
  requireToken(requirement?: TokenRequirement<Request>): RequestHandler;
}

/**
 * Creates the Express side of the SDK:
 *
 * ```ts
 * const tessera = tesseraExpress({ baseUrl: 'http://127.0.0.1:8080' });
 * app.get('/reports/:id', tessera.requireToken({ resource: (req) => `report:${req.params.id}` }), …);
 * ```
 */
export function tesseraExpress(options: Verifier | VerifierOptions): TesseraExpress {
  const verifier = 'verify' in options ? options : createVerifier(options);
  return { verifier, requireToken: (requirement = {}) => requireToken(verifier, requirement) };
}
