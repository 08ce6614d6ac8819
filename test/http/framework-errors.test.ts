import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerClientError } from '../../src/http/framework-errors.ts';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { expectError } from './fixtures.ts';
import { expectIntegrationError } from './integration-fixtures.ts';

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function parseRaw(text: string): RawResponse {
  const split = text.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => [
      line.slice(0, line.indexOf(':')).toLowerCase(),
      line.slice(line.indexOf(':') + 1).trim(),
    ]),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body: text.slice(split + 4) };
}

/** Writes bytes to the server over a plain socket and reads until it closes: for what Node refuses to parse. */
function rawRequest(url: string, data: string): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(data));
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('close', () => (text ? resolve(parseRaw(text)) : reject(new Error('no answer'))));
    socket.on('error', () => undefined);
  });
}

// A token-shaped secret: no answer may echo it back.
const SECRET = 'tsr_api_4bTq9YhWm2LrXc7NvK3sPz8GdJ6fHe1A5uR0oQiCwX1Zb9';

/**
 * Failures before a route is chosen (a URL that does not decode, a path segment over the router's limit,
 * an unknown path) and before there is a request (oversized headers, a malformed request line) answer in
 * the shape of the route family the URL is for, with a request id, and never quote the URL or a header.
 * Nothing here reaches the store, so one dialect is enough.
 */
