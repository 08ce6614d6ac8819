/**
 * The OAuth peer of `npm run bench`: oidc-provider (panva/node-oidc-provider) as a child of bench/run.ts.
 * It lives in bench/peers/ so that `oidc-provider` resolves from this package's own node_modules, never
 * from the service's. Configured for machine-to-machine use as its documentation describes:
 * - one confidential client that authenticates with `client_secret_basic` and may use only
 *   `client_credentials` (no redirect URIs, no response types); the scopes it gets are the resource
 *   server's (below), as RFC 8707 tokens in oidc-provider are;
 * - `features.clientCredentials` and `features.introspection` enabled (both are off by default);
 * - `features.resourceIndicators` (RFC 8707, on by default) with one resource server, the bench's API:
 *   `getResourceServerInfo` accepts only it and only for this client (the docs' recommendation: allow
 *   pre-registered resources only), and gives its scope, audience, TTL and the opaque token format;
 *   `defaultResource` picks it when the request names none;
 * - `features.introspection.allowedPolicy`: a client may introspect the tokens issued to itself;
 * - `features.devInteractions` off (development-only views), the default in-memory adapter, its own
 *   signing key and cookie key (so it runs without its development-only defaults and their warnings).
 * The client's id and secret come from BENCH_PEER_CLIENT_ID and BENCH_PEER_CLIENT_SECRET.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Client, errors, type ResourceServer, type Token } from 'oidc-provider';
import { announce } from '../servers/lifecycle.ts';

/** The API the client asks tokens for: a resource indicator (RFC 8707 wants an absolute URI). */
export const RESOURCE = 'urn:tessera-bench:api';
export const SCOPE = 'api:read';
const TTL_SECONDS = 3600;

const clientId = process.env.BENCH_PEER_CLIENT_ID;
const clientSecret = process.env.BENCH_PEER_CLIENT_SECRET;
if (!clientId || !clientSecret) throw new Error('set BENCH_PEER_CLIENT_ID and BENCH_PEER_CLIENT_SECRET');

const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

const server = createServer();
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// The in-memory adapter is the one meant here (a bench's tokens are meant to be lost), so its one warning
// at construction, that it is for development only, is left out; any other warning still shows.
const warn = console.warn;
console.warn = (...args: unknown[]) => {
  if (!String(args[0]).includes('development-only in-memory adapter')) warn(...args);
};
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
    },
  ],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: {
      enabled: true,
      allowedPolicy: async (_ctx: unknown, caller: Client, token: Token) =>
        token.clientId === caller.clientId,
    },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => RESOURCE,
      useGrantedResource: async () => true,
      getResourceServerInfo: async (
        _ctx: unknown,
        indicator: string,
        client: Client,
      ): Promise<ResourceServer> => {
        if (indicator !== RESOURCE || client.clientId !== clientId) throw new errors.InvalidTarget();
        return { scope: SCOPE, audience: RESOURCE, accessTokenTTL: TTL_SECONDS, accessTokenFormat: 'opaque' };
      },
    },
  },
  ttl: { ClientCredentials: TTL_SECONDS },
  jwks: { keys: [{ ...signingKey, use: 'sig', alg: 'RS256', kid: 'bench' }] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
});
console.warn = warn;
// oidc-provider answers errors itself; only a server error (a bug, or this configuration) is worth a line.
provider.on('server_error', (_ctx, error) => process.stderr.write(`oidc-provider: ${error.stack}\n`));
server.on('request', provider.callback());

announce({ url: issuer }, async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
