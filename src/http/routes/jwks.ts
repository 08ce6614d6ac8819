import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { SigningKeyInfo } from '../../core/oauth/signing-keys.ts';
import type { RouteContext } from '../context.ts';
import { errorResponses } from '../errors.ts';
import { Iso, iso, isoOrNull, security } from '../schemas.ts';

const PublicJwk = Type.Object(
  {
    kty: Type.String(),
    crv: Type.String(),
    x: Type.String(),
    y: Type.String(),
    kid: Type.String(),
    alg: Type.String(),
    use: Type.String(),
  },
  { description: 'A public signing key (RFC 7517).' },
);

const SigningKeyJson = Type.Object({
  kid: Type.String(),
  alg: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('retired')]),
  createdAt: Iso,
  retiredAt: Type.Union([Iso, Type.Null()]),
  removeAfter: Type.Union([Iso, Type.Null()], {
    description: 'When a retired key leaves the JWKS: its last tokens have expired by then.',
  }),
});

function keyJson(key: SigningKeyInfo) {
  return {
    ...key,
    createdAt: iso(key.createdAt),
    retiredAt: isoOrNull(key.retiredAt),
    removeAfter: isoOrNull(key.removeAfter),
  };
}

/** The public key set that JWT access tokens verify against (public, cacheable). */
export const jwksRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { tessera }) => {
  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        tags: ['oauth'],
        summary:
          'The keys that sign JWT access tokens, including retired keys whose tokens may still be live',
        response: { 200: Type.Object({ keys: Type.Array(PublicJwk) }) },
      },
    },
    async (_request, reply) => {
      // Short enough that a new key is seen soon; verifiers refetch anyway on an unknown kid.
      reply.header('Cache-Control', 'public, max-age=300');
      return tessera.signingKeys.jwks();
    },
  );
};

/** Signing-key administration: list and rotate (admins with settings:manage). */
export const signingKeyRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { tessera }) => {
  app.get(
    '/api/keys',
    {
      schema: {
        tags: ['oauth'],
        security,
        summary: 'The JWT signing keys, newest first: the active one and retired ones still published',
        response: { 200: Type.Object({ items: Type.Array(SigningKeyJson) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ items: (await tessera.signingKeys.list(request.principal)).map(keyJson) }),
  );

  app.post(
    '/api/keys/_rotate',
    {
      schema: {
        tags: ['oauth'],
        security,
        summary: 'Make a new signing key; the old one stops signing but verifies until its tokens expire',
        response: {
          200: Type.Object({ key: SigningKeyJson, retired: Type.Array(Type.String()) }),
          ...errorResponses(401, 403),
        },
      },
    },
    async (request) => {
      const { key, retired } = await tessera.signingKeys.rotate(request.principal);
      return { key: keyJson(key), retired };
    },
  );
};
