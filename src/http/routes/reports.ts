import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteContext } from '../context.ts';
import { errorResponses } from '../errors.ts';
import {
  Cursor,
  Description,
  Limit,
  Name,
  pageOf,
  ReportId,
  ReportJson,
  ReportTokenListJson,
  ref,
  reportJson,
  reportTokenJson,
  security,
} from '../schemas.ts';

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

// Ids contain `:` and arrive raw or percent-encoded (`team%3Asales-dashboard`); the router decodes both alike.
const ReportParams = Type.Object({ id: ReportId });

const ViewerUrl = Type.String({
  minLength: 1,
  maxLength: 2000,
  description:
    'An http(s) URL template where the report is rendered, e.g. https://viewer.example.com/r/{reportId}?t={token}.',
});

const ReportFields = {
  name: Name,
  description: Type.Optional(nullable(Description)),
  viewerUrl: Type.Optional(nullable(ViewerUrl)),
};

const tags = ['reports'];

/** Reports that share tokens bind to (seed 001): CRUD, and the report's share tokens, local and cloud. */
export const reportRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { tessera, baseUrl }) => {
  app.get(
    '/api/reports',
    {
      schema: {
        tags,
        security,
        summary: 'List reports (reports:read), ordered by id',
        querystring: Type.Object({
          q: Type.Optional(
            Type.String({ maxLength: 100, description: 'Text to find in id, name or description.' }),
          ),
          limit: Type.Optional(Limit),
          cursor: Type.Optional(Cursor),
        }),
        response: { 200: pageOf(ref(ReportJson)), ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const { q, limit, cursor } = request.query;
      const page = await tessera.reports.list(request.principal, { text: q, limit: limit ?? 50, cursor });
      return { items: page.items.map(reportJson), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/api/reports',
    {
      schema: {
        tags,
        security,
        summary: 'Create a report (admins with reports:manage)',
        body: Type.Object({ id: ReportId, ...ReportFields }, { additionalProperties: false }),
        response: { 201: ref(ReportJson), ...errorResponses(401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(reportJson(await tessera.reports.create(request.principal, request.body))),
  );

  app.get(
    '/api/reports/:id',
    {
      // A share token of this report opens it, as `Authorization: Bearer` or `?token=` (seed 001).
      config: { shareTokens: true },
      schema: {
        tags,
        security,
        summary: 'Read a report (reports:read, or a share token of this report)',
        params: ReportParams,
        response: { 200: ref(ReportJson), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => reportJson(await tessera.reports.get(request.principal, request.params.id)),
  );

  app.patch(
    '/api/reports/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change a report’s name, description or viewer URL (admins with reports:manage)',
        params: ReportParams,
        body: Type.Object(
          { ...ReportFields, name: Type.Optional(Name) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: ref(ReportJson), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) =>
      reportJson(await tessera.reports.update(request.principal, request.params.id, request.body)),
  );

  app.delete(
    '/api/reports/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a report and revoke its share tokens (admins with reports:manage)',
        params: ReportParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await tessera.reports.delete(request.principal, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/reports/:id/tokens',
    {
      schema: {
        tags,
        security,
        summary:
          'The report’s active share tokens: local ones, then the cloud’s; a warning instead when the cloud fails',
        description:
          'Share links are bearer secrets: admins with reports:manage get every one (and the cloud’s); anyone else with reports:read only those they created. Links are built from TESSERA_PUBLIC_URL or the listen address, never from the request’s Host header.',
        params: ReportParams,
        response: { 200: ref(ReportTokenListJson), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const listing = await tessera.reports.shareTokens(request.principal, request.params.id, baseUrl());
      return { tokens: listing.tokens.map(reportTokenJson), warning: listing.warning };
    },
  );
};
