import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteContext } from '../context.ts';
import { errorResponses } from '../errors.ts';
import { Name, ReportId, ReportTokenJson, ref, reportTokenJson, security, Uuid } from '../schemas.ts';

const ReportIdParams = Type.Object({ id: ReportId });

const PublishBody = Type.Object(
  {
    name: Type.Optional(Name),
    expiresAt: Type.Optional(
      Type.String({
        minLength: 10,
        maxLength: 40,
        description: 'An ISO 8601 date (end of that day, UTC) or date-time; default: the cloud’s default.',
      }),
    ),
  },
  { additionalProperties: false },
);

const tags = ['reports'];

/** Seed 001's cloud publishing: share tokens for a local report, created and revoked on the cloud instance. */
export const cloudRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { tessera }) => {
  app.post(
    '/api/reports/:id/_cloud-publish',
    {
      schema: {
        tags,
        security,
        summary:
          'Publish a report to the cloud instance: a share token created there (the report registered first when new)',
        params: ReportIdParams,
        body: Type.Optional(PublishBody),
        response: { 201: ref(ReportTokenJson), ...errorResponses(401, 403, 404, 409, 502) },
      },
      // The body is optional, but the schema would refuse a missing one as "must be object".
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const token = await tessera.cloud.publish(request.principal, request.params.id, request.body ?? {});
      return reply.code(201).send(reportTokenJson(token));
    },
  );

  app.delete(
    '/api/reports/:id/cloud-tokens/:tokenId',
    {
      schema: {
        tags,
        security,
        summary: 'Revoke one of the report’s share tokens on the cloud instance',
        params: Type.Object({ ...ReportIdParams.properties, tokenId: Uuid }),
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409, 502) },
      },
    },
    async (request, reply) => {
      await tessera.cloud.revoke(request.principal, request.params.id, request.params.tokenId);
      return reply.code(204).send(null);
    },
  );
};
