import { setImmediate as nextTurn } from 'node:timers/promises';
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

  /**
   * @param chunkSize tokens per transaction. A flush after a busy spell may cover tens of thousands of
   * tokens; it commits them a chunk at a time and lets waiting requests in between, instead of holding
   * the event loop (SQLite writes synchronously) for the whole batch.
   */
  constructor(
    private readonly store: Store,
    private readonly chunkSize = 1000,
  ) {}

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
   * Writes everything recorded up to this call, a chunk per transaction. While a write runs, a new call
   * waits for it and then writes what came since (so a graceful close loses nothing). On failure the chunks
   * not committed are merged back into what is pending: the next flush adds them once, nothing is lost or
   * counted twice (short of the database committing and the connection dying before it could say so).
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
    for (let start = 0; start < batch.length; start += this.chunkSize) {
      if (start > 0) await nextTurn();
      const chunk = batch.slice(start, start + this.chunkSize);
      try {
        await this.store.transaction((tx) => tx.tokens.addUsage(chunk));
      } catch (error) {
        this.mergeBack(batch.slice(start));
        throw error;
      }
    }
  }

  /** Puts usage that was not written back into what is pending, added to whatever came since. */
  private mergeBack(deltas: UsageDelta[]): void {
    for (const d of deltas) {
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
  }
}
