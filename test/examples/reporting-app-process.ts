import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../examples/reporting-app/src/main.ts', import.meta.url));

/** The example reporting app as its README starts it: its own process, configured by the environment. */
export interface ReportingApp {
  url: string;
  process: ChildProcess;
  /** Everything it printed so far (its log included). */
  output(): string;
  close(): Promise<void>;
}

/** Starts `node --import tsx examples/reporting-app/src/main.ts` on an ephemeral port and waits for its URL. */
export async function startReportingApp(env: Record<string, string>): Promise<ReportingApp> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`the reporting app did not start in 30 s:\n${output}`)),
      30_000,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /Reporting app listening on (http:\/\/\S+),/.exec(output);
      if (found?.[1]) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => fail(new Error(`the reporting app exited with ${code}:\n${output}`)));
  });
  return {
    url,
    process: child,
    output: () => output,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
