import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, startChildServer, startSilentServer } from '../support/child-server.ts';
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
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { expectError } from './fixtures.ts';

/**
 * The listing's promise (seed 001): whatever the cloud does (hangs, or its process is gone), every local
 * token is still listed, with a warning in place of the cloud's tokens. Run on both stores of this instance.
 */
describe.each(DIALECTS)('report token listing when the cloud fails, on %s', (dialect) => {
  let cloud: ChildServer;
  let local: TestServer;
  let apiToken: string;
  let localIds: string[];
  let cloudId: string;

  beforeAll(async () => {
    [cloud, local] = await Promise.all([startChildServer(), startTestServer(dialect)]);
    apiToken = (await cloudApiToken(cloud)).token;
    await createLocalReport(local);
    // A millisecond apart, so the listing's order (oldest first) is fixed.
    const first = (await createLocalShareToken(local, REPORT.id, 'first')).id;
    local.clock.advance(1);
    localIds = [first, (await createLocalShareToken(local, REPORT.id, 'second')).id];
    await configureCloud(local, cloud.url, apiToken, { 'cloud.timeout_ms': 300 });
    const published = await publish(local, REPORT.id);
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    cloudId = published.body.id;
  });
  afterAll(async () => {
    await Promise.all([cloud?.close(), local?.close()]);
  });

  // The listing's warning is the same whatever failed; publishing (admins only) says what happened.
  const expectLocalTokensWithWarning = async () => {
    const listing = await listTokens(local, REPORT.id);
    expect(listing.status, JSON.stringify(listing.body)).toBe(200);
    expect(listing.body.tokens.map((t: { id: string }) => t.id)).toEqual(localIds);
    expect(listing.body.tokens.every((t: { cloud: boolean }) => t.cloud === false)).toBe(true);
    expect(listing.body.warning).toEqual({ code: 'CLOUD_UNAVAILABLE', message: GENERIC_WARNING });
  };

  it('merges local and cloud tokens while the cloud is up', async () => {
    const listing = await listTokens(local, REPORT.id);
    expect(listing.status).toBe(200);
    expect(listing.body.warning).toBeNull();
    expect(listing.body.tokens.map((t: { id: string; cloud: boolean }) => [t.id, t.cloud])).toEqual([
      [localIds[0], false],
      [localIds[1], false],
      [cloudId, true],
    ]);
  });

  it('answers within the timeout with a warning when the cloud accepts but never answers', async () => {
    const silent = await startSilentServer();
    try {
      await configureCloud(local, silent.url, apiToken, { 'cloud.timeout_ms': 300 });
      await expectLocalTokensWithWarning();
      const response = await publish(local, REPORT.id);
      expectError(response, 502, 'CLOUD_UNAVAILABLE');
      expect(response.body.error.message).toContain(silent.url);
      expect(response.body.error.message).toContain('timed out after 300 ms');
    } finally {
      await silent.close();
      await configureCloud(local, cloud.url, apiToken, { 'cloud.timeout_ms': 300 });
    }
  });

  it('still lists every local token, with a warning, once the cloud process has stopped', async () => {
    await cloud.stop();
    await expectLocalTokensWithWarning();
    const response = await publish(local, REPORT.id);
    expectError(response, 502, 'CLOUD_UNAVAILABLE');
    expect(response.body.error.message).toContain(cloud.url);
    expect(response.body.error.message).toContain('could not be reached (ECONNREFUSED)');
    expect(response.body.error.message).not.toContain(apiToken);
    const revoke = await local.api('DELETE', `/api/reports/${REPORT.id}/cloud-tokens/${cloudId}`, {
      token: local.adminToken,
    });
    expectError(revoke, 502, 'CLOUD_UNAVAILABLE');
  });
});
