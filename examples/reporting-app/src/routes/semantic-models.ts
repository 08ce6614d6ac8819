import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { type IdRoute, idParams } from './params.ts';

interface RefreshRoute extends IdRoute {
  Querystring: { 'semantic-refresh'?: string };
}

/** Seed 000: refresh a semantic data input model; the seed asks for `semantic-refresh=true`. */
export async function semanticModelRoutes(app: FastifyInstance): Promise<void> {
  app.post<RefreshRoute>(
    '/semantic-models/:id/refresh',
    {
      schema: { params: idParams },
      onRequest: app.requireToken<RefreshRoute>({
        permission: 'semantic-model:refresh',
        resource: (request) => `semantic-model:${request.params.id}`,
      }),
    },
    async (request, reply) => {
      if (request.query['semantic-refresh'] !== 'true') {
        return reply.code(400).send({
          error: {
            code: 'VALIDATION_FAILED',
            message:
              'semantic-refresh: must be true to refresh a semantic model (add ?semantic-refresh=true).',
            field: 'semantic-refresh',
          },
        });
      }
      const identity = request.tessera!;
      return reply.code(202).send({
        semanticModelId: request.params.id,
        refreshId: randomUUID(),
        status: 'refreshing',
        triggeredBy: { tokenId: identity.tokenId, userId: identity.userId },
      });
    },
  );
}
