import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../client.ts';
import type { SessionListQuery } from '../types.ts';
import { keys } from './keys.ts';

/** One page of GET /api/sessions (mobile sessions unless the query says console). */
export function useSessionList(query: SessionListQuery) {
  return useQuery({
    queryKey: keys.sessionList(query),
    queryFn: () => unwrap(api.GET('/api/sessions', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

/** A session's inspect view: user, email, department, user type, device, last active, expiry. */
export function useSessionDetails(id: string | undefined) {
  return useQuery({
    queryKey: keys.session(id ?? ''),
    queryFn: () => unwrap(api.GET('/api/sessions/{id}', { params: { path: { id: id! } } })),
    enabled: Boolean(id),
  });
}

function useInvalidateSessions() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: keys.sessions }),
      queryClient.invalidateQueries({ queryKey: keys.audit }),
    ]);
}

/** Ends one session: the device is signed out on its next request. */
export function useRevokeSession() {
  const invalidate = useInvalidateSessions();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/sessions/{id}', { params: { path: { id } } })),
    onSuccess: invalidate,
  });
}

/** Ends many sessions in one transaction; resolves to how many were still active. */
export function useRevokeSessions() {
  const invalidate = useInvalidateSessions();
  return useMutation({
    mutationFn: async (ids: string[]) =>
      (await unwrap(api.POST('/api/sessions/_revoke', { body: { ids } }))).revoked,
    onSuccess: invalidate,
  });
}
