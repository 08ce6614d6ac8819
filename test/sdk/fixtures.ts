import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { expect } from 'vitest';
import type { TestServer } from '../support/harness.ts';

/** Shared set-up for the SDK suites: tokens on a real Tessera, and real servers that misbehave. */

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely
export type Json = any;

/** Creates an API token as the bootstrap admin (`POST /api/tokens`) and returns its JSON, token included. */
export async function createToken(t: TestServer, fields: Record<string, unknown> = {}): Promise<Json> {
  const response = await t.api('POST', '/api/tokens', {
    token: t.adminToken,
    body: { name: 'sdk test', permissions: ['subscription:execute'], expiresInDays: 30, ...fields },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

/** Revokes a token by id as the bootstrap admin. */
export async function revokeToken(t: TestServer, id: string): Promise<void> {
  const response = await t.api('DELETE', `/api/tokens/${id}`, { token: t.adminToken });
  expect(response.status).toBe(204);
}

/** A real HTTP server with a URL and a way to stop it. */
export interface Running {
  url: string;
  close(): Promise<void>;
}

function listen(server: Server | ReturnType<typeof createHttpServer>, sockets: Set<Socket>): Promise<string> {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    });
  });
}

function closer(server: Server | ReturnType<typeof createHttpServer>, sockets: Set<Socket>) {
  return () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
}

/**
 * A relay in front of Tessera that counts the verification requests reaching it: the first `failures`
 * are answered with `failStatus` (a flaky or overloaded Tessera), the rest are forwarded to Tessera.
 */
export async function startRelay(
  target: string,
  options: { failures?: number; failStatus?: number } = {},
): Promise<Running & { requests: number }> {
  const sockets = new Set<Socket>();
  const state = { requests: 0 };
  const server = createHttpServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      state.requests++;
      if (state.requests <= (options.failures ?? 0)) {
        response.writeHead(options.failStatus ?? 503, { 'content-type': 'application/json' });
        response.end('{"error":{"code":"UNAVAILABLE","message":"try later"}}');
        return;
      }
      const forwarded = await fetch(target + request.url, {
        method: request.method,
        headers: { 'content-type': request.headers['content-type'] ?? 'application/json' },
        body: Buffer.concat(chunks),
      });
      response.writeHead(forwarded.status, { 'content-type': forwarded.headers.get('content-type') ?? '' });
      response.end(await forwarded.text());
    });
  });
  const url = await listen(server, sockets);
  return Object.assign(state, { url, close: closer(server, sockets) });
}

/**
 * A TCP server that accepts connections, reads and never answers, counting the requests it was sent (the
 * connections that carried data: fetch may open a spare connection after an abort).
 */
export async function startSilentServer(): Promise<Running & { requests: number }> {
  const sockets = new Set<Socket>();
  const state = { requests: 0 };
  const server = createServer((socket) => {
    socket.once('data', () => state.requests++);
    socket.on('error', () => undefined);
  });
  const url = await listen(server, sockets);
  return Object.assign(state, { url, close: closer(server, sockets) });
}

/** The URL of a port nothing listens on (opened, then closed). */
export async function closedPortUrl(): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createServer();
  const url = await listen(server, sockets);
  await closer(server, sockets)();
  return url;
}
