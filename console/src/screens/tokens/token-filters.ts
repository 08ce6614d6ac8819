import type { TokenKind, TokenListQuery, TokenStatus } from '../../api/types.ts';
import { idParam, useUrlFilters } from '../../lib/url-filters.ts';

/** The token list's filters and sort, kept in the address so a reload or a shared link shows the same list. */
export interface TokenFilters {
  q: string;
  status: TokenStatus | '';
  /** '' is every kind; the screen opens on API tokens (seed 004's first tab). */
  kind: TokenKind | 'all';
  expiringWithinDays: string;
  userId: string;
  departmentId: string;
  userTypeId: string;
  sort: NonNullable<TokenListQuery['sort']>;
  order: NonNullable<TokenListQuery['order']>;
}

const DEFAULTS: TokenFilters = {
  q: '',
  status: '',
  kind: 'api',
  expiringWithinDays: '',
  userId: '',
  departmentId: '',
  userTypeId: '',
  sort: 'createdAt',
  order: 'desc',
};

export function useTokenFilters() {
  return useUrlFilters<TokenFilters>(DEFAULTS);
}

/** The filters as GET /api/tokens query parameters (empty ones left out). */
export function toListQuery(
  filters: TokenFilters,
  cursor: string | undefined,
  limit: number,
): TokenListQuery {
  const query: TokenListQuery = { sort: filters.sort, order: filters.order, limit };
  if (filters.q.trim()) query.q = filters.q.trim();
  if (filters.status) query.status = filters.status;
  if (filters.kind !== 'all') query.kind = filters.kind;
  if (filters.expiringWithinDays) query.expiringWithinDays = Number(filters.expiringWithinDays);
  if (idParam(filters.userId)) query.userId = idParam(filters.userId);
  if (idParam(filters.departmentId)) query.departmentId = idParam(filters.departmentId);
  if (idParam(filters.userTypeId)) query.userTypeId = idParam(filters.userTypeId);
  if (cursor) query.cursor = cursor;
  return query;
}
