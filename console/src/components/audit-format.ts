import type { AuditEvent } from '../api/types.ts';
import { formatDateTime } from '../lib/format.ts';

/** Whether the server recorded details worth showing. */
export const hasDetails = (event: AuditEvent) =>
  event.details !== null && Object.keys(event.details).length > 0;

/** Who did it: a user's name (or id), the command line, or the system. */
export function actorName(event: AuditEvent, userNames: Map<number, string>): string {
  if (event.actorUserId === null) return event.actorTokenId === 'cli' ? 'Command line' : 'System';
  return userNames.get(event.actorUserId) ?? `User #${event.actorUserId}`;
}

/** What it was done to, e.g. "token 0190…"; '—' for none. */
export const targetText = (event: AuditEvent) =>
  event.targetType ? `${event.targetType} ${event.targetId ?? ''}`.trim() : '—';

/** The accessible name of an event's "Show details" / "Hide details" button. */
export const detailsLabel = (event: AuditEvent, open: boolean) =>
  `${open ? 'Hide' : 'Show'} details of ${event.action} at ${formatDateTime(event.at)}`;
