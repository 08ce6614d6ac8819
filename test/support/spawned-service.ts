import { type ChildProcess, spawn } from 'node:child_process';

/** A server process a test started: the URL it announced, what it printed, and how to stop it. */
export interface SpawnedService {
  url: string;
  process: ChildProcess;
  /** Everything it printed so far (its log included). */
  output(): string;
  /** SIGTERM, then waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts `node <args>` and waits until its output matches `listening` (whose first group is the URL). A
 * process that exits or stays silent for `timeoutMs` fails the start with everything it printed.
 */
export async function spawnService(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  listening: RegExp,
  timeoutMs = 60_000,
): Promise<SpawnedService> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`${name} did not start in ${timeoutMs / 1000} s:\n${output}`)),
      timeoutMs,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const found = listening.exec(output);
      if (found?.[1]) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => fail(new Error(`${name} exited with ${code}:\n${output}`)));
  });
  return {
    url,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
