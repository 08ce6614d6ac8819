import formbody from '@fastify/formbody';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { invalid, TesseraError } from '../../core/errors.ts';
import type { RouteContext } from '../context.ts';
import {
  integrationErrorHandler,
  integrationErrorResponses,
  sendIntegrationError,
} from '../integration-errors.ts';
import {
  AccessTokenObject,
  accessTokenObject,
  RefreshTokenObject,
  RevokedAccessTokensObject,
  refreshTokenObject,
} from '../integration-schemas.ts';
import { shownPath } from '../request-url.ts';
import { Name, ref } from '../schemas.ts';

/** Where seed 003's endpoints live; register {@link integrationRoutes} with this prefix. */
export const INTEGRATION_PREFIX = '/integration/v1';

const MAX_ID = 2_147_483_647;
const tags = ['refresh and access tokens'];
// Seed 003's clients post forms; JSON works too. Listed so the OpenAPI document shows both.
const consumes = ['application/x-www-form-urlencoded', 'application/json'];

// Form posts carry text, so user_id is an integer in JSON or its digits in a form.
const UserId = Type.Union(
  [Type.Integer({ minimum: 1, maximum: MAX_ID }), Type.String({ pattern: '^[0-9]{1,10}$' })],
  {
    description: 'Your user id: an integer, or its digits as text (form posts).',
  },
);
const Secret = (description: string) => Type.String({ minLength: 1, maxLength: 500, description });
const RefreshSecret = Secret('The refresh token (tsr_rt_…).');
const WithRefreshToken = Type.Object(
  { refresh_token: RefreshSecret, user_id: UserId },
  { additionalProperties: false },
);

/** A user id from a form or JSON body; digits beyond the id range are a 400, not a database error. */
function userIdOf(value: number | string): number {
  const id = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(id) || id < 1 || id > MAX_ID)
    throw invalid('user_id', 'must be a positive integer');
  return id;
}

/**
 * Seed 003's refresh and access tokens under `/integration/v1/`, with the trailing slash the seed writes
 * (the app ignores trailing slashes, so both spellings work). Bodies are form-urlencoded or JSON; answers are
 * `application/json`, errors `{detail, code}`. Public: callers authenticate with a password or the token.
 */
export const integrationRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { tessera }) => {
  const refreshTokens = tessera.refreshTokens;
  await app.register(formbody);
  app.setErrorHandler(integrationErrorHandler);
  // Responses carry token secrets: never cached by a proxy or the browser.
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('Cache-Control', 'no-store');
    return payload;
  });
  app.setNotFoundHandler((request, reply) =>
    sendIntegrationError(
      reply,
      new TesseraError('ROUTE_NOT_FOUND', `No endpoint ${request.method} ${shownPath(request.url)}.`),
    ),
  );

  app.post(
    '/createRefreshToken/',
    {
      schema: {
        tags,
        consumes,
        summary: 'Create a refresh token with your username and password (not for single-sign-on users)',
        description:
          'Lifespan: authentication.token.refresh_token_lifespan days, as set when the token is created. ' +
          'Failed attempts are throttled per username and address like sign-in (429 with Retry-After).',
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 254 }),
            password: Type.String({ minLength: 1, maxLength: 1000 }),
            name: Name,
          },
          { additionalProperties: false },
        ),
        response: { 201: ref(RefreshTokenObject), ...integrationErrorResponses(401, 403, 429) },
      },
    },
    async (request, reply) => {
      const { token, record } = await refreshTokens.createWithPassword(request.body, request.ip);
      return reply.code(201).send(refreshTokenObject(record, token));
    },
  );

  app.post(
    '/createAPIAccessToken/',
    {
      schema: {
        tags,
        consumes,
        summary: 'Create an API access token from an active refresh token',
        description:
          'Lifespan: authentication.token.access_token_lifespan hours, never past the refresh token\u2019s expiry. ' +
          'Send it as a TOKEN header or as Authorization: Bearer.',
        body: WithRefreshToken,
        response: { 201: ref(AccessTokenObject), ...integrationErrorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const userId = userIdOf(request.body.user_id);
      const { token, record } = await refreshTokens.mintAccessToken(request.body.refresh_token, {
        userId,
        ip: request.ip,
      });
      return reply.code(201).send(accessTokenObject(record, token));
    },
  );

  app.post(
    '/validateRefreshToken/',
    {
      schema: {
        tags,
        consumes,
        summary: 'Read a refresh token\u2019s status: active, expired or revoked',
        body: WithRefreshToken,
        response: { 200: ref(RefreshTokenObject), ...integrationErrorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { refresh_token: secret, user_id } = request.body;
      return refreshTokenObject(
        await refreshTokens.inspectPresented(secret, 'rt', userIdOf(user_id)),
        secret,
      );
    },
  );

  app.post(
    '/validateAPIAccessToken/',
    {
      schema: {
        tags,
        consumes,
        summary: 'Read an API access token\u2019s status: active, expired or revoked',
        body: Type.Object(
          {
            api_access_token: Type.String({
              minLength: 1,
              maxLength: 4096,
              description: 'The access token (tsr_at_… or a JWT).',
            }),
            user_id: UserId,
          },
          { additionalProperties: false },
        ),
        response: { 200: ref(AccessTokenObject), ...integrationErrorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { api_access_token: secret, user_id } = request.body;
      return accessTokenObject(await refreshTokens.inspectPresented(secret, 'at', userIdOf(user_id)), secret);
    },
  );

  app.post(
    '/regenerateRefreshToken/',
    {
      schema: {
        tags,
        consumes,
        summary: 'Replace an active refresh token: same name and user, a new secret; the old one is revoked',
        description:
          'The old token and every access token minted from it stop working at once. The new token gets the ' +
          'refresh-token lifespan as set now.',
        body: WithRefreshToken,
        response: { 201: ref(RefreshTokenObject), ...integrationErrorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { refresh_token: secret, user_id } = request.body;
      const { token, record } = await refreshTokens.regenerate(secret, userIdOf(user_id), request.ip);
      return reply.code(201).send(refreshTokenObject(record, token));
    },
  );

  app.post(
    '/revokeRefreshToken/',
    {
      schema: {
        tags,
        consumes,
        summary: 'Revoke a refresh token and every access token minted from it',
        description:
          'Answers the token with token_status "revoked"; revoking a revoked token changes nothing.',
        body: WithRefreshToken,
        response: { 200: ref(RefreshTokenObject), ...integrationErrorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { refresh_token: secret, user_id } = request.body;
      return refreshTokenObject(await refreshTokens.revoke(secret, userIdOf(user_id), request.ip), secret);
    },
  );

  app.post(
    '/revokeAPIAccessTokens/',
    {
      schema: {
        tags,
        consumes,
        summary: 'Revoke every access token minted from a refresh token; the refresh token stays as it is',
        body: WithRefreshToken,
        response: { 200: ref(RevokedAccessTokensObject), ...integrationErrorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { refresh_token: secret, user_id } = request.body;
      const { token, revoked } = await refreshTokens.revokeAccessTokens(
        secret,
        userIdOf(user_id),
        request.ip,
      );
      return { ...refreshTokenObject(token, secret), access_tokens_revoked: revoked };
    },
  );
};
