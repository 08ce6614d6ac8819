import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { spawnService } from '../support/spawned-service.ts';

const MAIN = fileURLToPath(new URL('../../examples/reporting-app/src/main.ts', import.meta.url));

/** The example reporting app as its README starts it: its own process, configured by the environment. */
export interface ReportingApp {
  url: string;
  process: ChildProcess;
  /** Everything it printed so far (its log included). */
  output(): string;
  close(): Promise<void>;
}

/**
 * Starts `node --conditions=tessera-source --import tsx examples/reporting-app/src/main.ts` (its `npm start`,
 * so `@tessera/sdk` is its TypeScript source, no build needed) on an ephemeral port and waits for its URL.
 */
export async function startReportingApp(env: Record<string, string>): Promise<ReportingApp> {
  const service = await spawnService(
    'the reporting app',
    ['--conditions=tessera-source', '--import', 'tsx', MAIN],
    { ...process.env, PORT: '0', ...env },
    /Reporting app listening on (http:\/\/\S+),/,
    30_000,
  );
  return { url: service.url, process: service.process, output: service.output, close: service.stop };
}
