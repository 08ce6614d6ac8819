import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { type IdRoute, idParams } from './params.ts';

/** Seed 000: an external application starts a subscription job with an API token. */
export async function subscriptionRoutes(app: FastifyInstance): Promise<void> {
  app.post<IdRoute>(
    '/subscriptions/:id/run',
    {
      schema: { params: idParams },
      onRequest: app.requireToken<IdRoute>({
        permission: 'subscription:execute',
        resource: (request) => `subscription:${request.params.id}`,
      }),
    },
    async (request, reply) => {
      const identity = request.tessera!;
      // A real app would queue the job here; the example answers what it would have queued.
      return reply.code(202).send({
        subscriptionId: request.params.id,
        jobId: randomUUID(),
        status: 'queued',
        triggeredBy: { tokenId: identity.tokenId, userId: identity.userId },
      });
    },
  );
}
