import type { AddressInfo } from 'node:net';
import type { Verifier } from '@tessera/sdk';
import { tesseraExpress } from '@tessera/sdk/express';
import express from 'express';
import { describeMiddleware } from './middleware-cases.ts';

async function startExpressApp(verifier: Verifier) {
  const app = express();
  const tessera = tesseraExpress(verifier);
  app.post(
    '/subscriptions/:id/run',
    tessera.requireToken({
      permission: 'subscription:execute',
      resource: (req) => `subscription:${req.params.id}`,
    }),
    (req, res) => {
      // The identity is on the request and in res.locals, typed.
      if (res.locals.tessera?.tokenId !== req.tessera?.tokenId) throw new Error('locals and request differ');
      res.json(req.tessera);
    },
  );
  app.get('/share', tessera.requireToken({ kinds: ['shr'] }), (req, res) => {
    res.json(req.tessera);
  });
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describeMiddleware('Express', startExpressApp);
