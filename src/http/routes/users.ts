import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { DirectoryKind } from '../../core/model.ts';
import type { RouteContext } from '../context.ts';
import { errorResponses } from '../errors.ts';
import {
  Cursor,
  Description,
  DirectoryEntryJson,
  entryJson,
  Id,
  Limit,
  Name,
  PermissionName,
  pageOf,
  ref,
  SafeLine,
  StringEnum,
  security,
  UserJson,
  userJson,
} from '../schemas.ts';

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const IdParams = Type.Object({ id: Id });

const UserFields = {
  username: SafeLine({ minLength: 1, maxLength: 100 }),
  email: Type.Optional(nullable(Type.String({ format: 'email', maxLength: 254 }))),
  fullName: Type.Optional(nullable(SafeLine({ maxLength: 200 }))),
  role: Type.Optional(StringEnum(['admin', 'member'] as const)),
  permissions: Type.Optional(
    nullable(
      Type.Array(PermissionName, {
        maxItems: 200,
        description: 'Explicit permissions; null or absent: the role defaults.',
      }),
    ),
  ),
  departmentId: Type.Optional(nullable(Id)),
  userTypeId: Type.Optional(nullable(Id)),
  preferredLanguage: Type.Optional(nullable(Type.String({ maxLength: 35 }))),
  password: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  sso: Type.Optional(
    Type.Boolean({
      description:
        'Signs in through single sign-on: cannot create refresh tokens with a password (POST /api/me/refresh-tokens instead).',
    }),
  ),
};

/** Users (admin only). */
export const userRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { tessera }) => {
  const tags = ['users'];
  app.get(
    '/api/users',
    {
      schema: {
        tags,
        security,
        summary: 'List users',
        querystring: Type.Object({
          q: Type.Optional(
            Type.String({ maxLength: 100, description: 'Text to find in the username, full name or email.' }),
          ),
          role: Type.Optional(StringEnum(['admin', 'member'] as const)),
          departmentId: Type.Optional(Id),
          userTypeId: Type.Optional(Id),
          limit: Type.Optional(Limit),
          cursor: Type.Optional(Cursor),
        }),
        response: { 200: pageOf(ref(UserJson)), ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const { q, limit, ...rest } = request.query;
      const page = await tessera.users.list(request.principal, { ...rest, text: q, limit: limit ?? 50 });
      return { items: page.items.map(userJson), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/api/users',
    {
      schema: {
        tags,
        security,
        summary: 'Create a user holding no more rights than you hold',
        body: Type.Object(UserFields, { additionalProperties: false }),
        response: { 201: ref(UserJson), ...errorResponses(401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(userJson(await tessera.users.create(request.principal, request.body))),
  );

  app.get(
    '/api/users/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Read a user',
        params: IdParams,
        response: { 200: ref(UserJson), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => userJson(await tessera.users.get(request.principal, request.params.id)),
  );

  app.patch(
    '/api/users/:id',
    {
      schema: {
        tags,
        security,
        summary:
          'Change a user; a change of role or permissions applies to their tokens at once, a new password ends their sessions. Changing, signing out or deleting someone needs every right they hold, and nobody gives more than they hold',
        params: IdParams,
        body: Type.Object(
          { ...UserFields, username: Type.Optional(UserFields.username) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: ref(UserJson), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) =>
      userJson(await tessera.users.update(request.principal, request.params.id, request.body)),
  );

  app.post(
    '/api/users/:id/sessions/_revoke-all',
    {
      schema: {
        tags,
        security,
        summary:
          'Sign a user out everywhere: end all their console and mobile sessions (yours but the one in use); returns how many ended',
        params: IdParams,
        response: { 200: Type.Object({ revoked: Type.Integer() }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => ({
      revoked: await tessera.users.signOutEverywhere(request.principal, request.params.id),
    }),
  );

  app.delete(
    '/api/users/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a user and revoke all their tokens',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await tessera.users.delete(request.principal, request.params.id);
      return reply.code(204).send(null);
    },
  );
};

/** Departments and user types (seed 004): the same five endpoints for each. */
export const directoryRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { tessera }) => {
  const entries: [DirectoryKind, string, string][] = [
    ['departments', '/api/departments', 'department'],
    ['user_types', '/api/user-types', 'user type'],
  ];
  for (const [kind, base, noun] of entries) {
    const tags = [kind === 'departments' ? 'departments' : 'user types'];
    const Body = Type.Object(
      { name: Name, description: Type.Optional(nullable(Description)) },
      { additionalProperties: false },
    );
    app.get(
      base,
      {
        schema: {
          tags,
          security,
          summary: `List ${noun}s`,
          response: {
            200: Type.Object({ items: Type.Array(ref(DirectoryEntryJson)) }),
            ...errorResponses(401, 403),
          },
        },
      },
      async (request) => ({
        items: (await tessera.directory.list(request.principal, kind)).map(entryJson),
      }),
    );
    app.post(
      base,
      {
        schema: {
          tags,
          security,
          summary: `Create a ${noun}`,
          body: Body,
          response: { 201: ref(DirectoryEntryJson), ...errorResponses(401, 403, 409) },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(entryJson(await tessera.directory.create(request.principal, kind, request.body))),
    );
    app.get(
      `${base}/:id`,
      {
        schema: {
          tags,
          security,
          summary: `Read a ${noun}`,
          params: IdParams,
          response: { 200: ref(DirectoryEntryJson), ...errorResponses(401, 403, 404) },
        },
      },
      async (request) => entryJson(await tessera.directory.get(request.principal, kind, request.params.id)),
    );
    app.patch(
      `${base}/:id`,
      {
        schema: {
          tags,
          security,
          summary: `Rename a ${noun} or change its description`,
          params: IdParams,
          body: Type.Object(
            { name: Type.Optional(Name), description: Type.Optional(nullable(Description)) },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: ref(DirectoryEntryJson), ...errorResponses(401, 403, 404, 409) },
        },
      },
      async (request) =>
        entryJson(await tessera.directory.update(request.principal, kind, request.params.id, request.body)),
    );
    app.delete(
      `${base}/:id`,
      {
        schema: {
          tags,
          security,
          summary: `Delete a ${noun} no user or active token uses`,
          params: IdParams,
          response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        await tessera.directory.delete(request.principal, kind, request.params.id);
        return reply.code(204).send(null);
      },
    );
  }
};
