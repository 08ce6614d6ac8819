import type { LRUCache } from 'lru-cache';
import { type AuditTarget, auditRow } from './audit.ts';
import type { Clock } from './clock.ts';
import { growingCache } from './growing-cache.ts';
import type { Actor } from './principal.ts';
import type { Store } from './store.ts';

/** Why a password check failed, as the audit log says it (the caller only ever hears INVALID_CREDENTIALS). */
export type FailureReason = 'wrong_password' | 'unknown_user' | 'sso_user' | 'no_password' | 'wrong_secret';

/** Whose credential failed: a username (passwords) or an OAuth client id (client secrets). */
export type FailureSubject = { username: string } | { clientId: string };

const subjectKey = (subject: FailureSubject) => ('username' in subject ? subject.username : subject.clientId);

interface Fold {
  since: number;
  count: number;
  details: Record<string, unknown>;
  /**
   * The event's id once written (null: not recorded, the tenant does not exist), then each update in turn,
   * so updates never overtake one another.
   */
  written: Promise<number | null>;
}

/**
 * Audits failed password checks folded by username, address and action: the first failure in a window
 * writes one event (`details.count` 1); later ones in the same window update that event's `count` and
 * `lastAt` instead of adding rows. A correct password or the end of the window starts a new event. The
 * folding is per node; the event written first always stands, and its count is exact on that node.
 */
export class FailureAudit {
  private readonly folds: LRUCache<string, Fold>;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly windowMs: number,
  ) {
    this.folds = growingCache(50_000);
  }

  async failed(
    actor: Actor,
    action: string,
    target: AuditTarget | null,
    subject: FailureSubject,
    reason: FailureReason,
  ): Promise<void> {
    const key = foldKey(actor.tenantId, action, subjectKey(subject), actor.ip);
    const now = this.clock.now();
    const fold = this.folds.get(key);
    if (fold && fold.since + this.windowMs > now) {
      fold.count++;
      fold.details = { ...fold.details, count: fold.count, lastAt: new Date(now).toISOString() };
      fold.written = fold.written.then(async (id) => {
        if (id !== null) await this.store.audit.updateDetails(actor.tenantId, id, fold.details);
        return id;
      });
      return this.settle(key, fold);
    }
    const details = { ...subject, reason, count: 1 };
    const created: Fold = {
      since: now,
      count: 1,
      details,
      written: this.insert(actor, action, target, details, now),
    };
    // Set before anything is awaited, so that concurrent failures fold into this event.
    this.folds.set(key, created);
    return this.settle(key, created);
  }

  /** A correct password: the next failure starts a new event. */
  succeeded(tenantId: string, action: string, subject: FailureSubject, ip: string | null): void {
    this.folds.delete(foldKey(tenantId, action, subjectKey(subject), ip));
  }

  private async insert(
    actor: Actor,
    action: string,
    target: AuditTarget | null,
    details: Record<string, unknown>,
    at: number,
  ): Promise<number | null> {
    // Failures for a tenant that does not exist are not recorded: there is no log to put them in.
    if (!(await this.store.tenants.exists(actor.tenantId))) return null;
    return this.store.audit.insertFoldable(auditRow(actor, action, target, details, at));
  }

  /** Waits for the fold's latest write; a failed write ends the fold, so the next failure starts afresh. */
  private async settle(key: string, fold: Fold): Promise<void> {
    try {
      await fold.written;
    } catch (error) {
      if (this.folds.get(key) === fold) this.folds.delete(key);
      throw error;
    }
  }
}

function foldKey(tenantId: string, action: string, username: string, ip: string | null): string {
  return `${tenantId}\n${action}\n${username}\n${ip ?? ''}`;
}
