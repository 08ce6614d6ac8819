import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteContext } from '../context.ts';
import { errorResponses } from '../errors.ts';
import {
  CreatedTokenJson,
  Cursor,
  Limit,
  PermissionName,
  pageOf,
  ref,
  SafeLine,
  security,
  TokenJson,
  tokenJson,
  UserJson,
  userJson,
} from '../schemas.ts';
import { IdParams, TokenBasics } from './tokens.ts';

/** The signed-in user's profile and personal API access tokens (seed 002). */
export const meRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { tessera }) => {
  app.get(
    '/api/me',
    {
      schema: {
        tags: ['me'],
        security,
        summary: 'Your profile',
        response: { 200: ref(UserJson), ...errorResponses(401) },
      },
    },
    async (request) => userJson(await tessera.profile.get(request.principal)),
  );

  app.patch(
    '/api/me',
    {
      schema: {
        tags: ['me'],
        security,
        summary:
          'Change your full name, email, preferred language or password; email and password only from a console session, a new password with the current one, ending your other sessions',
        body: Type.Object(
          {
            fullName: Type.Optional(Type.Union([SafeLine({ maxLength: 200 }), Type.Null()])),
            email: Type.Optional(Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()])),
            preferredLanguage: Type.Optional(Type.Union([Type.String({ maxLength: 35 }), Type.Null()])),
            password: Type.Optional(Type.String({ maxLength: 1000 })),
            currentPassword: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: ref(UserJson), ...errorResponses(401, 403, 429) },
      },
    },
    async (request) => userJson(await tessera.profile.update(request.principal, request.body)),
  );

  app.get(
    '/api/me/tokens',
    {
      schema: {
        tags: ['me'],
        security,
        summary: 'Your personal API access tokens',
        querystring: Type.Object({ limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) }),
        response: { 200: pageOf(ref(TokenJson)), ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const page = await tessera.tokens.list(
        request.principal,
        { sort: 'createdAt', order: 'desc', limit: request.query.limit ?? 50, cursor: request.query.cursor },
        'personal',
      );
      return { items: page.items.map(tokenJson), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/api/me/tokens',
    {
      schema: {
        tags: ['me'],
        security,
        summary: 'Create a personal API access token; the token string is in this response only',
        body: Type.Object(
          {
            ...TokenBasics,
            permissions: Type.Optional(
              Type.Array(Type.Union([Type.Literal('*'), PermissionName]), {
                maxItems: 100,
                description: 'Default ["*"]: everything you hold, as your password would.',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: ref(CreatedTokenJson), ...errorResponses(401, 403, 413, 415) },
      },
    },
    async (request, reply) => {
      const { permissions, ...rest } = request.body;
      const { token, record } = await tessera.tokens.create(
        request.principal,
        { ...rest, permissions: permissions ?? ['*'] },
        'pat',
      );
      return reply.code(201).send({ ...tokenJson(record), token });
    },
  );

  app.delete(
    '/api/me/tokens/:id',
    {
      schema: {
        tags: ['me'],
        security,
        summary: 'Revoke one of your personal tokens',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await tessera.tokens.revoke(request.principal, request.params.id, 'personal');
      return reply.code(204).send(null);
    },
  );
};
