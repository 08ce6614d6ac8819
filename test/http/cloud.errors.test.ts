import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, startChildServer } from '../support/child-server.ts';
import {
  cloudApiToken,
  configureCloud,
  createLocalReport,
  createLocalShareToken,
  GENERIC_WARNING,
  listTokens,
  publish,
  REPORT,
} from '../support/cloud-pair.ts';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { expectError } from './fixtures.ts';

/** Cloud publishing turned off, misconfigured, or refused by the cloud: local tokens always still listed. */
describe('cloud publishing when it is off or the cloud refuses', () => {
  let cloud: ChildServer;
  let local: TestServer;
  let apiToken: string;
  let localTokenId: string;

  beforeAll(async () => {
    [cloud, local] = await Promise.all([startChildServer(), startTestServer('sqlite')]);
    apiToken = (await cloudApiToken(cloud)).token;
    await createLocalReport(local);
    localTokenId = (await createLocalShareToken(local, REPORT.id)).id;
  });
  afterAll(async () => {
    await Promise.all([cloud?.close(), local?.close()]);
  });

  const localOnly = async () => {
    const listing = await listTokens(local, REPORT.id);
    expect(listing.status, JSON.stringify(listing.body)).toBe(200);
    expect(listing.body.tokens.map((t: { id: string; cloud: boolean }) => [t.id, t.cloud])).toEqual([
      [localTokenId, false],
    ]);
    return listing.body;
  };

  it('is off by default: publishing answers 409 CLOUD_DISABLED, the listing has no warning', async () => {
    expectError(await publish(local, REPORT.id), 409, 'CLOUD_DISABLED');
    expect((await localOnly()).warning).toBeNull();
  });

  it('counts as off while enabled without a URL or an API token', async () => {
    await configureCloud(local, cloud.url, '', { 'cloud.url': '' });
    expectError(await publish(local, REPORT.id), 409, 'CLOUD_DISABLED');
    await configureCloud(local, cloud.url, '');
    const response = await publish(local, REPORT.id);
    expectError(response, 409, 'CLOUD_DISABLED');
    expect(response.body.error.message).toContain('cloud.api_token');
    expect((await localOnly()).warning).toBeNull();
    const revoke = await local.api('DELETE', `/api/reports/${REPORT.id}/cloud-tokens/${localTokenId}`, {
      token: local.adminToken,
    });
    expectError(revoke, 409, 'CLOUD_DISABLED');
  });

  it('turned off again after publishing: local tokens only, warning null', async () => {
    await configureCloud(local, cloud.url, apiToken);
    expect((await publish(local, REPORT.id)).status).toBe(201);
    expect((await listTokens(local, REPORT.id)).body.tokens).toHaveLength(2);
    await configureCloud(local, cloud.url, apiToken, { 'cloud.enabled': false });
    expect((await localOnly()).warning).toBeNull();
    expectError(await publish(local, REPORT.id), 409, 'CLOUD_DISABLED');
  });

  it('with a wrong API token: publishing answers 502, the listing a warning; the token is never shown', async () => {
    const wrong = 'tsr_api_this-is-not-a-valid-token-0000000000000000';
    await configureCloud(local, cloud.url, wrong);
    const response = await publish(local, REPORT.id);
    expectError(response, 502, 'CLOUD_UNAVAILABLE');
    expect(response.body.error.message).toContain(cloud.url);
    expect(response.body.error.message).toContain('401');
    expect(response.body.error.message).not.toContain(wrong);

    // The listing's warning names no status: it is the same whatever the cloud URL answered.
    expect((await localOnly()).warning).toEqual({ code: 'CLOUD_UNAVAILABLE', message: GENERIC_WARNING });
  });

  it('with an API token lacking permissions on the cloud: 502 naming what the cloud said', async () => {
    const weak = await cloud.api('POST', '/api/tokens', {
      token: cloud.adminToken,
      body: { name: 'weak', expiresInDays: 30, permissions: ['reports:read'] },
    });
    expect(weak.status).toBe(201);
    await configureCloud(local, cloud.url, weak.body.token);
    const response = await publish(local, REPORT.id);
    expectError(response, 502, 'CLOUD_UNAVAILABLE');
    expect(response.body.error.message).toContain('403');
  });

  it('does not trust a cloud that answers 200 with something other than tokens, nor repeats it', async () => {
    const bodies = ['{"tokens":"all of them"}', '<html>maintenance</html>'];
    const impostor = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(bodies[0]);
    });
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(impostor.address() as AddressInfo).port}`;
    try {
      await configureCloud(local, url, apiToken);
      for (const _body of bodies) {
        const { warning } = await localOnly();
        expect(warning).toEqual({ code: 'CLOUD_UNAVAILABLE', message: GENERIC_WARNING });
        const published = await publish(local, REPORT.id);
        expectError(published, 502, 'CLOUD_UNAVAILABLE');
        expect(published.body.error.message).toContain(url);
        for (const text of ['all of them', 'maintenance'])
          expect(JSON.stringify(published.body)).not.toContain(text);
        bodies.shift();
      }
    } finally {
      impostor.closeAllConnections();
      await new Promise((resolve) => impostor.close(resolve));
    }
  });

  it('refuses a cloud.url that is not a URL with 400 naming the field', async () => {
    for (const url of ['not a url', 'ftp://cloud.example.test', 'http://cloud.example.test/?a=1']) {
      const response = await local.api('PATCH', '/api/settings', {
        token: local.adminToken,
        body: { 'cloud.url': url },
      });
      expectError(response, 400, 'VALIDATION_FAILED', 'cloud.url');
    }
    const timeout = await local.api('PATCH', '/api/settings', {
      token: local.adminToken,
      body: { 'cloud.timeout_ms': 5 },
    });
    expectError(timeout, 400, 'VALIDATION_FAILED', 'cloud.timeout_ms');
  });

  it('never writes the API token to the audit log or shows it in the settings', async () => {
    const audit = await local.api('GET', '/api/audit?limit=200', { token: local.adminToken });
    expect(audit.status).toBe(200);
    const updates = audit.body.items.filter((e: { action: string }) => e.action === 'settings.update');
    expect(updates.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit.body)).not.toContain(apiToken);
    const settings = await local.api('GET', '/api/settings', { token: local.adminToken });
    expect(settings.body['cloud.api_token']).toBe('********');
  });
});
