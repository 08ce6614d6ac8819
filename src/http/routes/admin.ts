import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteContext } from '../context.ts';
import { errorResponses } from '../errors.ts';
import {
  AuditEventJson,
  auditJson,
  Cursor,
  Id,
  Limit,
  PermissionJson,
  pageOf,
  ref,
  SafeLine,
  SafeText,
  SettingDefinitionJson,
  SettingsJson,
  security,
} from '../schemas.ts';

/** Settings (seed 003's `_conf`), the permission catalog, and the audit log. */
export const adminRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { tessera }) => {
  app.get(
    '/api/settings',
    {
      schema: {
        tags: ['settings'],
        security,
        summary: 'All run-time settings with their values',
        response: { 200: ref(SettingsJson), ...errorResponses(401, 403) },
      },
    },
    (request) => tessera.settings.read(request.principal),
  );

  app.get(
    '/api/settings/_definitions',
    {
      schema: {
        tags: ['settings'],
        security,
        summary: "Every setting's label, description, type, unit, limits, default and secret flag",
        description:
          'What a form needs to show and check the settings; PATCH /api/settings refuses exactly what these describe.',
        response: {
          200: Type.Object({ items: Type.Array(ref(SettingDefinitionJson)) }),
          ...errorResponses(401, 403),
        },
      },
    },
    (request) => ({ items: tessera.settings.definitions(request.principal) }),
  );

  app.patch(
    '/api/settings',
    {
      schema: {
        tags: ['settings'],
        security,
        summary: 'Change settings: {"<dotted key>": value}; all or nothing',
        body: Type.Record(
          Type.String({ maxLength: 200 }),
          Type.Union([Type.Integer(), Type.Boolean(), Type.String({ maxLength: 2000 })]),
          {
            maxProperties: 50,
          },
        ),
        response: { 200: ref(SettingsJson), ...errorResponses(401, 403) },
      },
    },
    (request) => tessera.settings.update(request.principal, request.body),
  );

  app.get(
    '/api/permissions',
    {
      schema: {
        tags: ['permissions'],
        security,
        summary: 'The permission catalog: built-in and tenant permissions with their labels',
        response: { 200: Type.Object({ items: Type.Array(ref(PermissionJson)) }), ...errorResponses(401) },
      },
    },
    async (request) => ({ items: await tessera.catalog.list(request.principal.tenantId) }),
  );

  app.post(
    '/api/permissions',
    {
      schema: {
        tags: ['permissions'],
        security,
        summary: "Add a permission to your tenant's catalog",
        body: Type.Object(
          {
            name: Type.String({ minLength: 3, maxLength: 100 }),
            label: SafeLine({ minLength: 1, maxLength: 100 }),
            description: Type.Optional(SafeText({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: ref(PermissionJson), ...errorResponses(401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await tessera.catalog.add(request.principal, request.body)),
  );

  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        security,
        summary: 'The audit log, newest first',
        querystring: Type.Object({
          action: Type.Optional(
            Type.String({ maxLength: 100, description: 'e.g. token.create, auth.login_failed' }),
          ),
          actorUserId: Type.Optional(Id),
          targetId: Type.Optional(Type.String({ maxLength: 100 })),
          since: Type.Optional(Type.String({ format: 'date-time' })),
          until: Type.Optional(Type.String({ format: 'date-time' })),
          limit: Type.Optional(Limit),
          cursor: Type.Optional(Cursor),
        }),
        response: { 200: pageOf(ref(AuditEventJson)), ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const { since, until, limit, ...rest } = request.query;
      const page = await tessera.audit.list(tessera.store, request.principal, {
        ...rest,
        since: since === undefined ? undefined : Date.parse(since),
        until: until === undefined ? undefined : Date.parse(until),
        limit: limit ?? 50,
      });
      return { items: page.items.map(auditJson), nextCursor: page.nextCursor };
    },
  );
};
