import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from 'typebox';
import { shareLink } from '../../core/reports.ts';
import type { RouteContext } from '../context.ts';
import { errorResponses } from '../errors.ts';
import {
  CreatedTokenJson,
  Cursor,
  Description,
  Id,
  Limit,
  Name,
  PermissionName,
  pageOf,
  ReportId,
  ref,
  StringEnum,
  security,
  TokenDetailsJson,
  TokenJson,
  TokenKindSchema,
  TokenStatusSchema,
  tokenDetailsJson,
  tokenJson,
  Uuid,
} from '../schemas.ts';

const nullableId = Type.Union([Id, Type.Null()]);

/** Expiry and naming fields shared by admin API tokens and personal tokens. */
export const TokenBasics = {
  name: Name,
  description: Type.Optional(Type.Union([Description, Type.Null()])),
  expiresInDays: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 3650, description: 'A preset (30, 60, 90) or any number of days.' }),
  ),
  expiresAt: Type.Optional(
    Type.String({
      minLength: 10,
      maxLength: 40,
      description: 'A custom expiry: an ISO 8601 date (end of that day, UTC) or date-time.',
    }),
  ),
};

const CreateTokenBody = Type.Object(
  {
    type: Type.Optional(Type.Literal('api', { description: 'An API token (the default).' })),
    ...TokenBasics,
    permissions: Type.Array(PermissionName, {
      maxItems: 100,
      description: "A subset of the associated user's and of your own.",
    }),
    userId: Type.Optional(
      Type.Union([Id], {
        description: 'The associated user whose permissions bound the token; default: you.',
      }),
    ),
    departmentId: Type.Optional(nullableId),
    userTypeId: Type.Optional(nullableId),
    resources: Type.Optional(
      Type.Array(Type.String({ minLength: 3, maxLength: 300 }), {
        maxItems: 100,
        description: 'Bind to resources, e.g. report:team:sales-dashboard.',
      }),
    ),
    retrievable: Type.Optional(
      Type.Boolean({ description: 'Keep the token encrypted so admins can reveal it later (admins only).' }),
    ),
  },
  { additionalProperties: false },
);

/** Seed 001: a share token bound to one report, no permissions, always retrievable. */
const ShareTokenBody = Type.Object(
  {
    type: Type.Literal('report', { description: 'A report share token (kind shr).' }),
    reportId: ReportId,
    name: Type.Optional(Type.Union([Name], { description: 'Default: "Share link for <report name>".' })),
    expiresInDays: TokenBasics.expiresInDays,
    expiresAt: TokenBasics.expiresAt,
  },
  { additionalProperties: false },
);

/**
 * `type: "report"` selects the share-token body, anything else the API-token body. if/then/else rather than
 * a union, so that a refusal names the field of the body that was meant, not of the other one.
 */
const TokenOrShareBody = Type.Unsafe<Static<typeof CreateTokenBody> | Static<typeof ShareTokenBody>>({
  type: 'object',
  if: { type: 'object', properties: { type: { const: 'report' } }, required: ['type'] },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else, not a thenable
  then: ShareTokenBody,
  else: CreateTokenBody,
});

export const TokenListQuery = Type.Object({
  status: Type.Optional(TokenStatusSchema),
  kind: Type.Optional(TokenKindSchema),
  userId: Type.Optional(Id),
  departmentId: Type.Optional(Id),
  userTypeId: Type.Optional(Id),
  q: Type.Optional(Type.String({ maxLength: 100, description: 'Text to find in the name or description.' })),
  expiringWithinDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  sort: Type.Optional(StringEnum(['createdAt', 'expiresAt', 'name'] as const)),
  order: Type.Optional(StringEnum(['asc', 'desc'] as const)),
  limit: Type.Optional(Limit),
  cursor: Type.Optional(Cursor),
});

export const IdParams = Type.Object({ id: Uuid });
const tags = ['tokens'];

