import type { UsageDelta } from './model.ts';
import type { Store } from './store.ts';

/**
 * Token usage (count, last used time and IP) gathered in memory and written in batches, so that
 * verification never writes to the store. Counts are added on flush, so several nodes add up exactly.
 */
export class UsageRecorder {
  private pending = new Map<string, UsageDelta>();
  /** The write in progress, and the one queued behind it (which takes whatever was recorded meanwhile). */
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly store: Store) {}

  record(tokenId: string, at: number, ip: string | null): void {
    const entry = this.pending.get(tokenId);
    if (entry) {
      entry.count += 1;
      if (at >= entry.lastUsedAt) {
        entry.lastUsedAt = at;
        entry.lastUsedIp = ip;
      }
    } else {
      this.pending.set(tokenId, { tokenId, count: 1, lastUsedAt: at, lastUsedIp: ip });
    }
  }

  /** Usage not yet written, for views that want to be exact on this node. */
  peek(tokenId: string): UsageDelta | undefined {
    return this.pending.get(tokenId);
  }

  /** How many tokens have usage not yet written. */
  get pendingTokens(): number {
    return this.pending.size;
  }

  /**
   * Writes everything recorded up to this call, in one transaction. While a write runs, a new call waits
   * for it and then writes what came since (so a graceful close loses nothing). On failure the batch is
   * merged back into what is pending: the next flush adds it once, nothing is lost or counted twice
   * (short of the database committing and the connection dying before it could say so).
   */
  flush(): Promise<void> {
    if (!this.running) return this.start();
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.start();
      });
    return this.queued;
  }

  private start(): Promise<void> {
    const run = this.write().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.store.transaction((tx) => tx.tokens.addUsage(batch));
    } catch (error) {
      for (const d of batch) {
        const later = this.pending.get(d.tokenId);
        if (!later) this.pending.set(d.tokenId, d);
        else {
          later.count += d.count;
          if (d.lastUsedAt > later.lastUsedAt) {
            later.lastUsedAt = d.lastUsedAt;
            later.lastUsedIp = d.lastUsedIp;
          }
        }
      }
      throw error;
    }
  }
}
