import type { AuditQuery, SessionListQuery, TokenListQuery, UserListQuery } from '../types.ts';

/** Query keys in one place, so that a mutation invalidates exactly what it changed. */
export const keys = {
  me: ['me'] as const,
  catalog: ['permissions'] as const,
  settings: ['settings'] as const,
  users: ['users'] as const,
  userList: (query: UserListQuery) => ['users', 'list', query] as const,
  departments: ['departments'] as const,
  userTypes: ['user-types'] as const,
  tokens: ['tokens'] as const,
  tokenList: (query: TokenListQuery) => ['tokens', 'list', query] as const,
  token: (id: string) => ['tokens', 'one', id] as const,
  sessions: ['sessions'] as const,
  sessionList: (query: SessionListQuery) => ['sessions', 'list', query] as const,
  session: (id: string) => ['sessions', 'one', id] as const,
  clients: ['clients'] as const,
  audit: ['audit'] as const,
  auditList: (query: AuditQuery) => ['audit', query] as const,
  personalTokens: ['personal-tokens'] as const,
  personalTokenPage: (cursor: string | undefined) => ['personal-tokens', cursor ?? ''] as const,
  refreshTokens: ['refresh-tokens'] as const,
  refreshTokenPage: (cursor: string | undefined) => ['refresh-tokens', cursor ?? ''] as const,
  reports: ['reports'] as const,
  reportList: (q: string, cursor: string | undefined) => ['reports', 'list', q, cursor ?? ''] as const,
  report: (id: string) => ['reports', 'one', id] as const,
  reportTokens: (id: string) => ['reports', 'tokens', id] as const,
};
