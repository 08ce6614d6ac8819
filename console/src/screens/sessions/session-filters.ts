import type { Session, SessionListQuery } from '../../api/types.ts';
import { idParam, useUrlFilters } from '../../lib/url-filters.ts';

/** The mobile session list's filters and sort, kept in the address. */
export interface SessionFilters {
  q: string;
  status: Session['status'] | '';
  userId: string;
  departmentId: string;
  userTypeId: string;
  sort: NonNullable<SessionListQuery['sort']>;
  order: NonNullable<SessionListQuery['order']>;
}

export const SESSION_FILTER_DEFAULTS: SessionFilters = {
  q: '',
  status: 'active',
  userId: '',
  departmentId: '',
  userTypeId: '',
  sort: 'lastActiveAt',
  order: 'desc',
};

export function useSessionFilters() {
  return useUrlFilters<SessionFilters>(SESSION_FILTER_DEFAULTS);
}

/** The filters as GET /api/sessions?type=mobile query parameters (empty ones left out). */
export function toSessionQuery(
  filters: SessionFilters,
  cursor: string | undefined,
  limit: number,
): SessionListQuery {
  const query: SessionListQuery = { type: 'mobile', sort: filters.sort, order: filters.order, limit };
  if (filters.q.trim()) query.q = filters.q.trim();
  if (filters.status) query.status = filters.status;
  if (idParam(filters.userId)) query.userId = idParam(filters.userId);
  if (idParam(filters.departmentId)) query.departmentId = idParam(filters.departmentId);
  if (idParam(filters.userTypeId)) query.userTypeId = idParam(filters.userTypeId);
  if (cursor) query.cursor = cursor;
  return query;
}
