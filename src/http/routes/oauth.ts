import formbody from '@fastify/formbody';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { TesseraError } from '../../core/errors.ts';
import { GRANT_TYPES } from '../../core/oauth/grants.ts';
import type { RouteContext } from '../context.ts';
import { bearerToken, clientCredentials } from '../oauth-credentials.ts';
import { oauthErrorHandler, oauthErrorResponses, sendOAuthError } from '../oauth-errors.ts';
import { shownPath } from '../request-url.ts';

/** Seed 002 asks for exactly this content type on token responses. */
export const JSON_UTF8 = 'application/json;charset=UTF-8';

const param = (maxLength: number, description: string) =>
  Type.Optional(Type.String({ maxLength, description }));

const TokenForm = Type.Object(
  {
    grant_type: param(100, `${GRANT_TYPES.join(' or ')}`),
    client_id: param(200, 'With client_secret_post: a registered client id, or a user’s username.'),
    client_secret: param(1000, 'With client_secret_post: the client secret, or the user’s password.'),
    scope: param(2000, 'Space-separated permissions narrowing the token; default: all the client may have.'),
    refresh_token: param(200, 'For grant_type=refresh_token.'),
  },
  { additionalProperties: true },
);

const TokenParamForm = Type.Object(
  {
    token: param(8192, 'The token asked about.'),
    token_type_hint: param(100, 'access_token or refresh_token; optional and not needed.'),
    client_id: TokenForm.properties.client_id,
    client_secret: TokenForm.properties.client_secret,
  },
  { additionalProperties: true },
);

const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: 'Seconds until the access token expires.' }),
  scope: Type.String({ description: 'The permissions the token carries, space-separated.' }),
  refresh_token: Type.Optional(
    Type.String({ description: 'The replacement refresh token, when oauth.refresh_token_rotation is on.' }),
  ),
});

const IntrospectionResponse = Type.Object({
  active: Type.Boolean(),
  scope: Type.Optional(Type.String()),
  client_id: Type.Optional(Type.String()),
  username: Type.Optional(Type.String()),
  token_type: Type.Optional(Type.String()),
  exp: Type.Optional(Type.Integer()),
  iat: Type.Optional(Type.Integer()),
  sub: Type.Optional(Type.String()),
  aud: Type.Optional(Type.String()),
  iss: Type.Optional(Type.String()),
});

const BAD_REQUEST =
  'invalid_request (VALIDATION_FAILED, UNSUPPORTED_MEDIA_TYPE), invalid_grant (INVALID_GRANT), ' +
  'invalid_scope (INVALID_SCOPE), unsupported_grant_type (UNSUPPORTED_GRANT_TYPE)';
const UNAUTHORIZED =
  'invalid_client (INVALID_CLIENT) with WWW-Authenticate: Basic; unauthorized_client "Bad credentials" ' +
  '(INVALID_CREDENTIALS: wrong username or password)';
const THROTTLED = 'slow_down (TOO_MANY_ATTEMPTS): too many failed attempts; see Retry-After';
const tags = ['oauth'];
const consumes = ['application/x-www-form-urlencoded'];

/**
 * The scope every OAuth endpoint runs in: form bodies only, OAuth error bodies (never the management
 * shape, not even for an unknown path under the prefix), no caching, seed 002's content type.
 */
async function oauthScope(app: FastifyInstance): Promise<void> {
  await app.register(formbody);
  app.removeContentTypeParser('application/json');
  app.setErrorHandler(oauthErrorHandler);
  // The app documents 413/415 in the management shape on every route with a body; here a too-large body is
  // 413 invalid_request and a body that is not form-encoded is 400 invalid_request.
  app.addHook('onRoute', (route) => {
    const response = (route.schema as { response?: Record<number, unknown> } | undefined)?.response;
    if (!response) return;
    delete response[415];
    if (response[413])
      response[413] = oauthErrorResponses({ 413: 'invalid_request (PAYLOAD_TOO_LARGE)' })[413];
  });
  app.setNotFoundHandler((request, reply) =>
    sendOAuthError(
      reply,
      new TesseraError('ROUTE_NOT_FOUND', `No endpoint ${request.method} ${shownPath(request.url)}.`),
    ),
  );
  app.addHook('preValidation', async (request) => {
    request.body ??= {};
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
    if (String(reply.getHeader('content-type') ?? '').startsWith('application/json'))
      reply.header('Content-Type', JSON_UTF8);
    return payload;
  });
}

type OAuthApp = Parameters<FastifyPluginAsyncTypebox<RouteContext>>[0];