describe('framework errors answer in each route family’s error shape', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
  });
  afterAll(() => t?.close());

  const get = (path: string) => t.api('GET', path, { token: t.adminToken });

  describe('management API', () => {
    it('a bad percent-encoding is 400 BAD_URL, not the URL quoted back', async () => {
      const response = await t.api('DELETE', '/api/tokens/%00%ff', { token: t.adminToken });
      expectError(response, 400, 'BAD_URL');
      expect(JSON.stringify(response.body)).not.toMatch(/%ff|%00|api\/tokens/i);
      expectError(await get(`/api/tokens/%ff?token=${SECRET}`), 400, 'BAD_URL');
      expectError(await get('/%E0%A4%A'), 400, 'BAD_URL');
    });

    it('a path parameter over 1,000 characters is 414 URI_TOO_LONG, with no part of it echoed', async () => {
      const long = 'r'.repeat(1200);
      const response = await get(`/api/reports/${long}`);
      expectError(response, 414, 'URI_TOO_LONG');
      expect(response.body.error.message).toBe('A path segment is longer than 1,000 characters.');
      expect(response.headers.get('cache-control')).toBe('no-store');
      // Right at the limit it is an ordinary answer from the route.
      expectError(await get(`/api/reports/${'r'.repeat(1000)}`), 400, 'VALIDATION_FAILED', 'id');
    });

    it('an unknown path names the path, never a token in it or in the query string', async () => {
      const response = await get(`/api/nothing/${SECRET}/here?token=${SECRET}&x=1`);
      expectError(response, 404, 'ROUTE_NOT_FOUND');
      expect(response.body.error.message).toBe('No endpoint GET /api/nothing/tsr_[redacted]/here.');
      expect(JSON.stringify(response.body)).not.toContain(SECRET.slice(8));
    });

    it('a bad percent-encoding in the query string is not a 500', async () => {
      const response = await get('/api/tokens?cursor=%ff&limit=%zz');
      expect(response.status).toBeLessThan(500);
      expect(Object.keys(response.body)).toEqual(['error']);
    });
  });

  describe('the share page /view', () => {
    const expectPage = (response: Awaited<ReturnType<TestServer['api']>>, status: number, title: string) => {
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(String(response.body)).toMatch(/^<!doctype html>/);
      expect(String(response.body)).toContain(`<h1>${title}</h1>`);
      expect(String(response.body)).toContain(response.headers.get('x-request-id'));
    };

    it('answers a bad percent-encoding, an overlong token and an unknown path with small HTML pages', async () => {
      expectPage(await t.api('GET', '/view/%ff'), 400, 'This link is malformed');
      expectPage(await t.api('GET', `/view/${'v'.repeat(1200)}`), 414, 'This link is too long');
      const unknown = await t.api('GET', `/view/${SECRET}/more?token=${SECRET}`);
      expectPage(unknown, 404, 'Page not found');
      expect(String(unknown.body)).not.toContain(SECRET.slice(8));
    });
  });

  describe('OAuth endpoints', () => {
    const expectOAuth = (response: Awaited<ReturnType<TestServer['api']>>, status: number) => {
      expect(response.status).toBe(status);
      expect(Object.keys(response.body).sort()).toEqual(['error', 'error_description']);
      expect(response.body.error).toBe('invalid_request');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(JSON.stringify(response.body)).not.toContain(SECRET.slice(8));
    };

    it('an unknown path under /oauth does not echo ?token= back', async () => {
      const response = await t.api('GET', `/oauth/nope?token=${SECRET}`);
      expectOAuth(response, 404);
      expect(response.body.error_description).toBe('No endpoint GET /oauth/nope.');
      expectOAuth(await t.api('POST', `/apiops/${SECRET}?token=${SECRET}`), 404);
      expectOAuth(await t.api('GET', `/.well-known/nothing?token=${SECRET}`), 404);
    });

    it('a bad percent-encoding or an overlong path is invalid_request', async () => {
      expectOAuth(await t.api('POST', `/oauth/%ff?token=${SECRET}`), 400);
      expectOAuth(await t.api('GET', '/.well-known/%ff'), 400);
      expectOAuth(await t.api('POST', '/apiops/auth/%c0'), 400);
    });
  });

  describe('/integration/v1', () => {
    it('a bad percent-encoding is {detail, code} BAD_URL', async () => {
      expectIntegrationError(await t.api('POST', '/integration/v1/%ff/'), 400, 'BAD_URL', 'malformed');
      expectIntegrationError(await t.api('POST', '/%69ntegration/v1/%ff'), 400, 'BAD_URL');
    });

    it('an unknown path does not echo a token in the path or the query', async () => {
      const response = await t.api('POST', `/integration/v1/${SECRET}/?token=${SECRET}`);
      expectIntegrationError(response, 404, 'ROUTE_NOT_FOUND');
      expect(JSON.stringify(response.body)).not.toContain(SECRET.slice(8));
    });
  });

  describe('what Node refuses before Fastify sees a request', () => {
    const bigHeader = `X-Padding: ${'p'.repeat(20 * 1024)}\r\n`;

    it('20 KB of headers: 431 HEADERS_TOO_LARGE in the management shape, with a request id', async () => {
      const response = await rawRequest(
        t.url,
        `GET /api/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${SECRET}\r\n${bigHeader}\r\n`,
      );
      expect(response.status).toBe(431);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      const body = JSON.parse(response.body);
      expect(body.error.code).toBe('HEADERS_TOO_LARGE');
      expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'requestId']);
      expect(body.error.requestId).toBe(response.headers['x-request-id']);
      expect(response.body).not.toContain(SECRET.slice(8));
      expect(response.body).not.toContain('ppppp');
    });

    it('20 KB of headers on another family: its shape, chosen by the request line', async () => {
      const view = await rawRequest(t.url, `GET /view/${SECRET} HTTP/1.1\r\nHost: x\r\n${bigHeader}\r\n`);
      expect(view.status).toBe(431);
      expect(view.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(view.body).toContain('<h1>Request too large</h1>');
      expect(view.body).not.toContain(SECRET.slice(8));

      const oauth = await rawRequest(t.url, `POST /oauth/token HTTP/1.1\r\nHost: x\r\n${bigHeader}\r\n`);
      expect(oauth.status).toBe(431);
      expect(Object.keys(JSON.parse(oauth.body)).sort()).toEqual(['error', 'error_description']);

      const integration = await rawRequest(
        t.url,
        `POST /integration/v1/createRefreshToken/ HTTP/1.1\r\nHost: x\r\n${bigHeader}\r\n`,
      );
      expect(integration.status).toBe(431);
      expect(JSON.parse(integration.body)).toEqual({
        detail: 'The request line and headers are larger than 16 KB.',
        code: 'HEADERS_TOO_LARGE',
      });
    });

    it('a malformed request line: 400 MALFORMED_REQUEST in the management shape', async () => {
      for (const request of [`GET /api/me?token=${SECRET} x y HTTP/1.1\r\n\r\n`, 'GARBAGE\r\n\r\n']) {
        const response = await rawRequest(t.url, request);
        expect(response.status).toBe(400);
        const body = JSON.parse(response.body);
        expect(body.error.code).toBe('MALFORMED_REQUEST');
        expect(body.error.requestId).toBe(response.headers['x-request-id']);
        expect(response.body).not.toContain(SECRET.slice(8));
      }
    });

    it('a request whose headers do not arrive in time: 408 REQUEST_TIMEOUT', async () => {
      // Node raises this after its headersTimeout (a minute); the handler is driven directly on a real socket.
      const server = net.createServer((socket) =>
        answerClientError(
          Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }),
          socket,
          undefined,
        ),
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as net.AddressInfo;
      try {
        const response = await rawRequest(`http://127.0.0.1:${port}`, 'GET /api/me HTTP/1.1\r\n');
        expect(response.status).toBe(408);
        expect(JSON.parse(response.body).error.code).toBe('REQUEST_TIMEOUT');
      } finally {
        server.close();
      }
    });
  });
});
