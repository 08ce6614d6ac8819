import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateToken } from '../../src/core/token-format.ts';
import type { RunningServer } from '../../src/server.ts';
import { ADMIN_PASSWORD, DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { type LogBuffer, startLoggedServer } from '../support/log-capture.ts';
import { createReport, createShareToken, reportPath } from './report-fixtures.ts';
import { createToken, DAY_MS, type Json } from './token-fixtures.ts';

/** GET /view/{token} over real HTTP: status, headers and the HTML text. */
async function view(url: string, token: string) {
  const response = await fetch(`${url}/view/${token}`);
  return { status: response.status, headers: response.headers, html: await response.text() };
}

const INVALID = 'This link is no longer valid';

describe.each(DIALECTS)('share link page /view/{token} on %s', (dialect) => {
  let t: TestServer;
  let report: Json;

  beforeAll(async () => {
    t = await startTestServer(dialect);
    report = await createReport(t, {
      name: 'Sales <b>"Q&A"</b>',
      viewerUrl: 'https://viewer.example.com/embed/{reportId}?t={token}&x=1',
    });
  });
  afterAll(() => t?.close());

  /** The headers every share page carries, valid or not. */
  function expectPageHeaders(headers: Headers, frameAncestors = "'self'") {
    expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(headers.get('cache-control')).toBe('no-store');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    const csp = headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`frame-ancestors ${frameAncestors};`);
    return csp;
  }

  it('shows the report’s name and its viewer in an iframe, with the token and id URL-encoded', async () => {
    const share = await createShareToken(t, report.id);
    const page = await view(t.url, share.token);
    expect(page.status).toBe(200);
    const csp = expectPageHeaders(page.headers);
    expect(csp).toContain('frame-src https://viewer.example.com;');
    expect(page.html).toContain('<h1>Sales &lt;b&gt;&quot;Q&amp;A&quot;&lt;/b&gt;</h1>');
    expect(page.html).not.toContain('<b>');
    const src = `https://viewer.example.com/embed/${encodeURIComponent(report.id)}?t=${encodeURIComponent(share.token)}&amp;x=1`;
    expect(page.html).toContain(`<iframe src="${src}"`);
    expect(report.id).toContain(':');
    expect(src).toContain('%3A');
    // The page's one inline style is allowed by its hash, and nothing else is.
    const style = /<style>(.*)<\/style>/s.exec(page.html)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(csp).toContain(`style-src 'sha256-${hash}'`);
    expect(page.html).not.toContain('<script');
  });

  it('lets the origins in sharing.frame_ancestors frame the page', async () => {
    const origins = 'https://intranet.example.com https://wiki.example.com:8443';
    const set = await t.api('PATCH', '/api/settings', {
      token: t.adminToken,
      body: { 'sharing.frame_ancestors': origins },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const share = await createShareToken(t, report.id);
    expectPageHeaders((await view(t.url, share.token)).headers, `'self' ${origins}`);
    expectPageHeaders((await view(t.url, 'tsr_shr_nonsense')).headers, `'self' ${origins}`);
    await t.api('PATCH', '/api/settings', { token: t.adminToken, body: { 'sharing.frame_ancestors': '' } });
    expectPageHeaders((await view(t.url, share.token)).headers, "'self'");
  });

  it('says so when the report has no viewer configured', async () => {
    const bare = await createReport(t, { name: 'Bare report' });
    const page = await view(t.url, (await createShareToken(t, bare.id)).token);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<h1>Bare report</h1>');
    expect(page.html).toContain('No viewer is configured for this report yet.');
    expect(page.html).not.toContain('<iframe');
    expect(expectPageHeaders(page.headers)).not.toContain('frame-src');
  });

  it('records usage like verification does', async () => {
    const share = await createShareToken(t, report.id);
    await view(t.url, share.token);
    await view(t.url, share.token);
    const inspected = await t.api('GET', `/api/tokens/${share.id}`, { token: t.adminToken });
    expect(inspected.body).toMatchObject({ useCount: 2, lastUsedAt: new Date(t.clock.now()).toISOString() });
  });

  it('answers unknown, malformed, non-share, revoked and orphaned links with the plain 404 page', async () => {
    const revoked = await createShareToken(t, report.id);
    await t.api('DELETE', `/api/tokens/${revoked.id}`, { token: t.adminToken });
    const doomed = await createReport(t);
    const orphan = await createShareToken(t, doomed.id);
    await t.api('DELETE', reportPath(doomed.id), { token: t.adminToken });
    const api = await createToken(t, {});
    for (const token of [
      generateToken('shr'),
      'not-a-token',
      `tsr_shr_${'x'.repeat(300)}`,
      encodeURIComponent('<script>alert(1)</script>'),
      api.token,
      t.adminToken,
      revoked.token,
      orphan.token,
    ]) {
      const page = await view(t.url, token);
      expect(page.status, token).toBe(404);
      expectPageHeaders(page.headers);
      expect(page.html).toContain(INVALID);
      expect(page.html).not.toContain(token);
      expect(page.html).not.toContain('<script>');
    }
  });

  it('stops an expired link', async () => {
    const share = await createShareToken(t, report.id, { expiresInDays: 2 });
    expect((await view(t.url, share.token)).status).toBe(200);
    t.clock.advance(2 * DAY_MS);
    const page = await view(t.url, share.token);
    expect(page.status).toBe(404);
    expect(page.html).toContain(INVALID);
  });
});

describe.each(DIALECTS)('share links in the request log on %s', (dialect) => {
  let logged: Awaited<ReturnType<typeof startLoggedServer>>;
  let server: RunningServer;
  let log: LogBuffer;

  beforeAll(async () => {
    logged = await startLoggedServer(dialect);
    ({ server, log } = logged);
  });
  afterAll(async () => {
    await logged?.close();
  });

  it('never writes the token of a /view/ path to the log', async () => {
    const call = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(server.url + path, init);
      await response.text();
      return {
        status: response.status,
        line: await log.requestLine(response.headers.get('x-request-id') ?? ''),
      };
    };
    const json = { 'content-type': 'application/json' };
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const auth = { ...json, authorization: `Bearer ${((await login.json()) as Json).token}` };
    await fetch(`${server.url}/api/reports`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ id: 'team:logged', name: 'Logged' }),
    });
    const created = await fetch(`${server.url}/api/tokens`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ type: 'report', reportId: 'team:logged' }),
    });
    const { token } = (await created.json()) as Json;

    const valid = await call(`/view/${token}`);
    expect(valid.status).toBe(200);
    expect(valid.line).toMatchObject({ method: 'GET', url: '/view/[redacted]', status: 200 });
    expect((await call(`/view/${token}?utm=1&token=${token}`)).line.url).toBe(
      '/view/[redacted]?utm=1&token=[redacted]',
    );
    const unknownRoute = await call(`/VIEW/${token}`);
    expect(unknownRoute).toMatchObject({ status: 404, line: { url: '/view/[redacted]' } });
    expect((await call(`/%76iew/${token}`)).line.url).toBe('/view/[redacted]');
    expect((await call(`//view/${token}`)).line.url).toBe('/view/[redacted]');
    expect((await call(`/api/reports/team:logged?token=${token}`)).status).toBe(200);

    expect(log.lines.join('\n')).not.toContain(token);
    expect(log.lines.join('\n')).not.toContain(token.slice(8, 40));
  });
});
