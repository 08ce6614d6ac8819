import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP, CONSOLE_DIST, consoleRoutes } from '../../src/http/routes/console.ts';
import { startTestServer, type TestServer } from '../support/harness.ts';

type ErrorJson = { error: { code: string } };
const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('the console served at /', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
  });
  afterAll(() => t?.close());

  const get = (route: string, headers: Record<string, string> = HTML) => fetch(t.url + route, { headers });

  it('serves index.html at / and at console addresses a browser navigates to, never cached', async () => {
    for (const route of [
      '/',
      '/tokens',
      '/tokens/4f1c2d7e-0000-4000-8000-000000000000?status=active',
      '/profile',
    ]) {
      const response = await get(route);
      expect(response.status, route).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      expect(await response.text()).toContain('<div id="root"></div>');
    }
  });

  it('serves the hashed assets as immutable, and a missing asset as the API 404', async () => {
    const assets = readdirSync(path.join(CONSOLE_DIST, 'assets'));
    const script = assets.find((file) => file.endsWith('.js'))!;
    const response = await get(`/assets/${script}`, {});
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');

    const missing = await get('/assets/index-00000000.js');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorJson).error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('does not shadow the API, the OAuth and system endpoints, even for a browser', async () => {
    expect((await get('/healthz')).headers.get('content-type')).toMatch(/json/);
    expect((await get('/openapi.json')).headers.get('content-type')).toMatch(/json/);
    expect((await get('/.well-known/oauth-authorization-server')).headers.get('content-type')).toMatch(
      /json/,
    );
    for (const route of [
      '/api/no-such-thing',
      '/docs',
      '/oauth/nothing',
      '/.well-known/nothing',
      '/view/x',
      '/integration/v1/x',
      '/apiops/x',
      '/metrics-nope.txt',
    ]) {
      const response = await get(route);
      expect(response.status, route).toBe(404);
      // Whoever answers (the API's 404, or the share pages' own), it is not the console.
      expect(await response.text(), route).not.toContain('<div id="root"></div>');
    }
    // A client that does not ask for HTML gets the API's answer for an unknown path.
    const api = await get('/tokens', { accept: 'application/json' });
    expect(api.status).toBe(404);
    expect(((await api.json()) as ErrorJson).error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('tells the developer to run npm run build when the console has not been built', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'tessera-no-console-'));
    const app = Fastify();
    try {
      await app.register(consoleRoutes, { distDir: empty } as never);
      const response = await app.inject({ method: 'GET', url: '/', headers: HTML });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('npm run build');
    } finally {
      await app.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
