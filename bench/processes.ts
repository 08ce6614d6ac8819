import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childArgs } from './bundled-children.ts';
import type { Ready } from './servers/lifecycle.ts';

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

// Whatever ends this process (done, thrown, Ctrl-C) also ends its servers and removes their data.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

/** A fresh directory under the system temp dir, removed when this process exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** The CPUs this process may run on, as `taskset` reports them; empty without taskset. */
function allowedCpus(): number[] {
  try {
    const out = execFileSync('taskset', ['-pc', String(process.pid)], { encoding: 'utf8' });
    const list = out.slice(out.lastIndexOf(':') + 1).trim();
    return list.split(',').flatMap((part) => {
      const [from, to = from] = part.split('-').map(Number);
      return Array.from({ length: to! - from! + 1 }, (_, i) => from! + i);
    });
  } catch {
    return [];
  }
}

/** Which CPU the servers and the load generator get: separate ones when taskset and two CPUs exist. */
export interface CpuPlan {
  server: number | null;
  load: number | null;
}

/** Pins this process (the load generator, all its threads) to one CPU and reserves another for servers. */
export function pinProcesses(): CpuPlan {
  const cpus = allowedCpus();
  if (cpus.length < 2) return { server: null, load: null };
  const [server, load] = cpus as [number, number];
  execFileSync('taskset', ['-a', '-pc', String(load), String(process.pid)], { stdio: 'ignore' });
  return { server, load };
}

const CLOCK_TICKS = 100; // USER_HZ: 100 on every Linux architecture Node supports.

/** CPU time (user + system) a process has used so far, in seconds; null off Linux. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/**
 * CPU time the whole machine has spent so far (all CPUs), in seconds: in processes, and in interrupts
 * (on loopback that is mostly TCP, which no process is charged for). Null off Linux.
 */
export function machineCpuSeconds(): { processes: number; interrupts: number } | null {
  try {
    const [user, nice, system, _idle, _iowait, irq, softirq] = readFileSync('/proc/stat', 'utf8')
      .split('\n', 1)[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return {
      processes: (user! + nice! + system!) / CLOCK_TICKS,
      interrupts: (irq! + softirq!) / CLOCK_TICKS,
    };
  } catch {
    return null;
  }
}

export interface Child {
  ready: Ready;
  pid: number;
  /** Processes that work for this one (its database server): their CPU time counts as the server's. */
  helpers?: () => number[];
  /** SIGTERM (the child closes and exits cleanly), then SIGKILL if it lingers. */
  stop(): Promise<void>;
}

/**
 * Starts the bench server `file` pinned to `cpu` (Tessera's bundled and run by plain node, the others with
 * `node --import tsx`: ./bundled-children.ts), and waits for its ready message.
 */
export async function startChild(
  file: string,
  env: NodeJS.ProcessEnv,
  options: { cpu: number | null; nodeArgs?: string[] },
): Promise<Child> {
  const script = await childArgs(file, () => tempDir('tessera-bench-build-'));
  const node = [process.execPath, ...(options.nodeArgs ?? []), ...script];
  const [command, ...args] = options.cpu === null ? node : ['taskset', '-c', String(options.cpu), ...node];
  const child = spawn(command!, args, { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(() => children.delete(child));
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (message) => resolve(message as Ready));
    child.once('exit', (code, signal) =>
      reject(new Error(`${path.basename(file)} exited before it was ready (${signal ?? `code ${code}`})`)),
    );
  });
  const pid = child.pid!;
  return {
    ready,
    pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Who kept the CPUs busy over an interval, in cores (1 = one CPU fully busy). */
export interface CpuShares {
  server: number;
  loadGenerator: number;
  /** Interrupt handling (loopback TCP), charged to no process. */
  interrupts: number;
  /** Every other process on the machine: more than a little means the figures are disturbed. */
  others: number;
}

/** Starts measuring CPU use of the server's processes; call the result at the end. Null figures off Linux. */
export function cpuMeter(serverPids: number[]): () => CpuShares | null {
  const started = performance.now();
  const serverSeconds = () => {
    let sum = 0;
    for (const pid of serverPids) sum += processCpuSeconds(pid) ?? 0;
    return sum;
  };
  const server = serverSeconds();
  const machine = machineCpuSeconds();
  const self = process.cpuUsage();
  return () => {
    const seconds = (performance.now() - started) / 1000;
    const serverAfter = serverSeconds();
    const machineAfter = machineCpuSeconds();
    if (machine === null || machineAfter === null) return null;
    const used = process.cpuUsage(self);
    const loadGenerator = (used.user + used.system) / 1e6 / seconds;
    const serverShare = (serverAfter - server) / seconds;
    const others = (machineAfter.processes - machine.processes) / seconds - serverShare - loadGenerator;
    const interrupts = (machineAfter.interrupts - machine.interrupts) / seconds;
    return { server: serverShare, loadGenerator, interrupts, others: Math.max(0, others) };
  };
}

/** Samples a process's VmRSS every `everyMs` until stopped; stop() gives the highest sample (null off Linux). */
export function residentPeak(pid: number, everyMs = 250): { stop(): number | null } {
  let peak: number | null = residentBytes(pid);
  const timer = setInterval(() => {
    const now = residentBytes(pid);
    if (now !== null && (peak === null || now > peak)) peak = now;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/** A process's resident memory (VmRSS) in bytes, from /proc; null off Linux or when it is gone. */
export function residentBytes(pid: number): number | null {
  try {
    const kb = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m)?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}
