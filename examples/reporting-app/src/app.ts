import { tesseraPlugin } from '@tessera/sdk/fastify';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { reportRoutes } from './routes/reports.ts';
import { semanticModelRoutes } from './routes/semantic-models.ts';
import { subscriptionRoutes } from './routes/subscriptions.ts';

/** How the reporting app reaches Tessera. */
export interface AppOptions {
  /** Tessera's base URL, e.g. `http://127.0.0.1:8080`. */
  tesseraUrl: string;
  /** How long the SDK reuses Tessera's answers, in ms. */
  cacheTtlMs?: number;
  logger?: FastifyServerOptions['logger'];
}

/** A token may arrive as `?token=`: the log shows the URL without it. */
export function redactToken(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}

/**
 * The example reporting app: subscriptions, semantic-model refreshes and shared reports, each route
 * protected by the Tessera SDK's `requireToken` hook. Built here, listened on in `main.ts`.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false });
  await app.register(tesseraPlugin, {
    verifier: { baseUrl: options.tesseraUrl, cacheTtlMs: options.cacheTtlMs ?? 5_000, timeoutMs: 2_000 },
  });
  // Bad input: 400 with the field named, in the same shape as the SDK's refusals.
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error.validation) {
      const field = error.validation[0]?.instancePath.replace(/^\//, '') || error.validationContext;
      return reply
        .code(400)
        .send({ error: { code: 'VALIDATION_FAILED', message: `${field}: ${error.message}`, field } });
    }
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    return reply.code(status).send({
      error: { code: error.code ?? 'INTERNAL', message: status < 500 ? error.message : 'Internal error.' },
    });
  });
  await app.register(subscriptionRoutes);
  await app.register(semanticModelRoutes);
  await app.register(reportRoutes);
  return app;
}
