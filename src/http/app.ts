import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import { TesseraError } from '../core/errors.ts';
import type { Tessera } from '../core/tessera.ts';
import type { RouteContext } from './context.ts';
import { authenticate } from './credentials.ts';
import { ErrorBody, errorHandler, errorResponses, sendError } from './errors.ts';
import { INTEGRATION_SCHEMAS } from './integration-schemas.ts';
import { Metrics } from './metrics.ts';
import { adminRoutes } from './routes/admin.ts';
import { loginRoutes, logoutRoutes } from './routes/auth.ts';
import { clientRoutes } from './routes/clients.ts';
import { cloudRoutes } from './routes/cloud.ts';
import { consolePage, consoleRoutes } from './routes/console.ts';
import { INTEGRATION_PREFIX, integrationRoutes } from './routes/integration.ts';
import { jwksRoutes, signingKeyRoutes } from './routes/jwks.ts';
import { meRoutes } from './routes/me.ts';
import { apiopsRoutes, oauthMetadataRoutes, oauthRoutes } from './routes/oauth.ts';
import { refreshTokenRoutes } from './routes/refresh-tokens.ts';
import { reportRoutes } from './routes/reports.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { systemRoutes } from './routes/system.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { directoryRoutes, userRoutes } from './routes/users.ts';
import { verifyRoutes } from './routes/verify.ts';
import { viewRoutes } from './routes/view.ts';
import { SHARED_SCHEMAS } from './schemas.ts';

export interface AppOptions {
  tessera: Tessera;
  publicUrl?: string;
  trustProxy?: boolean;
  /** Fastify's logger option: false in tests, a level and serializers when serving. */
  logger?: FastifyServerOptions['logger'];
}

/**
 * Hides `token=` values in a URL, so that tokens sent as a URL parameter never reach a log line. The name
 * is compared decoded, as the query parser reads it: `?%74oken=` authenticates just like `?token=`. A share
 * link's path (`/view/<token>`) is hidden whole, in any case or encoding.
 */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  const path = start === -1 ? url : url.slice(0, start);
  const shown = /^([a-z]+:\/\/[^/]*)?\/+view\//i.test(decodeParamName(path)) ? '/view/[redacted]' : path;
  if (start === -1) return shown;
  const params = url
    .slice(start + 1)
    .split('&')
    .map((param) => {
      const name = param.split('=', 1)[0] ?? '';
      return /^\s*token(\[\])?\s*$/i.test(decodeParamName(name)) ? `${name}=[redacted]` : param;
    });
  return `${shown}?${params.join('&')}`;
}

function decodeParamName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/** Builds the HTTP app around a wired core; listening is the caller's business. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { tessera } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    genReqId: () => randomUUID(),
    trustProxy: options.trustProxy ?? false,
    bodyLimit: 64 * 1024,
    // One line per request (below), with the URL redacted, instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // Report ids may be 200 characters, more once percent-encoded (the default limit is 100).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Bodies are checked strictly: wrong types and unknown fields are refused, never coerced or dropped.
  // Query strings and path parameters arrive as text and are coerced to the declared types.
  const ajvOptions = { allErrors: false, useDefaults: true, removeAdditional: false, strict: false } as const;
  const strict = addFormats.default(new Ajv.default({ ...ajvOptions, coerceTypes: false }));
  const coercing = addFormats.default(new Ajv.default({ ...ajvOptions, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : coercing).compile(schema),
  );

  // The API speaks JSON: a text/plain body (fetch's default for a string) is a 415, not a 400 "must be object".
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(errorHandler);
  // Any route that takes a body may answer 413 (too large) and 415 (not JSON): document both on each.
  app.addHook('onRoute', (route) => {
    const schema = route.schema as { body?: unknown; response?: Record<number, unknown> } | undefined;
    if (schema?.body && schema.response)
      schema.response = { ...errorResponses(413, 415), ...schema.response };
  });
  app.setNotFoundHandler(async (request, reply) => {
    // A browser reloading a console address (/tokens/{id}) gets the console.
    if (await consolePage(request, reply)) return;
    await sendError(
      request,
      reply,
      new TesseraError('ROUTE_NOT_FOUND', `No endpoint ${request.method} ${redactUrl(request.url)}.`),
    );
  });
  // Synchronous hooks: they run on every request, verification included, so they stay cheap.
  if (options.logger) {
    app.addHook('onResponse', (request, reply, done) => {
      const ms = Math.round(reply.elapsedTime * 10) / 10;
      request.log.info(
        { method: request.method, url: redactUrl(request.url), status: reply.statusCode, ms },
        'request',
      );
      done();
    });
  }
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('X-Request-Id', request.id);
    if (request.url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
    done(null, payload);
  });

  app.addSchema(ErrorBody);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  for (const schema of INTEGRATION_SCHEMAS) app.addSchema(schema);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tessera',
        version: '0.1.0',
        description:
          'Scoped, expiring API tokens; one-call verification; OAuth 2.0 access tokens. Management errors answer ' +
          '`{ "error": { "code", "message", "requestId", "field" } }`; the codes are listed on each response.',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'A session token from /api/auth/login, or an API token.',
          },
          tokenHeader: {
            type: 'apiKey',
            in: 'header',
            name: 'TOKEN',
            description: 'The same token in a TOKEN header.',
          },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { url: '/openapi.json' },
    uiHooks: {
      // Swagger UI is off unless an admin turns on feature_flags.enable_swagger (read per request: no restart).
      onRequest: async (request, reply) => {
        const settings = await tessera.settings.get('default');
        if (!settings['feature_flags.enable_swagger']) {
          await sendError(
            request,
            reply,
            new TesseraError(
              'ROUTE_NOT_FOUND',
              'Swagger UI is turned off; set feature_flags.enable_swagger to true.',
            ),
          );
        }
      },
    },
  });

  const metrics = new Metrics(tessera.verifier);
  const context: RouteContext = {
    tessera,
    metrics,
    baseUrl: (request) => options.publicUrl?.replace(/\/$/, '') ?? `${request.protocol}://${request.host}`,
  };

  await app.register(systemRoutes, context);
  await app.register(consoleRoutes, context);
  await app.register(loginRoutes, context);
  await app.register(verifyRoutes, context);
  await app.register(viewRoutes, context);
  // OAuth endpoints: public, form-encoded, OAuth error bodies (their own encapsulated scopes).
  await app.register(oauthRoutes, { ...context, prefix: '/oauth' });
  await app.register(apiopsRoutes, { ...context, prefix: '/apiops' });
  await app.register(oauthMetadataRoutes, context);
  await app.register(jwksRoutes, context);
  // Seed 003: public (a password or the token itself authenticates), its own {detail, code} errors and form bodies.
  await app.register(integrationRoutes, { ...context, prefix: INTEGRATION_PREFIX });
  await app.register(async (authenticated) => {
    authenticated.addHook('onRequest', authenticate(tessera, metrics));
    for (const routes of [
      logoutRoutes,
      tokenRoutes,
      meRoutes,
      userRoutes,
      directoryRoutes,
      adminRoutes,
      clientRoutes,
      reportRoutes,
      cloudRoutes,
    ]) {
      await authenticated.register(routes, context);
    }
    await authenticated.register(refreshTokenRoutes, context);
    await authenticated.register(signingKeyRoutes, context);
    await authenticated.register(sessionRoutes, context);
  });
  return app;
}
