import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteContext } from '../context.ts';

const LANDING = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tessera</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;color:#1f2937}code{background:#f3f4f6;padding:.1rem .3rem;border-radius:4px}</style>
</head><body>
<h1>Tessera</h1>
<p>The token service is running. Sign in with <code>POST /api/auth/login</code> and manage tokens over the REST API.</p>
<ul>
<li><a href="/openapi.json">OpenAPI document</a> (Swagger UI at <a href="/docs">/docs</a> once <code>feature_flags.enable_swagger</code> is on)</li>
<li><a href="/healthz">Health</a> and <a href="/metrics">metrics</a></li>
</ul>
</body></html>`;

/** Health, metrics, the OpenAPI document and the landing page. */
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

  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(LANDING),
  );
};
