import { useSearchParams } from 'react-router';
import type { TokenKind, TokenListQuery, TokenStatus } from '../../api/types.ts';

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
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(
    Object.entries(DEFAULTS).map(([key, fallback]) => [key, params.get(key) ?? fallback]),
  ) as unknown as TokenFilters;

  const update = (changes: Partial<TokenFilters>) => {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value === DEFAULTS[key as keyof TokenFilters] || value === undefined) next.delete(key);
          else next.set(key, String(value));
        }
        return next;
      },
      { replace: true },
    );
  };
  return { filters, update };
}

const id = (value: string) => (value ? Number(value) : undefined);

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
  if (id(filters.userId)) query.userId = id(filters.userId);
  if (id(filters.departmentId)) query.departmentId = id(filters.departmentId);
  if (id(filters.userTypeId)) query.userTypeId = id(filters.userTypeId);
  if (cursor) query.cursor = cursor;
  return query;
}
