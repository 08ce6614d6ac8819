import type { FastifyReply, FastifyRequest, RouteGenericInterface } from 'fastify';
import fp from 'fastify-plugin';
import { checkRequest, type TokenRequirement } from './middleware.ts';
import type { TokenIdentity } from './result.ts';
import { createVerifier, type Verifier, type VerifierOptions } from './verifier.ts';

/** An `onRequest` (or `preHandler`) hook that lets a request through only with a good token. */
export type TokenHook<RouteGeneric extends RouteGenericInterface = RouteGenericInterface> = (
  request: FastifyRequest<RouteGeneric>,
  reply: FastifyReply,
) => Promise<void>;

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the token speaks for, once a `requireToken` hook let the request through; null before. */
    tessera: TokenIdentity | null;
  }
  interface FastifyInstance {
    /** A hook requiring a token good for `requirement`; see {@link requireToken}. */
    requireToken<RouteGeneric extends RouteGenericInterface = RouteGenericInterface>(
      requirement?: TokenRequirement<FastifyRequest<RouteGeneric>>,
    ): TokenHook<RouteGeneric>;
  }
}

/** Options of {@link tesseraPlugin}: a verifier, or the options to create one. */
export interface TesseraPluginOptions {
  verifier: Verifier | VerifierOptions;
}

/**
 * A hook for a route's `onRequest` (runs before body parsing and validation, so an unauthenticated request
 * learns nothing about its input): reads the token, verifies it for `requirement`, and sets
 * `request.tessera`, or answers 401, 403 or 503 with `{error: {code, message}}`.
 */
export function requireToken<RouteGeneric extends RouteGenericInterface = RouteGenericInterface>(
  verifier: Verifier,
  requirement: TokenRequirement<FastifyRequest<RouteGeneric>> = {},
): TokenHook<RouteGeneric> {
  return async function requireTesseraToken(request, reply) {
    const outcome = await checkRequest(verifier, request, request, requirement);
    if ('denial' in outcome) {
      const { status, headers, body } = outcome.denial;
      return reply.code(status).headers(headers).send(body);
    }
    request.tessera = outcome.identity satisfies TokenIdentity;
  };
}

/**
 * The Fastify plugin: decorates every request with `tessera` (null until a token is checked) and the
 * instance with `requireToken(requirement)`. Not encapsulated, so every route of the app can use it:
 *
 * ```ts
 * await app.register(tesseraPlugin, { verifier: { baseUrl: 'http://127.0.0.1:8080' } });
 * app.post('/subscriptions/:id/run', { onRequest: app.requireToken({ permission: 'subscription:execute' }) }, …);
 * ```
 */
export const tesseraPlugin = fp<TesseraPluginOptions>(
  async (app, options) => {
    const verifier = 'verify' in options.verifier ? options.verifier : createVerifier(options.verifier);
    app.decorateRequest('tessera', null);
    app.decorate('requireToken', (requirement = {}) => requireToken(verifier, requirement));
  },
  { name: '@tessera/sdk', fastify: '5.x' },
);
