import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteContext } from '../context.ts';
import { errorResponses } from '../errors.ts';
import {
  Cursor,
  Id,
  Limit,
  OwnSessionJson,
  pageOf,
  ref,
  SessionJson,
  StringEnum,
  security,
  sessionJson,
  TokenStatusSchema,
  Uuid,
} from '../schemas.ts';
import { IdParams } from './tokens.ts';

const SessionListQuery = Type.Object({
  type: Type.Optional(
    StringEnum(['mobile', 'console'] as const, {
      description: 'Mobile app or console sessions; default mobile.',
    }),
  ),
  status: Type.Optional(TokenStatusSchema),
  userId: Type.Optional(Id),
  departmentId: Type.Optional(Id),
  userTypeId: Type.Optional(Id),
  q: Type.Optional(
    Type.String({ maxLength: 100, description: 'Text to find in the username, email or device name.' }),
  ),
  sort: Type.Optional(StringEnum(['createdAt', 'expiresAt', 'lastActiveAt'] as const)),
  order: Type.Optional(StringEnum(['asc', 'desc'] as const)),
  limit: Type.Optional(Limit),
  cursor: Type.Optional(Cursor),
});

const tags = ['sessions'];

/**
 * Seed 004's "Mobile Users Logged In": administrators list, inspect and end the tenant's sign-in sessions;
 * every user lists and ends their own under /api/me/sessions.
 */
export const sessionRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { tessera }) => {
  app.get(
    '/api/sessions',
    {
      schema: {
        tags,
        security,
        summary: 'List sign-in sessions (administrators), mobile by default; filtered, sorted and paginated',
        querystring: SessionListQuery,
        response: { 200: pageOf(ref(SessionJson)), ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const { type, q, sort, order, limit, ...filters } = request.query;
      const page = await tessera.sessions.list(request.principal, {
        ...filters,
        type: type ?? 'mobile',
        text: q,
        sort: sort ?? 'createdAt',
        order: order ?? 'desc',
        limit: limit ?? 50,
      });
      return { items: page.items.map(sessionJson), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/sessions/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Inspect a sign-in session: user, email, department, user type, last active, expiry',
        params: IdParams,
        response: { 200: ref(SessionJson), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => sessionJson(await tessera.sessions.get(request.principal, request.params.id)),
  );

  app.delete(
    '/api/sessions/:id',
    {
      schema: {
        tags,
        security,
        summary: 'End a sign-in session: the device is signed out on its next request',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await tessera.sessions.revoke(request.principal, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/sessions/_revoke',
    {
      schema: {
        tags,
        security,
        summary: 'End many sessions in one transaction; returns how many were active',
        body: Type.Object(
          { ids: Type.Array(Uuid, { minItems: 1, maxItems: 1000 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ revoked: Type.Integer() }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ revoked: await tessera.sessions.revokeMany(request.principal, request.body.ids) }),
  );

  app.get(
    '/api/me/sessions',
    {
      schema: {
        tags: ['me', ...tags],
        security,
        summary: 'Your active sign-in sessions, console and mobile; the one in use is marked current',
        querystring: Type.Object({ limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) }),
        response: { 200: pageOf(ref(OwnSessionJson)), ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const page = await tessera.sessions.listOwn(request.principal, {
        limit: request.query.limit ?? 50,
        cursor: request.query.cursor,
      });
      return { items: page.items.map(sessionJson), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/api/me/sessions/_revoke-all',
    {
      schema: {
        tags: ['me', ...tags],
        security,
        summary:
          'Sign out everywhere: end all your other console and mobile sessions; returns how many ended',
        response: { 200: Type.Object({ revoked: Type.Integer() }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ revoked: await tessera.profile.signOutEverywhere(request.principal) }),
  );

  app.delete(
    '/api/me/sessions/:id',
    {
      schema: {
        tags: ['me', ...tags],
        security,
        summary: 'End one of your sessions (signing that device out)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await tessera.sessions.revokeOwn(request.principal, request.params.id);
      return reply.code(204).send(null);
    },
  );
};
