import type { Verifier } from '@tessera/sdk';
import { tesseraPlugin } from '@tessera/sdk/fastify';
import Fastify from 'fastify';
import { describeMiddleware } from './middleware-cases.ts';

async function startFastifyApp(verifier: Verifier) {
  const app = Fastify();
  await app.register(tesseraPlugin, { verifier });
  app.post<{ Params: { id: string } }>(
    '/subscriptions/:id/run',
    {
      onRequest: app.requireToken<{ Params: { id: string } }>({
        permission: 'subscription:execute',
        resource: (request) => `subscription:${request.params.id}`,
      }),
    },
    async (request) => request.tessera,
  );
  app.get('/share', { onRequest: app.requireToken({ kinds: ['shr'] }) }, async (request) => request.tessera);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: () => app.close() };
}

describeMiddleware('Fastify', startFastifyApp);
