/** What a bench server child tells the parent once it listens. */
export interface Ready {
  url: string;
  /** A file of seeded token strings, one a line (Tessera child only). */
  tokensFile?: string;
  seeded?: number;
  seedMs?: number;
  /** A credential the server made for the load (a peer's API key). */
  token?: string;
}

/**
 * Tells the parent (over the IPC channel it was spawned with) that this server is ready, and ties this
 * process's life to the parent's: SIGTERM closes the server and exits cleanly (so `--cpu-prof` can write
 * its profile); a parent that goes away without saying so takes this process with it.
 */
export function announce(ready: Ready, close: () => Promise<unknown>): void {
  if (!process.send) throw new Error('run this through bench/run.ts (it needs an IPC channel)');
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
  process.send(ready);
}
