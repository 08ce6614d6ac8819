/**
 * A verification peer of `npm run bench`: @node-oauth/oauth2-server's `authenticate` behind a bare Fastify
 * route, as a child of bench/run.ts. Set up as its documentation describes for a resource server: an
 * `OAuth2Server` with a model implementing the two functions `authenticate` needs, `getAccessToken`
 * (here the documentation's in-memory model: tokens in memory, looked up by their string) and
 * `verifyScope`; each request is wrapped in the library's own `Request` and `Response`, and the token comes
 * as `Authorization: Bearer`. One access token (BENCH_PEER_TOKEN) with scope `subscription:execute` is
 * stored; the route asks for that scope, the way Tessera's bench asks for that permission, and answers
 * what it learned of the token as JSON.
 */
import OAuth2Server, { type Token } from '@node-oauth/oauth2-server';
import Fastify from 'fastify';
import { announce } from '../servers/lifecycle.ts';

const SCOPE = 'subscription:execute';
const accessToken = process.env.BENCH_PEER_TOKEN;
if (!accessToken) throw new Error('set BENCH_PEER_TOKEN');

const tokens = new Map<string, Token>([
  [
    accessToken,
    {
      accessToken,
      accessTokenExpiresAt: new Date(Date.now() + 30 * 24 * 3600 * 1000),
      scope: [SCOPE],
      client: { id: 'bench-client', grants: ['client_credentials'] },
      user: { id: 1 },
    },
  ],
]);

const model: OAuth2Server.RequestAuthenticationModel = {
  getAccessToken: async (token: string) => tokens.get(token) ?? false,
  verifyScope: async (token: Token, scope: string[]) => scope.every((s) => token.scope?.includes(s) ?? false),
};
// The typings ask for a grant model (getClient, saveToken, …); a resource server that only authenticates
// needs these two functions, which is all the library calls on this path.
const oauth = new OAuth2Server({ model: model as OAuth2Server.ServerOptions['model'] });

const app = Fastify({ logger: false });
app.post('/verify', async (request, reply) => {
  const oauthRequest = new OAuth2Server.Request({
    method: request.method,
    query: request.query as Record<string, string>,
    headers: request.headers as Record<string, string>,
    body: request.body,
  });
  try {
    const token = await oauth.authenticate(oauthRequest, new OAuth2Server.Response({ headers: {} }), {
      scope: [SCOPE],
    });
    return { valid: true, userId: token.user.id, clientId: token.client.id, scope: token.scope };
  } catch (error) {
    const { code = 500, name } = error as { code?: number; name: string };
    return reply.code(code).send({ valid: false, error: name });
  }
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
announce({ url: `http://127.0.0.1:${port}` }, () => app.close());
