import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OAuthClient } from '../../core/model.ts';
import { MAX_CLIENT_TOKEN_LIFESPAN } from '../../core/oauth/clients.ts';
import type { RouteContext } from '../context.ts';
import { errorResponses } from '../errors.ts';
import { Id, Iso, iso, isoOrNull, Name, PermissionName, security } from '../schemas.ts';

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const ClientJson = Type.Object(
  {
    client_id: Type.String({ description: 'The OAuth client id, cli_…' }),
    name: Type.String(),
    permissions: Type.Array(Type.String(), { description: 'The scopes the client may ask for.' }),
    accessTokenLifespan: nullable(
      Type.Integer({ description: 'Seconds; null: the authentication.token.access_token_lifespan setting.' }),
    ),
    userId: Type.Integer({ description: 'The owner whose permissions bound the client’s tokens.' }),
    tenantId: Type.String(),
    secretHint: Type.String({ description: 'The secret’s prefix and last four characters.' }),
    createdBy: nullable(Type.Integer()),
    createdAt: Iso,
    secretRotatedAt: nullable(Iso),
  },
  { title: 'OAuthClient' },
);

const CreatedClientJson = Type.Object(
  {
    ...ClientJson.properties,
    client_secret: Type.String({
      description: 'The client secret. Shown in this response only: copy it now.',
    }),
  },
  { title: 'CreatedOAuthClient' },
);

const ClientParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const tags = ['oauth clients'];

function clientJson(c: OAuthClient) {
  return {
    client_id: c.id,
    name: c.name,
    permissions: c.permissions,
    accessTokenLifespan: c.accessTokenLifespan,
    userId: c.userId,
    tenantId: c.tenantId,
    secretHint: c.secretHint,
    createdBy: c.createdBy,
    createdAt: iso(c.createdAt),
    secretRotatedAt: isoOrNull(c.secretRotatedAt),
  };
}

/** Registered OAuth clients (admins with clients:manage): register, list, read, delete, rotate the secret. */
export const clientRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { tessera }) => {
  const client = ClientJson;
  const created = CreatedClientJson;

  app.post(
    '/api/clients',
    {
      schema: {
        tags,
        security,
        summary: 'Register an OAuth client; the client secret is in this response only',
        body: Type.Object(
          {
            name: Name,
            permissions: Type.Array(PermissionName, {
              minItems: 1,
              maxItems: 100,
              description: 'The scopes the client may ask for: held by its owner and by you.',
            }),
            accessTokenLifespan: Type.Optional(
              nullable(
                Type.Integer({
                  minimum: 1,
                  maximum: MAX_CLIENT_TOKEN_LIFESPAN,
                  description:
                    'Access-token lifespan in seconds; default: the access-token lifespan setting.',
                }),
              ),
            ),
            userId: Type.Optional(
              Type.Union([Id], {
                description: 'The owner whose permissions bound the client; default: you.',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: created, ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      const result = await tessera.clients.create(request.principal, request.body);
      return reply.code(201).send({ ...clientJson(result.client), client_secret: result.secret });
    },
  );

  app.get(
    '/api/clients',
    {
      schema: {
        tags,
        security,
        summary: 'List the tenant’s OAuth clients, newest first',
        response: { 200: Type.Object({ items: Type.Array(client) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ items: (await tessera.clients.list(request.principal)).map(clientJson) }),
  );

  app.get(
    '/api/clients/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Read an OAuth client (never its secret)',
        params: ClientParams,
        response: { 200: client, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => clientJson(await tessera.clients.get(request.principal, request.params.id)),
  );

  app.delete(
    '/api/clients/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete an OAuth client and revoke every token issued to it',
        params: ClientParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await tessera.clients.delete(request.principal, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/clients/:id/_rotate-secret',
    {
      schema: {
        tags,
        security,
        summary: 'Replace the client secret (the old one stops working at once); the new one is shown once',
        params: ClientParams,
        response: { 200: created, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const result = await tessera.clients.rotateSecret(request.principal, request.params.id);
      return { ...clientJson(result.client), client_secret: result.secret };
    },
  );
};
