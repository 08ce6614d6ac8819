import { createVerifier, type Verifier } from '@tessera/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { closedPortUrl, createToken, type Json, type Running, revokeToken } from './fixtures.ts';

/**
 * Starts an app (Fastify or Express) with the SDK's middleware on these routes:
 * - `POST /subscriptions/:id/run`: permission `subscription:execute`, resource `subscription:<id>`;
 * - `GET /share`: share tokens only (`kinds: ['shr']`).
 * Each answers 200 with the identity the middleware put on the request.
 */
export type StartApp = (verifier: Verifier) => Promise<Running>;

/** The same behaviour, asserted over real HTTP, for every framework's middleware. */
export function describeMiddleware(framework: string, startApp: StartApp): void {
  describe(`${framework} middleware requireToken`, () => {
    let t: TestServer;
    let app: Running;
    let down: Running;
    beforeAll(async () => {
      t = await startTestServer('sqlite');
      // No cache: each request shows Tessera's current answer.
      app = await startApp(createVerifier({ baseUrl: t.url, cacheTtlMs: 0 }));
      down = await startApp(createVerifier({ baseUrl: await closedPortUrl(), retries: 1, backoffMs: 1 }));
    });
    afterAll(async () => {
      await app?.close();
      await down?.close();
      await t?.close();
    });

    const run = (base: string, path: string, headers: Record<string, string> = {}) =>
      fetch(base + path, { method: path.startsWith('/share') ? 'GET' : 'POST', headers });

    it('accepts the token as Authorization: Bearer, as a TOKEN header and as ?token=, and puts the identity on the request', async () => {
      const created = await createToken(t);
      const ways: [string, Record<string, string>][] = [
        ['/subscriptions/42/run', { authorization: `Bearer ${created.token}` }],
        ['/subscriptions/42/run', { token: created.token }],
        [`/subscriptions/42/run?token=${created.token}`, {}],
      ];
      for (const [path, headers] of ways) {
        const response = await run(app.url, path, headers);
        expect(response.status, JSON.stringify(headers)).toBe(200);
        expect(await response.json()).toMatchObject({
          tokenId: created.id,
          kind: 'api',
          userId: created.userId,
          permissions: ['subscription:execute'],
        });
      }
    });

    it('answers 401 TOKEN_MISSING without a token, with a Bearer challenge', async () => {
      for (const headers of [{}, { authorization: 'Basic YWRtaW46eA==' }] as Record<string, string>[]) {
        const response = await run(app.url, '/subscriptions/42/run', headers);
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="tessera"/);
        expect(await response.json()).toMatchObject({ error: { code: 'TOKEN_MISSING' } });
      }
    });

    it('answers 401 with the reason for a malformed, unknown or revoked token', async () => {
      const created = await createToken(t);
      await revokeToken(t, created.id);
      const cases: [string, string][] = [
        ['not-a-token', 'TOKEN_MALFORMED'],
        [(await createToken(t)).token.replace(/^tsr_api_/, 'tsr_pat_'), 'TOKEN_MALFORMED'],
        [created.token, 'TOKEN_REVOKED'],
      ];
      for (const [token, code] of cases) {
        const response = await run(app.url, '/subscriptions/42/run', { authorization: `Bearer ${token}` });
        expect(response.status, code).toBe(401);
        const body: Json = await response.json();
        expect(body.error.code).toBe(code);
        expect(body.error.message).toEqual(expect.any(String));
      }
    });

    it('answers 403 for a good token without the permission, the resource or the kind', async () => {
      const refresher = await createToken(t, { permissions: ['semantic-model:refresh'] });
      const bound = await createToken(t, { resources: ['subscription:7'] });
      const cases: [string, string, string][] = [
        ['/subscriptions/42/run', refresher.token, 'PERMISSION_DENIED'],
        ['/subscriptions/8/run', bound.token, 'RESOURCE_DENIED'],
        ['/share', bound.token, 'KIND_DENIED'],
      ];
      for (const [path, token, code] of cases) {
        const response = await run(app.url, path, { token });
        expect(response.status, code).toBe(403);
        expect(response.headers.get('www-authenticate')).toMatch(/insufficient_scope/);
        expect(await response.json()).toMatchObject({ error: { code } });
      }
      expect((await run(app.url, '/subscriptions/7/run', { token: bound.token })).status).toBe(200);
    });

    it('answers 503 TESSERA_UNAVAILABLE when Tessera cannot be reached: never lets the request through', async () => {
      const created = await createToken(t);
      const response = await run(down.url, '/subscriptions/42/run', {
        authorization: `Bearer ${created.token}`,
      });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ error: { code: 'TESSERA_UNAVAILABLE' } });
    });
  });
}
