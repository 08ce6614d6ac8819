import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Gauge } from 'prom-client';
import { Type } from 'typebox';
import type { RouteContext } from '../context.ts';
import { errorResponses } from '../errors.ts';

/** Health, metrics and the OpenAPI document. The console at `/` is in console.ts. */
export const systemRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { tessera, metrics }) => {
  const { invalidation } = tessera;
  if (invalidation && invalidation.state !== 'publishing') {
    new Gauge({
      name: 'tessera_cache_invalidation_listening',
      help: "1 while other nodes' revocations reach this node (LISTEN/NOTIFY); 0 while it reconnects.",
      registers: [metrics.registry],
      collect() {
        this.set(invalidation.state === 'listening' ? 1 : 0);
      },
    });
  }
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
    {
      schema: {
        tags: ['system'],
        summary: 'Prometheus metrics (TESSERA_METRICS: off, open, or a bearer token)',
        response: errorResponses(401, 404),
      },
    },
    async (request, reply) => {
      metrics.authorize(request.headers.authorization);
      reply.header('Content-Type', metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // Where seed 003's clients look for the same document.
  app.get('/openapi/api_authentication/', { schema: { hide: true } }, async () => app.swagger());
};
