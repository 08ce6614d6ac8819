import { buildApp, redactToken } from './app.ts';

/**
 * Starts the example reporting app. Configured by the environment: `TESSERA_URL` (default
 * `http://127.0.0.1:8080`), `PORT` (default 3000), `HOST` (default 127.0.0.1) and `TESSERA_CACHE_TTL_MS`
 * (default 5000).
 */
const tesseraUrl = process.env.TESSERA_URL ?? 'http://127.0.0.1:8080';
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const cacheTtlMs = Number(process.env.TESSERA_CACHE_TTL_MS ?? 5_000);
for (const [name, value] of [
  ['PORT', port],
  ['TESSERA_CACHE_TTL_MS', cacheTtlMs],
] as const) {
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name} must be a whole number, got ${JSON.stringify(process.env[name])}`);
    process.exit(1);
  }
}

const app = await buildApp({
  tesseraUrl,
  cacheTtlMs,
  logger: {
    level: process.env.LOG_LEVEL ?? 'info',
    serializers: {
      req: (request) => ({
        method: request.method,
        url: redactToken(request.url),
        remoteAddress: request.ip,
      }),
    },
  },
});
const address = await app.listen({ port, host });
console.log(`Reporting app listening on ${address}, checking tokens with Tessera at ${tesseraUrl}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
