import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.ts';
import { ADMIN_PASSWORD, DIALECTS } from '../support/harness.ts';
import { type LogBuffer, startLoggedServer } from '../support/log-capture.ts';

describe.each(DIALECTS)('logging on %s', (dialect) => {
  let server: RunningServer;
  let log: LogBuffer;
  let close: () => Promise<void>;
  let session: string;
  let apiToken: string;

  /** Sends a request and waits until its log line is written; returns the response and that line. */
  async function request(
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: unknown } = {},
  ) {
    const response = await fetch(server.url + path, {
      method,
      headers: {
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await response.text();
    const line = await log.requestLine(response.headers.get('x-request-id') ?? '');
    return { status: response.status, body: text ? JSON.parse(text) : null, line };
  }

  beforeAll(async () => {
    const logged = await startLoggedServer(dialect);
    ({ server, log } = logged);
    close = logged.close;
    session = (
      await request('POST', '/api/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } })
    ).body.token;
    apiToken = (
      await request('POST', '/api/tokens', {
        headers: { authorization: `Bearer ${session}` },
        body: { name: 'logged', permissions: ['subscription:execute'], expiresInDays: 30 },
      })
    ).body.token;
  });
  afterAll(async () => {
    await close?.();
  });

  it('logs a request made with ?token= but not the token', async () => {
    const me = await request('GET', `/api/me?token=${session}`);
    expect(me.status).toBe(200);
    expect(me.body.username).toBe('admin');
    expect(me.line).toMatchObject({ method: 'GET', url: '/api/me?token=[redacted]', status: 200 });
    expect(log.text).not.toContain(session);
  });

  it('hides the token wherever it sits in the query, and on failing and unknown routes', async () => {
    const verify = await request('GET', `/api/verify?permission=subscription:execute&token=${apiToken}&x=1`);
    expect(verify.body.valid).toBe(true);
    expect(verify.line.url).toBe('/api/verify?permission=subscription:execute&token=[redacted]&x=1');

    const unknown = await request('GET', `/api/nothing-here?token=${apiToken}`);
    expect(unknown.status).toBe(404);
    expect(unknown.line).toMatchObject({ status: 404, url: '/api/nothing-here?token=[redacted]' });

    const upper = await request('GET', `/api/me?TOKEN=${apiToken}`);
    expect(upper.line.url).toBe('/api/me?TOKEN=[redacted]');

    expect(log.text).not.toContain(apiToken);
    expect(log.text).not.toContain(apiToken.slice(8, 40));
  });

  it('hides a token pasted anywhere: in a path, another parameter, or an error message', async () => {
    const paths = [
      `/api/tokens/${apiToken}`,
      `/api/reports/${apiToken}`,
      `/oauth/${apiToken}`,
      `/integration/v1/${apiToken}`,
      `/api/tokens?q=${apiToken}`,
      `/api/me?access_token=${apiToken}`,
    ];
    for (const path of paths) {
      const response = await request('GET', path, { headers: { authorization: `Bearer ${session}` } });
      expect(JSON.stringify(response.body), path).not.toContain(apiToken.slice(8));
      expect(response.line.url, path).not.toContain(apiToken.slice(8));
    }
    expect(log.text).not.toContain(apiToken.slice(8, 40));
  });

  it('hides a token whose parameter name is percent-encoded', async () => {
    const encoded = await request('GET', `/api/me?%74oken=${session}`);
    // Whether or not the query parser decodes the name, the token must not reach the log.
    expect([200, 401]).toContain(encoded.status);
    expect(encoded.line.url).toBe('/api/me?%74oken=[redacted]');
    expect(log.text).not.toContain(session);
  });

  it('never logs passwords or tokens sent in headers or bodies', async () => {
    const failed = await request('POST', '/api/auth/login', {
      body: { username: 'admin', password: 'a wrong guess 123' },
    });
    expect(failed.status).toBe(401);
    const viaHeader = await request('GET', '/api/me', { headers: { authorization: `Bearer ${apiToken}` } });
    expect(viaHeader.line).toMatchObject({ url: '/api/me' });
    const viaTokenHeader = await request('GET', '/api/verify', { headers: { token: apiToken } });
    expect(viaTokenHeader.body.valid).toBe(true);

    expect(log.text).not.toContain('a wrong guess 123');
    expect(log.text).not.toContain(ADMIN_PASSWORD);
    expect(log.text).not.toContain(apiToken);
    expect(log.text).not.toContain(session);
  });
});
