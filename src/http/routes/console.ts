import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteContext } from '../context.ts';

/** The checkout this code runs from: the nearest directory above it with a package.json (from src/ or dist/). */
function checkoutRoot(from: string): string {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir))
    if (existsSync(path.join(dir, 'package.json'))) return dir;
  return from;
}

/** Where `npm run build` puts the console (see console/vite.config.ts); TESSERA_CONSOLE_DIST moves it. */
export const CONSOLE_DIST = path.resolve(
  process.env.TESSERA_CONSOLE_DIST ?? path.join(checkoutRoot(import.meta.dirname), 'console/dist'),
);

/**
 * The console's Content-Security-Policy. Scripts come only from this origin (the build has no inline
 * script); styles also inline, because Mantine writes its CSS variables into a <style> element at run time.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths that are never the console's, even for a browser asking for HTML: the API and the other servers. */
const NOT_CONSOLE =
  /^\/(api|docs|openapi|\.well-known|oauth|apiops|integration|view|healthz|metrics|assets)(\/|\.|$)/;

const MISSING_BUILD = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tessera</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;color:#1f2937}code{background:#f3f4f6;padding:.1rem .3rem;border-radius:4px}</style>
</head><body>
<h1>Tessera</h1>
<p>The token service is running, but the admin console has not been built: run <code>npm run build</code>
(<code>npm start</code> does it for you) and reload.</p>
<ul>
<li><a href="/openapi.json">OpenAPI document</a> (Swagger UI at <a href="/docs">/docs</a> once <code>feature_flags.enable_swagger</code> is on)</li>
<li><a href="/healthz">Health</a> (and <code>/metrics</code> for Prometheus, once <code>TESSERA_METRICS</code> allows it)</li>
</ul>
</body></html>`;

/** A browser navigating to a console address (`/tokens/…`): not the API, not a file, and asking for HTML. */
function isConsolePage(request: FastifyRequest): boolean {
  const pathname = request.url.split('?', 1)[0] ?? '/';
  if (NOT_CONSOLE.test(pathname)) return false;
  if (path.posix.extname(pathname)) return false;
  return (request.headers.accept ?? '').includes('text/html');
}

function setConsoleHeaders(reply: FastifyReply, file: string): void {
  const hashed = file.includes(`${path.sep}assets${path.sep}`);
  // Vite names every file under assets/ by its content hash: a changed file is a new URL.
  reply.header('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
  reply.header('X-Content-Type-Options', 'nosniff');
  if (file.endsWith('.html')) {
    reply.header('Content-Security-Policy', CONSOLE_CSP);
    reply.header('Referrer-Policy', 'same-origin');
  }
}

/**
 * The admin console (a single-page app) at `/`: its built files. Other addresses a browser navigates to
 * (`/tokens/{id}` on reload) get index.html from {@link consolePage}, which the app's not-found handler
 * calls, so unknown paths under `/oauth` and `/integration` keep their own 404 handlers.
 */
export const consoleRoutes: FastifyPluginAsync<RouteContext & { distDir?: string }> = async (
  app,
  options,
) => {
  const root = options.distDir ?? CONSOLE_DIST;
  if (!existsSync(path.join(root, 'index.html'))) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-cache').send(MISSING_BUILD),
    );
    return;
  }

  // One route per built file (wildcard: false); what else is a page is decided by consolePage.
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: false,
    cacheControl: false,
    schemaHide: true,
    setHeaders: setConsoleHeaders,
  });
  app.get('/', { schema: { hide: true } }, async (_request, reply) => {
    if (!(await sendIndex(reply, root))) reply.callNotFound();
  });
};

/**
 * Answers a browser's navigation to a console address with index.html; false (nothing sent) for anything
 * else, and when the console has not been built.
 */
export async function consolePage(
  request: FastifyRequest,
  reply: FastifyReply,
  root = CONSOLE_DIST,
): Promise<boolean> {
  return request.method === 'GET' && isConsolePage(request) && sendIndex(reply, root);
}

async function sendIndex(reply: FastifyReply, root: string): Promise<boolean> {
  const file = path.join(root, 'index.html');
  let html: Buffer;
  try {
    html = await readFile(file);
  } catch {
    return false;
  }
  setConsoleHeaders(reply, file);
  await reply.type('text/html; charset=utf-8').send(html);
  return true;
}
