import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import ipaddr from 'ipaddr.js';
import { TesseraError } from '../core/errors.ts';
import type { Tessera } from '../core/tessera.ts';
import type { RouteContext } from './context.ts';
import { authenticate } from './credentials.ts';
import { ErrorBody, MAX_PATH_SEGMENT, sendError } from './errors.ts';
import {
  answerClientError,
  familyErrorHandler,
  frameworkErrorResponses,
  frameworkErrors,
  sendFamilyError,
} from './framework-errors.ts';
import { INTEGRATION_SCHEMAS } from './integration-schemas.ts';
import { Metrics, type MetricsOptions } from './metrics.ts';
import { redactUrl, shownPath } from './request-url.ts';
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
  /**
   * Addresses and CIDR ranges of the load balancers whose X-Forwarded-For is believed (TESSERA_TRUST_PROXY);
   * none: the connecting address is the client's.
   */
  trustProxy?: readonly string[];
  /** Who may read /metrics (TESSERA_METRICS, TESSERA_METRICS_TOKEN); default off. */
  metrics?: MetricsOptions;
  /** Fastify's logger option: false in tests, a level and serializers when serving. */
  logger?: FastifyServerOptions['logger'];
}

export { redactUrl } from './request-url.ts';

/**
 * The URL the server is reached at on this machine, from the address it listens on: all interfaces
 * (0.0.0.0, ::) stand for 127.0.0.1. Not listening yet (inject): http://127.0.0.1.
 */
export function listenUrl(address: AddressInfo | string | null): string {
  if (address === null || typeof address === 'string') return 'http://127.0.0.1';
  const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

/** Builds the HTTP app around a wired core; listening is the caller's business. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { tessera } = options;
  // Node's client errors arrive before any request: they log through the app's logger once it exists.
  let log: FastifyBaseLogger | undefined;
  const app = Fastify({
    logger: options.logger ?? false,
    genReqId: () => randomUUID(),
    trustProxy: options.trustProxy?.length ? [...options.trustProxy] : false,
    bodyLimit: 64 * 1024,
    // One line per request (below), with the URL redacted, instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // Report ids may be 200 characters, more once percent-encoded (the default limit is 100).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PATH_SEGMENT },
    // A bad percent-encoding or an oversized path segment, and a request Node cannot parse (oversized
    // headers, a malformed request line): each family's error shape, never Fastify's or Node's bodies.
    frameworkErrors,
    clientErrorHandler: (error, socket) => answerClientError(error, socket, log),
  }).withTypeProvider<TypeBoxTypeProvider>();
  log = app.log;

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
  app.setErrorHandler(familyErrorHandler);
  // Any route may answer 408 and 431 (headers too slow or too large), 400 and 414 where it has path
  // parameters (one that does not decode, or is too long), 413 (too large) and 415 (not JSON) where it takes
  // a body: document them on each, in its family's shape.
  app.addHook('onRoute', (route) => {
    const schema = route.schema as
      | { body?: unknown; params?: unknown; response?: Record<number, unknown> }
      | undefined;
    if (!schema?.response) return;
    const statuses = [408, 431, ...(schema.params ? [400, 414] : []), ...(schema.body ? [413, 415] : [])];
    schema.response = { ...frameworkErrorResponses(route.url, statuses), ...schema.response };
  });
  if (options.trustProxy?.length) {
    // A trusted proxy passes on what its client sent when it does not set the header itself: an address
    // that is not an address would become a lock-out key and an audit entry.
    app.addHook('onRequest', async (request) => {
      if (!(ipaddr.IPv4.isValidFourPartDecimal(request.ip) || ipaddr.IPv6.isValid(request.ip)))
        throw new TesseraError(
          'MALFORMED_REQUEST',
          'X-Forwarded-For: the client address the proxy passed on is not an IP address.',
        );
    });
  }
  app.setNotFoundHandler(async (request, reply) => {
    // A browser reloading a console address (/tokens/{id}) gets the console.
    if (await consolePage(request, reply)) return;
    await sendFamilyError(
      request,
      reply,
      new TesseraError('ROUTE_NOT_FOUND', `No endpoint ${request.method} ${shownPath(request.url)}.`),
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

  const metrics = new Metrics(tessera.verifier, options.metrics);
  const context: RouteContext = {
    tessera,
    metrics,
    // Links are built from configuration or the listen address, never from a request's Host header.
    baseUrl: () => options.publicUrl?.replace(/\/$/, '') ?? listenUrl(app.server.address()),
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
