import type { AuditQuery } from '../../api/types.ts';
import { idParam, useUrlFilters } from '../../lib/url-filters.ts';

/** The audit log's filters, kept in the address; dates are YYYY-MM-DD, whole days in UTC. */
export interface AuditFilters {
  action: string;
  actorUserId: string;
  targetId: string;
  since: string;
  until: string;
}

export const AUDIT_FILTER_DEFAULTS: AuditFilters = {
  action: '',
  actorUserId: '',
  targetId: '',
  since: '',
  until: '',
};

/** Actions the server records, offered as suggestions (any other action can still be typed). */
export const KNOWN_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.mobile_login',
  'auth.mobile_login_failed',
  'client.auth_failed',
  'client.create',
  'client.delete',
  'client.rotate_secret',
  'department.create',
  'department.delete',
  'department.update',
  'oauth.introspect_failed',
  'oauth.revoke',
  'oauth.revoke_failed',
  'oauth.token',
  'oauth.token_failed',
  'permission.create',
  'refresh_token.create',
  'refresh_token.create_failed',
  'refresh_token.regenerate',
  'refresh_token.reuse_detected',
  'refresh_token.revoke',
  'refresh_token.revoke_access_tokens',
  'refresh_token.rotate',
  'report.cloud_publish',
  'report.cloud_revoke',
  'report.create',
  'report.delete',
  'report.update',
  'session.revoke',
  'settings.update',
  'signing_key.rotate',
  'token.create',
  'token.reveal',
  'token.revoke',
  'token.rotate',
  'token.update',
  'user.create',
  'user.delete',
  'user.update',
  'user_type.create',
  'user_type.delete',
  'user_type.update',
];

export function useAuditFilters() {
  return useUrlFilters<AuditFilters>(AUDIT_FILTER_DEFAULTS);
}

const DAY_MS = 24 * 60 * 60 * 1000;
const isDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);

/** The filters as GET /api/audit parameters: "until" takes in the whole of that day (the API's is exclusive). */
export function toAuditQuery(filters: AuditFilters, cursor: string | undefined, limit: number): AuditQuery {
  const query: AuditQuery = { limit };
  if (filters.action.trim()) query.action = filters.action.trim();
  if (idParam(filters.actorUserId)) query.actorUserId = idParam(filters.actorUserId);
  if (filters.targetId.trim()) query.targetId = filters.targetId.trim();
  if (isDate(filters.since)) query.since = `${filters.since}T00:00:00.000Z`;
  if (isDate(filters.until))
    query.until = new Date(Date.parse(`${filters.until}T00:00:00.000Z`) + DAY_MS).toISOString();
  if (cursor) query.cursor = cursor;
  return query;
}
