import type { AuditQuery, TokenListQuery } from '../types.ts';

/** Query keys in one place, so that a mutation invalidates exactly what it changed. */
export const keys = {
  me: ['me'] as const,
  catalog: ['permissions'] as const,
  settings: ['settings'] as const,
  users: ['users'] as const,
  departments: ['departments'] as const,
  userTypes: ['user-types'] as const,
  tokens: ['tokens'] as const,
  tokenList: (query: TokenListQuery) => ['tokens', 'list', query] as const,
  token: (id: string) => ['tokens', 'one', id] as const,
  audit: ['audit'] as const,
  auditList: (query: AuditQuery) => ['audit', query] as const,
};
