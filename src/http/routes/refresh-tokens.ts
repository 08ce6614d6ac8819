import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteContext } from '../context.ts';
import { errorResponses } from '../errors.ts';
import {
  CreatedTokenJson,
  Cursor,
  Limit,
  Name,
  pageOf,
  ref,
  security,
  TokenJson,
  tokenJson,
} from '../schemas.ts';
import { IdParams } from './tokens.ts';

/**
 * The signed-in user's refresh tokens (seed 003), managed from the console: the way single-sign-on users,
 * who have no password for `/integration/v1/createRefreshToken/`, get one.
 */
export const refreshTokenRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { tessera }) => {
  const own = tessera.ownRefreshTokens;
  const tags = ['me'];

  app.get(
    '/api/me/refresh-tokens',
    {
      schema: {
        tags,
        security,
        summary: 'Your refresh tokens, newest first, whatever their status',
        querystring: Type.Object({ limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) }),
        response: { 200: pageOf(ref(TokenJson)), ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const page = await own.list(request.principal, { limit: limit ?? 50, cursor });
      return { items: page.items.map(tokenJson), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/api/me/refresh-tokens',
    {
      schema: {
        tags,
        security,
        summary: 'Create a refresh token (also for single-sign-on users); the token is in this response only',
        description: 'Lifespan: authentication.token.refresh_token_lifespan days, as set now.',
        body: Type.Object({ name: Name }, { additionalProperties: false }),
        response: { 201: ref(CreatedTokenJson), ...errorResponses(401, 403, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const { token, record } = await own.create(request.principal, request.body.name);
      return reply.code(201).send({ ...tokenJson(record), token });
    },
  );

  app.post(
    '/api/me/refresh-tokens/:id/_regenerate',
    {
      schema: {
        tags,
        security,
        summary:
          'Replace one of your refresh tokens: same name, a new secret; the old one and its access tokens revoked',
        params: IdParams,
        response: { 201: ref(CreatedTokenJson), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { token, record } = await own.regenerate(request.principal, request.params.id);
      return reply.code(201).send({ ...tokenJson(record), token });
    },
  );

  app.delete(
    '/api/me/refresh-tokens/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Revoke one of your refresh tokens and every access token minted from it',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await own.revoke(request.principal, request.params.id);
      return reply.code(204).send(null);
    },
  );
};