/** Admin-issued API tokens (seeds 000 and 004): create, list, inspect, rename, revoke, bulk revoke, rotate, reveal. */
export const tokenRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { tessera, baseUrl }) => {
  app.post(
    '/api/tokens',
    {
      schema: {
        tags,
        security,
        summary:
          'Create an API token, or with type "report" a report share token; an API token string is in this response only',
        body: TokenOrShareBody,
        response: { 201: ref(CreatedTokenJson), ...errorResponses(401, 403, 404, 413, 415) },
      },
      // The document shows the two bodies as a union, which client generators read; validation keeps if/then/else.
      config: {
        swaggerTransform: ({ schema, url }) => ({
          schema: { ...schema, body: Type.Union([CreateTokenBody, ShareTokenBody]) },
          url,
        }),
      },
    },
    async (request, reply) => {
      const body = request.body;
      const { token, record } =
        body.type === 'report'
          ? await tessera.reports.createShareToken(request.principal, body)
          : await tessera.tokens.create(request.principal, body, 'api');
      const url = body.type === 'report' ? { url: shareLink(baseUrl(), token) } : {};
      return reply.code(201).send({ ...tokenJson(record), token, ...url });
    },
  );

  app.get(
    '/api/tokens',
    {
      schema: {
        tags,
        security,
        summary: 'List tokens (admins: the whole tenant; members: their own), filtered, sorted and paginated',
        querystring: TokenListQuery,
        response: { 200: pageOf(ref(TokenJson)), ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const { kind, sort, order, limit, ...filters } = request.query;
      const page = await tessera.tokens.list(
        request.principal,
        {
          ...filters,
          text: filters.q,
          ...(kind ? { kinds: [kind] } : {}),
          sort: sort ?? 'createdAt',
          order: order ?? 'desc',
          limit: limit ?? 50,
        },
        'managed',
      );
      return { items: page.items.map(tokenJson), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/tokens/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Inspect a token: settings, status, usage, associated user, and how to use it',
        params: IdParams,
        response: { 200: ref(TokenDetailsJson), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) =>
      tokenDetailsJson(await tessera.tokens.inspect(request.principal, request.params.id, baseUrl())),
  );

  app.patch(
    '/api/tokens/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Rename a token or change its description',
        params: IdParams,
        body: Type.Object(
          { name: Type.Optional(Name), description: Type.Optional(Type.Union([Description, Type.Null()])) },
          {
            additionalProperties: false,
            minProperties: 1,
          },
        ),
        response: { 200: ref(TokenJson), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) =>
      tokenJson(await tessera.tokens.update(request.principal, request.params.id, request.body)),
  );

  app.delete(
    '/api/tokens/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Revoke a token (the record stays, with status revoked)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await tessera.tokens.revoke(request.principal, request.params.id, 'managed');
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/tokens/_revoke',
    {
      schema: {
        tags,
        security,
        summary: 'Revoke many tokens in one transaction; returns how many were active',
        body: Type.Object(
          { ids: Type.Array(Uuid, { minItems: 1, maxItems: 1000 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ revoked: Type.Integer() }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ revoked: await tessera.tokens.revokeMany(request.principal, request.body.ids) }),
  );

  app.post(
    '/api/tokens/:id/_rotate',
    {
      schema: {
        tags,
        security,
        summary:
          'Replace a token with a new one of the same settings; the old one is revoked now or after a grace period',
        params: IdParams,
        body: Type.Optional(
          Type.Object(
            {
              gracePeriodSeconds: Type.Optional(
                Type.Integer({
                  minimum: 0,
                  maximum: 604800,
                  description: 'Keep the old token working this long (max 7 days).',
                }),
              ),
            },
            { additionalProperties: false },
          ),
        ),
        response: { 201: ref(CreatedTokenJson), ...errorResponses(401, 403, 404, 409) },
      },
      // The body is optional, but the schema would refuse a missing one as "must be object".
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const { token, record } = await tessera.tokens.rotate(
        request.principal,
        request.params.id,
        request.body?.gracePeriodSeconds ?? 0,
      );
      return reply.code(201).send({ ...tokenJson(record), token });
    },
  );

  app.post(
    '/api/tokens/:id/_reveal',
    {
      schema: {
        tags,
        security,
        summary: 'Show a retrievable token again (admins only; audited)',
        params: IdParams,
        response: { 200: Type.Object({ token: Type.String() }), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => ({ token: await tessera.tokens.reveal(request.principal, request.params.id) }),
  );
};
