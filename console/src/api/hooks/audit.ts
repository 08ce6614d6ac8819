import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../client.ts';
import type { AuditQuery } from '../types.ts';
import { keys } from './keys.ts';

/** One page of the audit log (administrators with audit:read); `targetId` narrows it to one token. */
export function useAuditLog(query: AuditQuery, enabled = true) {
  return useQuery({
    queryKey: keys.auditList(query),
    queryFn: () => unwrap(api.GET('/api/audit', { params: { query } })),
    enabled,
    placeholderData: keepPreviousData,
  });
}
