/**
 * The bench's baseline: a bare Fastify app whose one route takes a JSON body and answers a constant JSON,
 * the least any JSON-over-HTTP verification endpoint can cost. Runs as a child of bench/run.ts.
 */
import Fastify from 'fastify';
import { announce } from './lifecycle.ts';

const app = Fastify({ logger: false });
app.post('/hello', async () => ({ hello: 'world' }));
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
announce({ url: `http://127.0.0.1:${port}` }, () => app.close());
