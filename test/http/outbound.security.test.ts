import { lookup } from 'node:dns/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { ManualClock } from '../../src/core/clock.ts';
import type { OutboundPolicy } from '../../src/core/outbound-policy.ts';
import { OutboundClient, type Resolver } from '../../src/http/outbound/client.ts';
import { startServer } from '../../src/server.ts';
import { GENERIC_WARNING } from '../support/cloud-pair.ts';
import {
  ADMIN_PASSWORD,
  apiClient,
  DIALECTS,
  type Dialect,
  freshDatabase,
  START,
  type TestServer,
} from '../support/harness.ts';
import { type StubPeer, startStubPeer } from '../support/stub-peer.ts';
import { expectError } from './fixtures.ts';
import { createReport, reportPath } from './report-fixtures.ts';
import { createUser } from './token-fixtures.ts';

/**
 * Outbound calls (DESIGN.md "Trust boundaries"): cloud publishing must not become a way to reach this
 * machine's or its network's private services (SSRF), to scan ports, or to leak the cloud's API token or
 * what a remote service answers. Every peer here is a stub on 127.0.0.1; host names ending in `.test` resolve
 * to it through the client's resolver, as a hostile DNS name pointing inward would.
 */

const OPEN: OutboundPolicy = { allowHttp: true, allowPrivateNetwork: true };
const HTTP_ONLY: OutboundPolicy = { allowHttp: true, allowPrivateNetwork: false };

/** `*.test` names resolve to the loopback address, counting lookups; anything else as the system says. */
function inwardResolver(): Resolver & { lookups: string[] } {
  const lookups: string[] = [];
  const resolve = async (hostname: string) => {
    lookups.push(hostname);
    if (hostname.endsWith('.test')) return [{ address: '127.0.0.1', family: 4 }];
    return lookup(hostname, { all: true });
  };
  return Object.assign(resolve, { lookups });
}

const get = (client: OutboundClient, url: string, policy: OutboundPolicy, timeoutMs = 5000) =>
  client.request({ method: 'GET', url: new URL(url), headers: {}, timeoutMs, policy });

describe('the outbound client', () => {
  const peers: StubPeer[] = [];
  const peer = async (...args: Parameters<typeof startStubPeer>) => {
    const started = await startStubPeer(...args);
    peers.push(started);
    return started;
  };
  afterEach(async () => {
    await Promise.all(peers.splice(0).map((p) => p.close()));
  });

  it('calls a peer the policy allows and hands back its status and body', async () => {
    const target = await peer();
    expect(await get(new OutboundClient(), `${target.url}/api/x`, OPEN)).toEqual({
      ok: true,
      status: 200,
      body: '{"tokens":[]}',
    });
    expect(target.requests).toMatchObject([{ method: 'GET', url: '/api/x' }]);
  });

  it('refuses plain http, credentials in the URL and non-public literal addresses before connecting', async () => {
    const target = await peer();
    const client = new OutboundClient();
    const cases: [string, OutboundPolicy, string][] = [
      [target.url, { allowHttp: false, allowPrivateNetwork: true }, 'https'],
      [`http://user:secret@127.0.0.1:${target.port}`, OPEN, 'user name or password'],
      [target.url, HTTP_ONLY, 'loopback'],
      [`http://[::1]:${target.port}`, HTTP_ONLY, 'loopback'],
      [`http://[::ffff:127.0.0.1]:${target.port}`, HTTP_ONLY, 'loopback'],
      [`http://0x7f.1:${target.port}`, HTTP_ONLY, 'loopback'],
      [`http://2130706433:${target.port}`, HTTP_ONLY, 'loopback'],
      ['http://169.254.169.254/latest/meta-data/', HTTP_ONLY, 'link-local'],
      ['http://10.1.2.3/', HTTP_ONLY, 'private'],
      ['http://192.168.0.1/', HTTP_ONLY, 'private'],
      ['http://[fd00::1]/', HTTP_ONLY, 'private'],
      ['http://[fe80::1]/', HTTP_ONLY, 'link-local'],
      ['http://0.0.0.0/', HTTP_ONLY, 'unspecified'],
    ];
    for (const [url, policy, says] of cases) {
      const result = await get(client, url, policy);
      expect(result, url).toMatchObject({ ok: false, failure: 'refused' });
      expect(result.ok === false && result.detail, url).toContain(says);
    }
    expect(target.requests).toEqual([]);
  });

  it('checks the address a name resolves to in each connection’s own lookup', async () => {
    const target = await peer();
    const resolve = inwardResolver();
    const client = new OutboundClient({ resolve });
    const url = `http://cloud.test:${target.port}/api/x`;

    const refused = await get(client, url, HTTP_ONLY);
    expect(refused).toEqual({
      ok: false,
      failure: 'refused',
      detail:
        'cloud.test resolves to 127.0.0.1, a loopback address (allowed only with outbound.allow_private_network)',
    });
    expect(target.requests).toEqual([]);

    // Allowed, each request resolves the name again: no answer is reused past the connection it was for.
    expect(await get(client, url, OPEN)).toMatchObject({ ok: true, status: 200 });
    expect(await get(client, url, OPEN)).toMatchObject({ ok: true, status: 200 });
    expect(resolve.lookups).toEqual(['cloud.test', 'cloud.test', 'cloud.test']);
    expect(target.requests.map((r) => r.host)).toEqual([
      `cloud.test:${target.port}`,
      `cloud.test:${target.port}`,
    ]);

    // The same name pointing inward on a later lookup (DNS rebinding) is refused on that connection.
    expect(await get(client, url, HTTP_ONLY)).toMatchObject({ ok: false, failure: 'refused' });
    expect(target.requests).toHaveLength(2);
  });

  it('refuses `localhost` as the system resolves it', async () => {
    const target = await peer();
    const result = await get(new OutboundClient(), `http://localhost:${target.port}/`, HTTP_ONLY);
    expect(result).toMatchObject({ ok: false, failure: 'refused' });
    expect(target.requests).toEqual([]);
  });

  it('follows no redirect: a 3xx is the answer', async () => {
    const elsewhere = await peer();
    const redirecting = await peer((_request, response) =>
      response.writeHead(302, { location: `${elsewhere.url}/stolen` }).end(),
    );
    expect(await get(new OutboundClient(), redirecting.url, OPEN)).toMatchObject({ ok: true, status: 302 });
    expect(elsewhere.requests).toEqual([]);
  });

  it('stops reading an answer past its size bound, and one that never comes at the timeout', async () => {
    const big = await peer((_request, response) => response.end('x'.repeat(10_000)));
    const client = new OutboundClient({ maxBytes: 1000 });
    expect(await get(client, big.url, OPEN)).toEqual({
      ok: false,
      failure: 'too_large',
      detail: 'answered more than 1000 bytes',
    });
    const silent = await peer(() => {});
    expect(await get(client, silent.url, OPEN, 200)).toEqual({
      ok: false,
      failure: 'timeout',
      detail: 'timed out after 200 ms',
    });
  });
});

