import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { expectError } from './fixtures.ts';

const TOKEN = 'prometheus-scrape-token-0123456789abcdef';

describe.each(DIALECTS)('who may read /metrics (TESSERA_METRICS) on %s', (dialect) => {
  let off: TestServer;
  let open: TestServer;
  let token: TestServer;
  beforeAll(async () => {
    [off, open, token] = await Promise.all([
      startTestServer(dialect),
      startTestServer(dialect, { TESSERA_METRICS: 'open' }),
      startTestServer(dialect, { TESSERA_METRICS: 'token', TESSERA_METRICS_TOKEN: TOKEN }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([off?.close(), open?.close(), token?.close()]);
  });

  const scrape = (t: TestServer, authorization?: string) =>
    t.api('GET', '/metrics', { headers: authorization ? { authorization } : {} });

  it('is off by default: 404, whatever is presented', async () => {
    const response = await scrape(off);
    expectError(response, 404, 'ROUTE_NOT_FOUND');
    expect(response.body.error.message).toContain('TESSERA_METRICS');
    expectError(await scrape(off, `Bearer ${TOKEN}`), 404, 'ROUTE_NOT_FOUND');
  });

  it('open: anyone reads the Prometheus text', async () => {
    const response = await scrape(open);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(response.body).toContain('# TYPE tessera_verifications_total counter');
  });

  it('token: 401 with WWW-Authenticate without the bearer token or with another, 200 with it', async () => {
    for (const presented of [undefined, 'Bearer wrong', `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, TOKEN]) {
      const refused = await scrape(token, presented);
      expectError(refused, 401, 'UNAUTHENTICATED');
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(JSON.stringify(refused.body)).not.toContain('tessera_');
    }
    // An admin's session token is not the metrics token either.
    expectError(await scrape(token, `Bearer ${token.adminToken}`), 401, 'UNAUTHENTICATED');
    const scraped = await scrape(token, `Bearer ${TOKEN}`);
    expect(scraped.status).toBe(200);
    expect(scraped.body).toContain('# TYPE tessera_verifications_total counter');
  });
});
