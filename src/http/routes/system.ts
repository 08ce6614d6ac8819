import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteContext } from '../context.ts';

/** Health, metrics and the OpenAPI document. The console at `/` is in console.ts. */
export const systemRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { tessera, metrics }) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness and database reachability',
        response: {
          200: Type.Object({ status: Type.Literal('ok'), database: Type.String() }),
          503: Type.Object({ status: Type.Literal('unavailable'), database: Type.String() }),
        },
      },
    },
    async (_request, reply) => {
      try {
        await tessera.store.ping();
        return { status: 'ok' as const, database: tessera.store.dialect };
      } catch {
        return reply.code(503).send({ status: 'unavailable' as const, database: tessera.store.dialect });
      }
    },
  );

  app.get(
    '/metrics',
    { schema: { tags: ['system'], summary: 'Prometheus metrics' } },
    async (_request, reply) => {
      reply.header('Content-Type', metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // Where seed 003's clients look for the same document.
  app.get('/openapi/api_authentication/', { schema: { hide: true } }, async () => app.swagger());
};