/** The real service with an outbound client whose resolver sends `*.test` names to the loopback address. */
async function startInwardServer(dialect: Dialect): Promise<TestServer> {
  const db = await freshDatabase(dialect);
  const config = loadConfig(
    { TESSERA_SECRET: 'test-secret-test-secret-test-secret-0123', TESSERA_LOG_LEVEL: 'silent' },
    { port: 0, dataDir: db.dataDir, databaseUrl: db.databaseUrl, adminPassword: ADMIN_PASSWORD },
  );
  const clock = new ManualClock(START);
  const outbound = new OutboundClient({ resolve: inwardResolver() });
  const server = await startServer(config, { clock, logger: false, outbound });
  const api = apiClient(server.url);
  const login = async (username: string, password: string) => {
    const response = await api('POST', '/api/auth/login', { body: { username, password } });
    if (response.status !== 200) throw new Error(`login failed: ${JSON.stringify(response.body)}`);
    return response.body.token as string;
  };
  return {
    server,
    url: server.url,
    clock,
    adminToken: await login('admin', ADMIN_PASSWORD),
    api,
    login,
    async close() {
      await server.close();
      db.cleanup();
    },
  };
}

describe.each(DIALECTS)('cloud publishing’s outbound rules on %s', (dialect) => {
  let t: TestServer;
  let reportId: string;
  const peers: StubPeer[] = [];
  const peer = async (...args: Parameters<typeof startStubPeer>) => {
    const started = await startStubPeer(...args);
    peers.push(started);
    return started;
  };

  beforeAll(async () => {
    t = await startInwardServer(dialect);
    reportId = (await createReport(t)).id;
  });
  afterEach(async () => {
    await Promise.all(peers.splice(0).map((p) => p.close()));
  });
  afterAll(() => t?.close());

  const patch = (body: Record<string, unknown>) =>
    t.api('PATCH', '/api/settings', { token: t.adminToken, body });
  const settings = async () => (await t.api('GET', '/api/settings', { token: t.adminToken })).body;
  const listing = () => t.api('GET', reportPath(reportId, '/tokens'), { token: t.adminToken });
  const publish = (body: Record<string, unknown> = {}) =>
    t.api('POST', reportPath(reportId, '/_cloud-publish'), { token: t.adminToken, body });
  /** Points cloud publishing at `url` with these outbound rules and a fresh API token. */
  const pointAt = async (url: string, policy: OutboundPolicy, apiToken = 'tsr_api_cloud-credential') => {
    const response = await patch({
      'outbound.allow_http': policy.allowHttp,
      'outbound.allow_private_network': policy.allowPrivateNetwork,
      'cloud.enabled': true,
      'cloud.url': url,
      'cloud.api_token': apiToken,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
  };

  it('is closed by default: https only, no private addresses', async () => {
    expect(await settings()).toMatchObject({
      'outbound.allow_http': false,
      'outbound.allow_private_network': false,
    });
  });

  it('refuses every inward or disguised cloud.url when it is saved, with a 400 naming cloud.url', async () => {
    await pointAt('https://cloud.example.com', { allowHttp: false, allowPrivateNetwork: false });
    const refused = [
      'http://cloud.example.com',
      'https://127.0.0.1',
      'https://127.0.0.1:8443/api',
      'https://169.254.169.254',
      'https://[::1]',
      'https://[::ffff:127.0.0.1]',
      'https://0x7f.1',
      'https://2130706433',
      'https://017700000001',
      'https://localhost',
      'https://LOCALHOST.:8443',
      'https://api.localhost',
      'https://10.0.0.8',
      'https://172.16.5.4',
      'https://192.168.1.1',
      'https://100.64.0.1',
      'https://0.0.0.0',
      'https://[fe80::1]',
      'https://[fd12:3456::1]',
      'https://user:password@cloud.example.com',
      'https://token@cloud.example.com',
    ];
    for (const url of refused)
      expectError(await patch({ 'cloud.url': url }), 400, 'VALIDATION_FAILED', 'cloud.url');
    // With plain http allowed, the addresses are still refused for what they are.
    await patch({ 'outbound.allow_http': true });
    for (const url of ['http://127.0.0.1:9', 'http://169.254.169.254/latest/meta-data', 'http://[::1]:9']) {
      const response = await patch({ 'cloud.url': url });
      expectError(response, 400, 'VALIDATION_FAILED', 'cloud.url');
      expect(response.body.error.message).toContain('outbound.allow_private_network');
    }
    // Nothing was written: the URL and its API token are as they were.
    expect(await settings()).toMatchObject({
      'cloud.url': 'https://cloud.example.com',
      'cloud.api_token': '********',
    });
    await patch({ 'outbound.allow_http': false });
  });

  it('refuses disguised addresses and credentials even with private addresses and http allowed', async () => {
    await patch({ 'outbound.allow_http': true, 'outbound.allow_private_network': true });
    try {
      for (const url of [
        'http://0x7f.1:9',
        'http://2130706433:9',
        'http://127.1:9',
        'http://[::ffff:127.0.0.1]:9',
        'http://admin:admin@127.0.0.1:9',
      ]) {
        expectError(await patch({ 'cloud.url': url }), 400, 'VALIDATION_FAILED', 'cloud.url');
      }
      expect((await patch({ 'cloud.url': 'http://127.0.0.1:9' })).status).toBe(200);
    } finally {
      await patch({ 'outbound.allow_http': false, 'outbound.allow_private_network': false });
    }
  });

  it('refuses a name that resolves to a loopback address when it connects, and says only that', async () => {
    const cloud = await peer();
    // A name is not resolved when saved: the check that counts is the one on each connection.
    await pointAt(`http://cloud.test:${cloud.port}`, HTTP_ONLY);

    const listed = await listing();
    expect(listed.status).toBe(200);
    expect(listed.body.warning.code).toBe('OUTBOUND_REFUSED');
    expect(listed.body.warning.message).toContain('outbound.allow_private_network');
    expect(JSON.stringify(listed.body)).not.toContain('127.0.0.1');

    const published = await publish();
    expectError(published, 409, 'OUTBOUND_REFUSED');
    expect(published.body.error.message).toContain('cloud.test resolves to 127.0.0.1, a loopback address');
    expect(cloud.requests).toEqual([]);

    // Allowed, the same name reaches the peer, with the API token.
    await patch({ 'outbound.allow_private_network': true });
    expect((await listing()).body.warning).toBeNull();
    expect(cloud.requests).toMatchObject([
      {
        method: 'GET',
        host: `cloud.test:${cloud.port}`,
        authorization: 'Bearer tsr_api_cloud-credential',
      },
    ]);
    // A member's listing does not call the cloud at all: members can neither probe the URL nor see its links.
    const member = await createUser(t, { role: 'member' });
    const asMember = await t.api('GET', reportPath(reportId, '/tokens'), { token: member.session });
    expect(asMember.body).toEqual({ tokens: [], warning: null });
    expect(cloud.requests).toHaveLength(1);
    await patch({ 'outbound.allow_private_network': false });
  });

  it('refuses `localhost` when it connects, once private addresses are no longer allowed', async () => {
    const cloud = await peer();
    await pointAt(`http://localhost:${cloud.port}`, OPEN);
    await patch({ 'outbound.allow_private_network': false });
    expect((await listing()).body.warning.code).toBe('OUTBOUND_REFUSED');
    expectError(await publish(), 409, 'OUTBOUND_REFUSED');
    expect(cloud.requests).toEqual([]);
  });

  it('follows no redirect, so neither the API token nor the request goes where it points', async () => {
    const elsewhere = await peer();
    const cloud = await peer((_request, response) =>
      response.writeHead(307, { location: `${elsewhere.url}/api/tokens` }).end(),
    );
    await pointAt(cloud.url, OPEN);
    expect((await listing()).body.warning).toEqual({ code: 'CLOUD_UNAVAILABLE', message: GENERIC_WARNING });
    const published = await publish();
    expectError(published, 502, 'CLOUD_UNAVAILABLE');
    expect(published.body.error.message).toContain('answered 307');
    expect(cloud.requests.length).toBeGreaterThan(0);
    expect(elsewhere.requests).toEqual([]);
  });

  it('never puts what a remote service answered into a warning or an error', async () => {
    const secret = 'root:x:0:0 internal-admin-panel';
    const answers = [
      [500, 'text/html', `<h1>${secret}</h1>`],
      [401, 'application/json', JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: secret } })],
      [200, 'application/json', JSON.stringify({ tokens: secret })],
      [400, 'application/json', JSON.stringify({ error: { code: 'EXPIRY_IN_PAST', message: secret } })],
    ] as const;
    for (const [status, type, body] of answers) {
      const cloud = await peer((_request, response) =>
        response.writeHead(status, { 'content-type': type }).end(body),
      );
      await pointAt(cloud.url, OPEN);
      const listed = await listing();
      expect(listed.status).toBe(200);
      expect(listed.body.warning).toEqual({ code: 'CLOUD_UNAVAILABLE', message: GENERIC_WARNING });
      const published = await publish({ expiresAt: '2030-01-01' });
      expect([400, 502]).toContain(published.status);
      expect(JSON.stringify(published.body)).not.toContain('internal-admin-panel');
      expect(cloud.requests.length).toBeGreaterThan(0);
    }
    // A refusal of the caller's own input keeps its code and field, in this instance's words.
    const last = await publish({ expiresAt: '2030-01-01' });
    expectError(last, 400, 'EXPIRY_IN_PAST', 'expiresAt');
  });

  it('clears the stored API token when cloud.url changes, so it is never sent to the new host', async () => {
    const first = await peer();
    const second = await peer();
    await pointAt(first.url, OPEN, 'tsr_api_for-the-first-cloud');
    expect((await settings())['cloud.api_token']).toBe('********');

    // Only the URL changes (as a form sending back the mask would do): the token is gone.
    for (const body of [
      { 'cloud.url': second.url },
      { 'cloud.url': `${second.url}/`, 'cloud.api_token': '********' },
    ]) {
      await pointAt(first.url, OPEN, 'tsr_api_for-the-first-cloud');
      const changed = await patch(body);
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      expect(changed.body['cloud.api_token']).toBe('');
      expectError(await publish(), 409, 'CLOUD_DISABLED');
      expect((await listing()).body.warning).toBeNull();
    }
    expect(second.requests).toEqual([]);

    // The clearing is audited like any change of a credential: set, then unset.
    const audit = await t.api('GET', '/api/audit?action=settings.update&limit=1', { token: t.adminToken });
    expect(audit.body.items[0].details['cloud.api_token']).toEqual({ from: '********', to: '' });
    expect(JSON.stringify(audit.body)).not.toContain('tsr_api_for-the-first-cloud');

    // Saving the same URL again, or another setting, keeps it; a new URL with a new token takes both.
    await pointAt(second.url, OPEN, 'tsr_api_for-the-second-cloud');
    for (const body of [{ 'cloud.url': second.url }, { 'cloud.timeout_ms': 1500 }]) {
      expect((await patch(body)).body['cloud.api_token']).toBe('********');
    }
    expect((await listing()).body.warning).toBeNull();
    expect(second.requests.map((r) => r.authorization)).toEqual(['Bearer tsr_api_for-the-second-cloud']);
    expect(first.requests).toEqual([]);
  });
});
