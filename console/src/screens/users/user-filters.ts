import type { UserListQuery } from '../../api/types.ts';
import { idParam, useUrlFilters } from '../../lib/url-filters.ts';

/** The user list's search and filters, kept in the address. */
export interface UserFilters {
  q: string;
  role: NonNullable<UserListQuery['role']> | '';
  departmentId: string;
  userTypeId: string;
}

export const USER_FILTER_DEFAULTS: UserFilters = { q: '', role: '', departmentId: '', userTypeId: '' };

export function useUserFilters() {
  return useUrlFilters<UserFilters>(USER_FILTER_DEFAULTS);
}

/** The filters as GET /api/users query parameters (empty ones left out). */
export function toUserQuery(filters: UserFilters, cursor: string | undefined, limit: number): UserListQuery {
  const query: UserListQuery = { limit };
  if (filters.q.trim()) query.q = filters.q.trim();
  if (filters.role) query.role = filters.role;
  if (idParam(filters.departmentId)) query.departmentId = idParam(filters.departmentId);
  if (idParam(filters.userTypeId)) query.userTypeId = idParam(filters.userTypeId);
  if (cursor) query.cursor = cursor;
  return query;
}
