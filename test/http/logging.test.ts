import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { type RunningServer, startServer } from '../../src/server.ts';
import { ADMIN_PASSWORD, DIALECTS, freshDatabase, START } from '../support/harness.ts';

/** The log as the service writes it: every line kept, and an event per line to wait on (no sleeping). */
class LogBuffer extends Writable {
  readonly lines: string[] = [];
  private readonly events = new EventEmitter();

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      this.lines.push(line);
      this.events.emit('line', line);
    }
    done();
  }

  /** Resolves with the per-request log line of the request with this id, once it is written. */
  requestLine(requestId: string): Promise<Record<string, unknown>> {
    const match = (line: string) =>
      line.includes(`"reqId":"${requestId}"`) && line.includes('"msg":"request"');
    const found = this.lines.find(match);
    if (found) return Promise.resolve(JSON.parse(found));
    return new Promise((resolve) => {
      const listener = (line: string) => {
        if (!match(line)) return;
        this.events.off('line', listener);
        resolve(JSON.parse(line));
      };
      this.events.on('line', listener);
    });
  }

  get text(): string {
    return this.lines.join('\n');
  }
}

describe.each(DIALECTS)('logging on %s', (dialect) => {
  let server: RunningServer;
  let log: LogBuffer;
  let cleanup: () => void;
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
    const db = await freshDatabase(dialect);
    cleanup = db.cleanup;
    const config = loadConfig(
      { TESSERA_SECRET: 'test-secret-test-secret-test-secret-0123', TESSERA_LOG_LEVEL: 'info' },
      { port: 0, dataDir: db.dataDir, databaseUrl: db.databaseUrl, adminPassword: ADMIN_PASSWORD },
    );
    log = new LogBuffer();
    server = await startServer(config, { clock: new ManualClock(START), logStream: log });
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
    await server?.close();
    cleanup?.();
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