/** The token endpoint, served at /oauth/token and at seed 002's /apiops/auth/token. */
function tokenEndpoint(app: OAuthApp, { tessera }: RouteContext, path: string, summary: string): void {
  app.post(
    path,
    {
      schema: {
        tags,
        summary,
        consumes,
        body: TokenForm,
        response: {
          200: TokenResponse,
          ...oauthErrorResponses({ 400: BAD_REQUEST, 401: UNAUTHORIZED, 429: THROTTLED }),
        },
      },
    },
    async (request) => {
      const form = request.body;
      const result = await tessera.grants.token({
        grantType: form.grant_type,
        credentials: clientCredentials(request, form),
        scope: form.scope,
        refreshToken: form.refresh_token,
        ip: request.ip,
      });
      return {
        access_token: result.accessToken,
        token_type: 'Bearer' as const,
        expires_in: result.expiresIn,
        scope: result.scope,
        ...(result.refreshToken ? { refresh_token: result.refreshToken } : {}),
      };
    },
  );
}

/** POST /oauth/token, /oauth/introspect, /oauth/revoke (RFC 6749, 7662, 7009). */
export const oauthRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, ctx) => {
  const { tessera } = ctx;
  await oauthScope(app);
  tokenEndpoint(app, ctx, '/token', 'OAuth 2.0 token endpoint: client_credentials and refresh_token grants');

  app.post(
    '/introspect',
    {
      schema: {
        tags,
        consumes,
        summary:
          'RFC 7662 introspection: is this token active? Authenticate as a client or with a Bearer token',
        body: TokenParamForm,
        response: {
          200: IntrospectionResponse,
          ...oauthErrorResponses({
            400: 'invalid_request (VALIDATION_FAILED)',
            401: `${UNAUTHORIZED}; invalid_token (UNAUTHENTICATED): the Bearer token is not valid`,
            403: 'insufficient_scope (FORBIDDEN): the caller lacks tokens:introspect',
            429: THROTTLED,
          }),
        },
      },
    },
    async (request) => {
      const bearer = bearerToken(request);
      const credentials = bearer === undefined ? clientCredentials(request, request.body) : {};
      return tessera.introspection.introspect(
        { credentials, bearer, ip: request.ip },
        request.body.token,
        tessera.jwt.issuer,
      );
    },
  );

  app.post(
    '/revoke',
    {
      schema: {
        tags,
        consumes,
        summary:
          'RFC 7009 revocation of an access or refresh token issued to the calling client; 200 even for unknown tokens',
        body: TokenParamForm,
        response: {
          200: Type.Null({ description: 'Revoked, or nothing to revoke: an empty body either way.' }),
          ...oauthErrorResponses({
            400: 'invalid_request (VALIDATION_FAILED)',
            401: UNAUTHORIZED,
            429: THROTTLED,
          }),
        },
      },
    },
    async (request, reply) => {
      await tessera.introspection.revoke(
        clientCredentials(request, request.body),
        request.body.token,
        request.ip,
      );
      // RFC 7009: a 200 whose body the client ignores; send none rather than `null`.
      return reply
        .code(200)
        .type('text/plain; charset=utf-8')
        .serializer(() => '')
        .send(null);
    },
  );
};

/** Seed 002's token endpoint, POST /apiops/auth/token: the same as /oauth/token. */
export const apiopsRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, ctx) => {
  await oauthScope(app);
  tokenEndpoint(app, ctx, '/auth/token', 'Token endpoint at /apiops/auth/token: the same as /oauth/token');
};

/** RFC 8414 metadata: where the endpoints are and what they support. */
export const oauthMetadataRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { tessera }) => {
  app.get(
    '/.well-known/oauth-authorization-server',
    {
      schema: {
        tags,
        summary: 'OAuth 2.0 authorization server metadata (RFC 8414)',
        response: { 200: Type.Record(Type.String(), Type.Unknown()) },
      },
    },
    async () => {
      // One issuer everywhere (metadata, introspection, JWT iss): TESSERA_PUBLIC_URL or the URL listened on.
      const issuer = tessera.jwt.issuer;
      const authMethods = ['client_secret_basic', 'client_secret_post'];
      return {
        issuer,
        token_endpoint: `${issuer}/oauth/token`,
        introspection_endpoint: `${issuer}/oauth/introspect`,
        revocation_endpoint: `${issuer}/oauth/revoke`,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        grant_types_supported: [...GRANT_TYPES],
        response_types_supported: [],
        token_endpoint_auth_methods_supported: authMethods,
        introspection_endpoint_auth_methods_supported: authMethods,
        revocation_endpoint_auth_methods_supported: authMethods,
        scopes_supported: (await tessera.catalog.list('default')).map((p) => p.name),
        service_documentation: `${issuer}/openapi.json`,
      };
    },
  );
};
