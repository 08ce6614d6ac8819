import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DEVICE_NAME_MAX } from '../../core/sessions.ts';
import type { RouteContext } from '../context.ts';
import { errorResponses } from '../errors.ts';
import { Iso, iso, ref, SafeLine, UserJson, Uuid, userJson } from '../schemas.ts';

/** Console sign-in: a username and password for a session token. */
export const loginRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { tessera }) => {
  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with a username and password; returns a console session token',
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 200 }),
            password: Type.String({ minLength: 1, maxLength: 1000 }),
            tenant: Type.Optional(
              Type.String({ minLength: 1, maxLength: 100, description: 'Defaults to "default".' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ token: Type.String(), expiresAt: Iso, user: ref(UserJson) }),
          ...errorResponses(401, 429),
        },
      },
    },
    async (request) => {
      const result = await tessera.auth.login(request.body, request.ip);
      return { token: result.token, expiresAt: iso(result.expiresAt), user: userJson(result.user) };
    },
  );

  app.post(
    '/api/auth/mobile/login',
    {
      schema: {
        tags: ['auth', 'sessions'],
        summary:
          'Sign in from the mobile app; returns a mobile session token (authentication.mobile_session_lifespan days)',
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 200 }),
            password: Type.String({ minLength: 1, maxLength: 1000 }),
            deviceName: SafeLine({
              minLength: 1,
              maxLength: DEVICE_NAME_MAX,
              description: 'The device, as administrators will see it (trimmed).',
            }),
            tenant: Type.Optional(
              Type.String({ minLength: 1, maxLength: 100, description: 'Defaults to "default".' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ token: Type.String(), sessionId: Uuid, expiresAt: Iso, user: ref(UserJson) }),
          ...errorResponses(401, 403, 429),
        },
      },
    },
    async (request) => {
      const result = await tessera.sessions.mobileLogin(request.body, request.ip);
      return {
        token: result.token,
        sessionId: result.sessionId,
        expiresAt: iso(result.expiresAt),
        user: userJson(result.user),
      };
    },
  );
};

/** Sign-out: revokes the session (or token) the request is made with. */
export const logoutRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { tessera }) => {
  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign out: revoke the credential this request carries',
        security: [{ bearer: [] }],
        response: { 204: Type.Null(), ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      await tessera.tokens.revokeOwn(request.principal);
      return reply.code(204).send(null);
    },
  );
};
