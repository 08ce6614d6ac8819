import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, redactToken } from '../../examples/reporting-app/src/app.ts';
import { createToken, type Json, revokeToken } from '../sdk/fixtures.ts';
import { startTestServer, type TestServer } from '../support/harness.ts';

describe('the example reporting app, protected by the SDK against a real Tessera', () => {
  let t: TestServer;
  let app: FastifyInstance;
  let url: string;
  let share: Json;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
    // No cache: the tests revoke tokens and expect the app to see it at once.
    app = await buildApp({ tesseraUrl: t.url, cacheTtlMs: 0 });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    const report = await t.api('POST', '/api/reports', {
      token: t.adminToken,
      body: { id: 'team:sales-dashboard', name: 'Sales dashboard' },
    });
    expect(report.status).toBe(201);
    share = await createToken(t, {
      type: 'report',
      reportId: 'team:sales-dashboard',
      permissions: undefined,
    });
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  const call = async (method: string, path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(url + path, { method, headers });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      body: text.startsWith('{') ? JSON.parse(text) : null,
    };
  };

  it('starts a subscription with a subscription:execute token, and only with one', async () => {
    const trigger = await createToken(t, { permissions: ['subscription:execute'] });
    const ok = await call('POST', '/subscriptions/nightly-sales/run', {
      authorization: `Bearer ${trigger.token}`,
    });
    expect(ok.status).toBe(202);
    expect(ok.body).toMatchObject({
      subscriptionId: 'nightly-sales',
      status: 'queued',
      triggeredBy: { tokenId: trigger.id, userId: trigger.userId },
    });
    const refresher = await createToken(t, { permissions: ['semantic-model:refresh'] });
    const denied = await call('POST', '/subscriptions/nightly-sales/run', { token: refresher.token });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('PERMISSION_DENIED');
    expect((await call('POST', '/subscriptions/nightly-sales/run')).status).toBe(401);
  });

  it('refreshes a semantic model with semantic-model:refresh and semantic-refresh=true; 400 naming the parameter otherwise', async () => {
    const refresher = await createToken(t, { permissions: ['semantic-model:refresh'] });
    const headers = { token: refresher.token };
    for (const query of ['', '?semantic-refresh=false', '?semantic-refresh=TRUE']) {
      const response = await call('POST', `/semantic-models/sales-model/refresh${query}`, headers);
      expect(response.status, query).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'semantic-refresh' });
      expect(response.body.error.message).toMatch(/^semantic-refresh:/);
    }
    const ok = await call('POST', '/semantic-models/sales-model/refresh?semantic-refresh=true', headers);
    expect(ok.status).toBe(202);
    expect(ok.body).toMatchObject({ semanticModelId: 'sales-model', status: 'refreshing' });
    // Authentication comes first: without a token the parameter is not even looked at.
    expect((await call('POST', '/semantic-models/sales-model/refresh')).status).toBe(401);
    const trigger = await createToken(t, { permissions: ['subscription:execute'] });
    const denied = await call('POST', '/semantic-models/sales-model/refresh?semantic-refresh=true', {
      token: trigger.token,
    });
    expect(denied.status).toBe(403);
  });

  it('answers 400 naming the id for a malformed path id', async () => {
    const trigger = await createToken(t);
    const response = await call('POST', '/subscriptions/a%20b/run', { token: trigger.token });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'id' });
  });

  it('opens a report with its share token, not another report and not with an API token', async () => {
    const ok = await call('GET', '/api/reports/team:sales-dashboard', {
      authorization: `Bearer ${share.token}`,
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id: 'team:sales-dashboard', title: 'Team Sales Dashboard' });
    expect((await call('GET', `/api/reports/team%3Asales-dashboard?token=${share.token}`)).status).toBe(200);
    const other = await call('GET', '/api/reports/team:hr-dashboard', { token: share.token });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('RESOURCE_DENIED');
    const apiToken = await createToken(t);
    const wrongKind = await call('GET', '/api/reports/team:sales-dashboard', { token: apiToken.token });
    expect(wrongKind.status).toBe(403);
    expect(wrongKind.body.error.code).toBe('KIND_DENIED');
  });

  it('serves the share page at /v/report.html?token=…, uncached, with the report the token is bound to', async () => {
    const page = await call('GET', `/v/report.html?token=${share.token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.text).toContain('<h1>Team Sales Dashboard</h1>');
    expect(page.text).not.toContain(share.token);
    expect((await call('GET', '/v/report.html')).status).toBe(401);
  });

  it('refuses a revoked share token everywhere', async () => {
    const revoked = await createToken(t, {
      type: 'report',
      reportId: 'team:sales-dashboard',
      permissions: undefined,
    });
    expect((await call('GET', `/v/report.html?token=${revoked.token}`)).status).toBe(200);
    await revokeToken(t, revoked.id);
    const page = await call('GET', `/v/report.html?token=${revoked.token}`);
    expect(page.status).toBe(401);
    expect(page.body.error.code).toBe('TOKEN_REVOKED');
    expect((await call('GET', '/api/reports/team:sales-dashboard', { token: revoked.token })).status).toBe(
      401,
    );
  });

  it('keeps tokens out of the log: the URL is logged with ?token= redacted', () => {
    expect(redactToken('/v/report.html?token=tsr_shr_abc&x=1')).toBe('/v/report.html?token=[redacted]&x=1');
    expect(redactToken('/a?x=1&TOKEN=secret')).toBe('/a?x=1&TOKEN=[redacted]');
  });
});
