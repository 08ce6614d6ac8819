import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, startChildServer } from '../support/child-server.ts';
import {
  cloudApiToken,
  configureCloud,
  createLocalReport,
  createLocalShareToken,
  listTokens,
  PUBLIC_URL,
  publish,
  REPORT,
} from '../support/cloud-pair.ts';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { expectError, memberSession } from './fixtures.ts';

/**
 * Cloud publishing (seed 001) between two real Tessera instances: this one (in process) publishes report
 * share tokens to a cloud started as its own `tessera serve` process.
 */
describe('cloud publishing to a second Tessera process', () => {
  let cloud: ChildServer;
  let local: TestServer;
  let apiToken: { id: string; token: string };
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely
  const published: any[] = [];

  beforeAll(async () => {
    [cloud, local] = await Promise.all([startChildServer(), startTestServer('sqlite')]);
    apiToken = await cloudApiToken(cloud);
    await configureCloud(local, cloud.url, apiToken.token);
    await createLocalReport(local);
  });
  afterAll(async () => {
    await Promise.all([cloud?.close(), local?.close()]);
  });

  it('lists a report the cloud has never seen with no cloud tokens and no warning', async () => {
    const listing = await listTokens(local, REPORT.id);
    expect(listing.status, JSON.stringify(listing.body)).toBe(200);
    expect(listing.body).toEqual({ tokens: [], warning: null });
  });

  it('publishes a report new to the cloud: registers it there and returns the cloud token', async () => {
    expect((await cloud.api('GET', `/api/reports/${REPORT.id}`, { token: cloud.adminToken })).status).toBe(
      404,
    );

    const response = await publish(local, REPORT.id, { name: 'Partner portal' });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const token = response.body;
    expect(token).toMatchObject({
      type: 'report',
      reportId: REPORT.id,
      cloud: true,
      name: 'Partner portal',
      url: `${PUBLIC_URL}/view/${token.token}`,
      _links: { self: { href: `${cloud.url}/api/tokens/${token.id}` } },
    });
    expect(Date.parse(token.createdAt)).toBeGreaterThan(0);
    expect(Date.parse(token.expiresAt)).toBeGreaterThan(Date.parse(token.createdAt));
    published.push(token);

    const registered = await cloud.api('GET', `/api/reports/${REPORT.id}`, { token: cloud.adminToken });
    expect(registered.status).toBe(200);
    expect(registered.body).toMatchObject({
      id: REPORT.id,
      name: REPORT.name,
      description: REPORT.description,
      viewerUrl: REPORT.viewerUrl,
    });
  });

  it('gives a cloud token that works on the cloud: its share page and verification there', async () => {
    const [token] = published;
    const page = await fetch(`${cloud.url}/view/${token.token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(REPORT.name);
    const verified = await cloud.api('POST', '/api/verify', {
      body: { token: token.token, resource: `report:${REPORT.id}` },
    });
    expect(verified.body).toMatchObject({ valid: true, kind: 'shr', tokenId: token.id });
    // The cloud token is the cloud's: this instance does not know it.
    const here = await local.api('POST', '/api/verify', { body: { token: token.token } });
    expect(here.body.valid).toBe(false);
  });

  it('publishes again: a second cloud token for the already registered report', async () => {
    const response = await publish(local, REPORT.id);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.id).not.toBe(published[0].id);
    expect(response.body.token).not.toBe(published[0].token);
    expect(response.body.cloud).toBe(true);
    published.push(response.body);
  });

  it('lists local and cloud tokens together, with warning null', async () => {
    const localToken = await createLocalShareToken(local, REPORT.id);
    const listing = await listTokens(local, REPORT.id);
    expect(listing.status, JSON.stringify(listing.body)).toBe(200);
    expect(listing.body.warning).toBeNull();
    const { tokens } = listing.body;
    expect(tokens.filter((t: { cloud: boolean }) => !t.cloud).map((t: { id: string }) => t.id)).toEqual([
      localToken.id,
    ]);
    const cloudTokens = tokens.filter((t: { cloud: boolean }) => t.cloud);
    expect(cloudTokens.map((t: { id: string }) => t.id).sort()).toEqual(published.map((t) => t.id).sort());
    for (const t of cloudTokens) {
      expect(t).toMatchObject({
        type: 'report',
        reportId: REPORT.id,
        url: `${PUBLIC_URL}/view/${t.token}`,
        _links: { self: { href: `${cloud.url}/api/tokens/${t.id}` } },
      });
    }
  });

  it('revokes a cloud token through this instance: it stops working on the cloud', async () => {
    const [first, second] = published;
    const revoked = await local.api('DELETE', `/api/reports/${REPORT.id}/cloud-tokens/${first.id}`, {
      token: local.adminToken,
    });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(204);
    expect((await fetch(`${cloud.url}/view/${first.token}`)).status).toBe(404);
    const verified = await cloud.api('POST', '/api/verify', { body: { token: first.token } });
    expect(verified.body.valid).toBe(false);

    const cloudIds = (await listTokens(local, REPORT.id)).body.tokens
      .filter((t: { cloud: boolean }) => t.cloud)
      .map((t: { id: string }) => t.id);
    expect(cloudIds).toEqual([second.id]);
    // Already revoked: no longer among the report's cloud tokens.
    const again = await local.api('DELETE', `/api/reports/${REPORT.id}/cloud-tokens/${first.id}`, {
      token: local.adminToken,
    });
    expectError(again, 404, 'TOKEN_NOT_FOUND');
  });

  it('revokes only the report’s share tokens, never the cloud’s other tokens (its own API token included)', async () => {
    const response = await local.api('DELETE', `/api/reports/${REPORT.id}/cloud-tokens/${apiToken.id}`, {
      token: local.adminToken,
    });
    expectError(response, 404, 'TOKEN_NOT_FOUND');
    const still = await cloud.api('GET', '/api/me', { token: apiToken.token });
    expect(still.status).toBe(200);
  });

  it('audits publishing and revoking with the cloud token id, never a token or the API token', async () => {
    const audit = await local.api('GET', '/api/audit?limit=200', { token: local.adminToken });
    expect(audit.status).toBe(200);
    const events = audit.body.items;
    const publishes = events.filter((e: { action: string }) => e.action === 'report.cloud_publish');
    expect(
      publishes.map((e: { details: { cloudTokenId: string } }) => e.details.cloudTokenId).sort(),
    ).toEqual(published.map((t) => t.id).sort());
    expect(publishes[0]).toMatchObject({ targetType: 'report', targetId: REPORT.id });
    expect(events.find((e: { action: string }) => e.action === 'report.cloud_revoke')?.details).toEqual({
      reportId: REPORT.id,
      cloudTokenId: published[0].id,
    });
    const text = JSON.stringify(events);
    expect(text).not.toContain(apiToken.token);
    for (const t of published) expect(text).not.toContain(t.token);
  });

  it('shows the API token only masked in the settings', async () => {
    const settings = await local.api('GET', '/api/settings', { token: local.adminToken });
    expect(settings.body).toMatchObject({
      'cloud.enabled': true,
      'cloud.url': cloud.url,
      'cloud.api_token': '********',
      'cloud.public_url': PUBLIC_URL,
    });
    expect(JSON.stringify(settings.body)).not.toContain(apiToken.token);
  });

  it('answers 404 REPORT_NOT_FOUND for a report this instance does not have', async () => {
    expectError(await publish(local, 'team:nope'), 404, 'REPORT_NOT_FOUND');
    const revoke = await local.api('DELETE', `/api/reports/team:nope/cloud-tokens/${published[1].id}`, {
      token: local.adminToken,
    });
    expectError(revoke, 404, 'REPORT_NOT_FOUND');
  });

  it('lets only admins with tokens:manage publish or revoke', async () => {
    const member = await memberSession(local, 'cloud-member', { permissions: ['reports:read'] });
    const tries = [
      local.api('POST', `/api/reports/${REPORT.id}/_cloud-publish`, { token: member.token }),
      local.api('DELETE', `/api/reports/${REPORT.id}/cloud-tokens/${published[1].id}`, {
        token: member.token,
      }),
    ];
    for (const response of await Promise.all(tries)) expectError(response, 403, 'FORBIDDEN');
    expectError(await local.api('POST', `/api/reports/${REPORT.id}/_cloud-publish`), 401, 'UNAUTHENTICATED');
  });

  it('passes on the cloud’s refusal of an expiry as the same 400, and refuses unknown body fields', async () => {
    const past = await publish(local, REPORT.id, { expiresAt: '2001-01-01' });
    expectError(past, 400, 'EXPIRY_IN_PAST', 'expiresAt');
    expect(past.body.error.message).toContain(cloud.url);
    expectError(await publish(local, REPORT.id, { token: 'x' }), 400, 'VALIDATION_FAILED');
  });
});
