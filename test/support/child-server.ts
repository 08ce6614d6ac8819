import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN_PASSWORD, type ApiResponse, apiClient } from './harness.ts';
import { spawnService } from './spawned-service.ts';

/** `tessera serve` as an operator runs it: a separate process on a data dir of its own. */
const BIN = fileURLToPath(new URL('../../bin/tessera.js', import.meta.url));

export interface ChildServer {
  url: string;
  process: ChildProcess;
  /** A session token for the bootstrap admin. */
  adminToken: string;
  api(method: string, route: string, options?: { token?: string; body?: unknown }): Promise<ApiResponse>;
  /** Stops the process (SIGTERM) and waits for it to exit; the data dir stays. */
  stop(): Promise<void>;
  /** Stops it and removes its data dir. */
  close(): Promise<void>;
}

/**
 * Starts `node bin/tessera.js serve --port 0` on a fresh data dir and waits for the URL it prints. The token
 * cache is off, so a revocation on it shows at once.
 */
export async function startChildServer(env: Record<string, string> = {}): Promise<ChildServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tessera-child-'));
  // Only what this helper sets reaches the child: no TESSERA_* of the parent's environment.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('TESSERA_')),
  );
  const service = await spawnService(
    'tessera serve',
    [BIN, 'serve', '--port', '0'],
    {
      ...inherited,
      TESSERA_DATA_DIR: dataDir,
      TESSERA_SECRET: 'child-secret-child-secret-child-secret-0123',
      TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      TESSERA_LOG_LEVEL: 'warn',
      TESSERA_CACHE_TTL_SECONDS: '0',
      ...env,
    },
    /Tessera is listening on (http:\/\/\S+)/,
  );
  const { url, stop } = service;
  const api = apiClient(url);
  const login = await api('POST', '/api/auth/login', {
    body: { username: 'admin', password: ADMIN_PASSWORD },
  });
  if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);

  return {
    url,
    process: service.process,
    adminToken: login.body.token,
    api,
    stop,
    async close() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A TCP server that accepts connections and never answers: a cloud that hangs. */
export async function startSilentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
