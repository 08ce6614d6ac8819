import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { createDatabase, startPostgres } from '../test/support/postgres.ts';

/** A throwaway PostgreSQL for the bench (the test suite's: fsync off, loopback only), pinned like a server. */
export interface BenchPostgres {
  /** A fresh, empty database on it, for one Tessera child. */
  createDatabase(): Promise<string>;
  /** The postmaster and every backend it has started: their CPU time counts as the server's. */
  pids(): number[];
  stop(): void;
}

/** The parent pid of a process, from /proc; null when it is gone. */
function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** The children of a process, from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((child) => parentOf(child) === pid);
}

/**
 * Starts PostgreSQL with test/support/postgres.ts and pins it, postmaster and running processes, to `cpu`
 * (backends forked later inherit it): the database shares the server's CPU, and the load generator keeps
 * its own. Stopped when this process exits.
 */
export async function startBenchPostgres(cpu: number | null): Promise<BenchPostgres> {
  const server = await startPostgres();
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    server.stop();
  };
  process.on('exit', stop);
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  // Read while this connection's backend still runs: its parent is the postmaster.
  const postmaster = parentOf(rows[0]!.pid);
  await client.end();
  if (postmaster === null) throw new Error('cannot find the PostgreSQL postmaster');
  if (cpu !== null) {
    for (const pid of [postmaster, ...childrenOf(postmaster)])
      execFileSync('taskset', ['-a', '-pc', String(cpu), String(pid)], { stdio: 'ignore' });
  }
  return {
    createDatabase: () => createDatabase(server.url),
    pids: () => [postmaster, ...childrenOf(postmaster)],
    stop,
  };
}
