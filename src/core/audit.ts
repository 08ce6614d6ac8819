import type { Clock } from './clock.ts';
import type { AuditEvent, AuditQuery, NewAuditEvent, Page } from './model.ts';
import { type Actor, type Principal, requireAdmin } from './principal.ts';
import type { Store } from './store.ts';

export interface AuditTarget {
  type: string;
  id: string | number;
}

/** The audit trail: who did what to which thing, when, from where. */
export class AuditLog {
  constructor(private readonly clock: Clock) {}

  /** Records an event inside the caller's transaction, so the event lands with the change or not at all. */
  record(
    store: Store,
    actor: Actor,
    action: string,
    target: AuditTarget | null,
    details: Record<string, unknown> | null = null,
  ): Promise<void> {
    return store.audit.insert(auditRow(actor, action, target, details, this.clock.now()));
  }

  list(store: Store, principal: Principal, query: AuditQuery): Promise<Page<AuditEvent>> {
    requireAdmin(principal, 'audit:read');
    return store.audit.list(principal.tenantId, query);
  }
}

/** An audit event as the store keeps it: who (actor), what (action, target, details) and when. */
export function auditRow(
  actor: Actor,
  action: string,
  target: AuditTarget | null,
  details: Record<string, unknown> | null,
  at: number,
): NewAuditEvent {
  return {
    tenantId: actor.tenantId,
    at,
    actorUserId: actor.userId,
    actorTokenId: actor.tokenId,
    action,
    targetType: target?.type ?? null,
    targetId: target === null ? null : String(target.id),
    ip: actor.ip,
    details,
  };
}
