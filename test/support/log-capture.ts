import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/config.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { type RunningServer, startServer } from '../../src/server.ts';
import { ADMIN_PASSWORD, type Dialect, freshDatabase, START } from './harness.ts';

/** The log as the service writes it: every line kept, and an event per line to wait on (no sleeping). */
export class LogBuffer extends Writable {
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

/** The real service logging at `info` into a {@link LogBuffer}, on a fresh database, with a manual clock. */
export async function startLoggedServer(
  dialect: Dialect,
): Promise<{ server: RunningServer; log: LogBuffer; close(): Promise<void> }> {
  const db = await freshDatabase(dialect);
  const config = loadConfig(
    { TESSERA_SECRET: 'test-secret-test-secret-test-secret-0123', TESSERA_LOG_LEVEL: 'info' },
    { port: 0, dataDir: db.dataDir, databaseUrl: db.databaseUrl, adminPassword: ADMIN_PASSWORD },
  );
  const log = new LogBuffer();
  const server = await startServer(config, { clock: new ManualClock(START), logStream: log });
  return {
    server,
    log,
    async close() {
      await server.close();
      db.cleanup();
    },
  };
}
