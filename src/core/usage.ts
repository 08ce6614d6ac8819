import type { UsageDelta } from './model.ts';
import type { Store } from './store.ts';

/**
 * Token usage (count, last used time and IP) gathered in memory and written in batches, so that
 * verification never writes to the store. Counts are added on flush, so several nodes add up exactly.
 */
export class UsageRecorder {
  private pending = new Map<string, UsageDelta>();
  private flushing: Promise<void> | undefined;

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

  /** Writes everything pending in one transaction; on failure the deltas are merged back for the next try. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
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
        else later.count += d.count;
      }
      throw error;
    }
  }
}
