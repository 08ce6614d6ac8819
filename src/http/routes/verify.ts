import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from 'typebox';
import { MAX_JWT_LENGTH } from '../../core/oauth/jwt-access-tokens.ts';
import {
  VERIFY_FAILURES,
  type VerifiedToken,
  type VerifyFailure,
  type VerifyRequest,
} from '../../core/verifier.ts';
import type { RouteContext } from '../context.ts';
import { presentedToken } from '../credentials.ts';
import { errorResponses } from '../errors.ts';
import { iso, StringEnum } from '../schemas.ts';

const VerifyOptions = {
  permission: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'Require this permission, e.g. subscription:execute.',
    }),
  ),
  resource: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 300,
      description: 'Require access to this resource, e.g. report:team:sales-dashboard.',
    }),
  ),
  tenantId: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'Require a token of this tenant.' }),
  ),
  departmentId: Type.Optional(
    Type.Integer({ minimum: 1, description: 'Require a token usable for this department.' }),
  ),
  userTypeId: Type.Optional(
    Type.Integer({ minimum: 1, description: 'Require a token usable for this user type.' }),
  ),
};

// One flat object (not a union) keeps serialization on the hot path fast.
const VerifyResponse = Type.Object({
  valid: Type.Boolean(),
  code: Type.Optional(StringEnum(Object.keys(VERIFY_FAILURES) as VerifyFailure[])),
  message: Type.Optional(Type.String()),
  tokenId: Type.Optional(Type.String()),
  kind: Type.Optional(Type.String()),
  userId: Type.Optional(Type.Integer()),
  tenantId: Type.Optional(Type.String()),
  permissions: Type.Optional(Type.Array(Type.String())),
  resources: Type.Optional(Type.Array(Type.String())),
  departmentId: Type.Optional(Type.Unsafe<number | null>({ type: ['integer', 'null'] })),
  userTypeId: Type.Optional(Type.Unsafe<number | null>({ type: ['integer', 'null'] })),
  expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
});
type VerifyBody = Static<typeof VerifyResponse>;

/** The one call applications make: is this token good for this permission and resource? */
export const verifyRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { tessera, metrics }) => {
  // The verifier answers a cached token with the same frozen object each time, so its response body is
  // built once per cache entry too (and goes when the entry does).
  const bodies = new WeakMap<VerifiedToken, VerifyBody>();
  function validBody(result: VerifiedToken): VerifyBody {
    let body = bodies.get(result);
    if (!body) {
      const { role: _role, ...rest } = result;
      body = { ...rest, expiresAt: iso(result.expiresAt) };
      bodies.set(result, body);
    }
    return body;
  }

  async function check(token: string | undefined, request: VerifyRequest, ip: string): Promise<VerifyBody> {
    const started = performance.now();
    const result = await tessera.verifier.verify(token ?? '', request, ip);
    metrics.verified(result.valid ? 'VALID' : result.code, started);
    if (!result.valid) return { valid: false, code: result.code, message: VERIFY_FAILURES[result.code] };
    return validBody(result);
  }

  app.post(
    '/api/verify',
    {
      schema: {
        tags: ['verify'],
        summary: 'Check a token; an invalid token is a 200 with valid: false and a reason code',
        body: Type.Object(
          { token: Type.String({ maxLength: MAX_JWT_LENGTH }), ...VerifyOptions },
          { additionalProperties: false },
        ),
        response: { 200: VerifyResponse, ...errorResponses(503) },
      },
    },
    (request) => {
      const { token, ...options } = request.body;
      return check(token, options, request.ip);
    },
  );

  app.get(
    '/api/verify',
    {
      schema: {
        tags: ['verify'],
        summary: 'Check the token sent as Authorization: Bearer, a TOKEN header or ?token=',
        querystring: Type.Object({
          token: Type.Optional(Type.String({ maxLength: MAX_JWT_LENGTH })),
          ...VerifyOptions,
        }),
        response: { 200: VerifyResponse, ...errorResponses(503) },
      },
    },
    (request) => {
      const { token: _token, ...options } = request.query;
      return check(presentedToken(request), options, request.ip);
    },
  );
};
