import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/core/errors.ts';
import { ADMIN_PASSWORD, DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { createToken, expectError } from './fixtures.ts';

/** Every method and path the app serves, read from fastify's route tree (HEAD is implied by GET). */
function servedRoutes(app: FastifyInstance): { method: string; path: string }[] {
  const routes: { method: string; path: string }[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    stack.length = depth;
    stack.push(match[2] ?? '');
    const path = stack.join('').replace(/^\/+/, '/');
    for (const method of (match[3] ?? '').split(', ').filter((m) => m && m !== 'HEAD')) {
      routes.push({ method, path });
    }
  }
  return routes;
}

/** The value of one Prometheus sample, 0 when absent. */
function sample(metrics: string, name: string, labels = ''): number {
  const escaped = `${name}${labels ? `{${labels}}` : ''}`.replace(/[{}.*+?^$()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^${escaped} (\\S+)$`, 'm').exec(metrics);
  return match ? Number(match[1]) : 0;
}

describe.each(DIALECTS)('system endpoints on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    // /metrics is off by default; test/http/metrics.test.ts covers its access settings.
    t = await startTestServer(dialect, { TESSERA_METRICS: 'open' });
  });
  afterAll(() => t?.close());

  it('reports health at /healthz', async () => {
    const response = await t.api('GET', '/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok' });
  });

  it('counts verifications by result, their latency and cache hits at /metrics', async () => {
    const token = await createToken(t, { permissions: ['subscription:execute'] });
    const metrics = async () => {
      const response = await t.api('GET', '/metrics');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      return response.body as string;
    };
    const before = await metrics();
    const verify = (body: Record<string, unknown>) => t.api('POST', '/api/verify', { body });
    expect((await verify({ token: token.token })).body.valid).toBe(true);
    expect((await verify({ token: token.token, permission: 'subscription:execute' })).body.valid).toBe(true);
    expect((await verify({ token: token.token, permission: 'users:write' })).body.code).toBe(
      'PERMISSION_DENIED',
    );
    expect((await verify({ token: 'not-a-token' })).body.code).toBe('TOKEN_MALFORMED');
    const after = await metrics();

    const delta = (name: string, labels = '') => sample(after, name, labels) - sample(before, name, labels);
    expect(after).toContain('# TYPE tessera_verifications_total counter');
    expect(delta('tessera_verifications_total', 'result="VALID"')).toBe(2);
    expect(delta('tessera_verifications_total', 'result="PERMISSION_DENIED"')).toBe(1);
    expect(delta('tessera_verifications_total', 'result="TOKEN_MALFORMED"')).toBe(1);
    expect(after).toContain('# TYPE tessera_verification_duration_seconds histogram');
    expect(delta('tessera_verification_duration_seconds_count')).toBe(4);
    expect(after).toMatch(/^tessera_verification_duration_seconds_bucket\{le="\+Inf"\} \d+$/m);
    expect(after).toContain('# TYPE tessera_verification_cache_hits_total counter');
    // The same token three times: at least the later lookups come from the cache.
    expect(delta('tessera_verification_cache_hits_total')).toBeGreaterThanOrEqual(2);
  });

  it('serves an OpenAPI 3.1 document listing every /api route with its error responses', async () => {
    const response = await t.api('GET', '/openapi.json');
    expect(response.status).toBe(200);
    const doc = response.body;
    expect(doc.openapi).toMatch(/^3\.1\./);

    const served = servedRoutes(t.server.app).filter((r) => r.path.startsWith('/api/'));
    expect(served.length).toBeGreaterThan(20);
    expect(served).toContainEqual({ method: 'POST', path: '/api/auth/login' });
    for (const { method, path } of served) {
      const openApiPath = path.replace(/:([A-Za-z]+)/g, '{$1}');
      const operation = doc.paths[openApiPath]?.[method.toLowerCase()];
      expect(operation, `${method} ${path} is not in /openapi.json`).toBeDefined();
      const statuses = Object.keys(operation.responses);
      expect(statuses, `${method} ${path}`).toEqual(expect.arrayContaining(['400', '500']));
      if (operation.security?.length) expect(statuses, `${method} ${path}`).toContain('401');
      if (operation.requestBody)
        expect(statuses, `${method} ${path} takes a body`).toEqual(expect.arrayContaining(['413', '415']));
      for (const [status, body] of Object.entries<{ description: string; content?: unknown }>(
        operation.responses,
      )) {
        if (Number(status) < 400 || path === '/api/verify') continue;
        expect(JSON.stringify(body.content), `${method} ${path} ${status}`).toContain(
          '#/components/schemas/ErrorBody',
        );
        const codes = body.description
          .split(':')
          .slice(1)
          .join(':')
          .split(',')
          .map((c) => c.trim());
        for (const code of codes) {
          expect(
            ERROR_CODES[code as keyof typeof ERROR_CODES]?.status,
            `${method} ${path} ${status} ${code}`,
          ).toBe(Number(status));
        }
      }
    }
    // And nothing documented that the app does not serve.
    const servedKeys = new Set(
      served.map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`),
    );
    for (const [path, operations] of Object.entries<Record<string, unknown>>(doc.paths)) {
      if (!path.startsWith('/api/')) continue;
      for (const method of Object.keys(operations).filter((m) => m !== 'parameters')) {
        expect(servedKeys.has(`${method} ${path}`), `${method} ${path} is documented but not served`).toBe(
          true,
        );
      }
    }
  });

  it('documents every error code: in the ErrorBody code enum and on some route', async () => {
    const doc = (await t.api('GET', '/openapi.json')).body;
    const codeSchema = doc.components.schemas.ErrorBody.properties.error.properties.code;
    expect([...codeSchema.enum].sort()).toEqual(Object.keys(ERROR_CODES).sort());

    const described = new Set<string>();
    for (const operations of Object.values<
      Record<string, { responses?: Record<string, { description?: string }> }>
    >(doc.paths)) {
      for (const operation of Object.values(operations)) {
        for (const [status, body] of Object.entries(operation.responses ?? {})) {
          if (Number(status) >= 400)
            for (const code of body.description?.match(/[A-Z][A-Z_]+[A-Z]/g) ?? []) described.add(code);
        }
      }
    }
    expect(Object.keys(ERROR_CODES).filter((code) => !described.has(code))).toEqual([]);
  });

  it('serves Swagger UI at /docs only while feature_flags.enable_swagger is on, without a restart', async () => {
    const off = await t.api('GET', '/docs');
    expectError(off, 404, 'ROUTE_NOT_FOUND');
    expectError(await t.api('GET', '/docs/static/index.html'), 404, 'ROUTE_NOT_FOUND');

    const setSwagger = (value: boolean) =>
      t.api('PATCH', '/api/settings', {
        token: t.adminToken,
        body: { 'feature_flags.enable_swagger': value },
      });
    expect((await setSwagger(true)).status).toBe(200);
    const on = await t.api('GET', '/docs');
    expect(on.status).toBe(200);
    expect(on.headers.get('content-type')).toMatch(/text\/html/);
    expect(String(on.body)).toMatch(/swagger/i);

    expect((await setSwagger(false)).status).toBe(200);
    expectError(await t.api('GET', '/docs'), 404, 'ROUTE_NOT_FOUND');
  });

  it('answers an unknown route or method with 404 ROUTE_NOT_FOUND in the error shape', async () => {
    const unknown = await t.api('GET', '/api/no-such-thing');
    expectError(unknown, 404, 'ROUTE_NOT_FOUND');
    expect(unknown.body.error.message).toContain('/api/no-such-thing');
    expectError(await t.api('DELETE', '/api/settings', { token: t.adminToken }), 404, 'ROUTE_NOT_FOUND');
    expectError(await t.api('GET', '/no-such-page'), 404, 'ROUTE_NOT_FOUND');
    const withToken = await t.api('GET', `/api/no-such-thing?token=${t.adminToken}`);
    expectError(withToken, 404, 'ROUTE_NOT_FOUND');
    expect(JSON.stringify(withToken.body)).not.toContain(t.adminToken);
  });

  it('answers an oversized body with 413 and a body that is not JSON with 415, as documented', async () => {
    const big = await t.api('POST', '/api/departments', {
      token: t.adminToken,
      body: { name: 'Big', description: 'x'.repeat(70 * 1024) },
    });
    expectError(big, 413, 'PAYLOAD_TOO_LARGE');
    const text = await t.api('POST', '/api/departments', {
      token: t.adminToken,
      raw: 'name=Plain',
      headers: { 'content-type': 'text/plain' },
    });
    expectError(text, 415, 'UNSUPPORTED_MEDIA_TYPE');
    const names = (await t.api('GET', '/api/departments', { token: t.adminToken })).body.items.map(
      (d: { name: string }) => d.name,
    );
    expect(names).not.toContain('Big');
  });

  it('puts an X-Request-Id on every /api response, and the same id in error bodies', async () => {
    const responses = [
      await t.api('GET', '/api/me', { token: t.adminToken }),
      await t.api('POST', '/api/departments', { token: t.adminToken, body: { name: 'Ops' } }),
      await t.api('POST', '/api/auth/logout', { token: await t.login('admin', ADMIN_PASSWORD) }),
      await t.api('POST', '/api/verify', { body: { token: 'nonsense' } }),
      await t.api('POST', '/api/departments', { token: t.adminToken, body: { name: 'Ops' } }),
      await t.api('POST', '/api/departments', { token: t.adminToken, body: { nom: 'Ops' } }),
      await t.api('GET', '/api/me'),
      await t.api('GET', '/api/nothing-here'),
      await t.api('POST', '/api/users', {
        token: t.adminToken,
        raw: '{',
        headers: { 'content-type': 'application/json' },
      }),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 201, 204, 200, 409, 400, 401, 404, 400]);
    const ids = responses.map((r) => r.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(ids.length);
    for (const response of responses.filter((r) => r.status >= 400)) {
      expect(response.body.error.requestId).toBe(response.headers.get('x-request-id'));
    }
  });
});
