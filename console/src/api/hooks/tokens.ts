import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../client.ts';
import type { CreateTokenBody, TokenListQuery } from '../types.ts';
import { keys } from './keys.ts';

/** One page of GET /api/tokens; the previous page stays on screen while the next one loads. */
export function useTokenList(query: TokenListQuery) {
  return useQuery({
    queryKey: keys.tokenList(query),
    queryFn: () => unwrap(api.GET('/api/tokens', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

/** A token's inspect view: settings, usage, associated user, usage example. */
export function useToken(id: string | undefined) {
  return useQuery({
    queryKey: keys.token(id ?? ''),
    queryFn: () => unwrap(api.GET('/api/tokens/{id}', { params: { path: { id: id! } } })),
    enabled: Boolean(id),
  });
}

function useInvalidateTokens() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: keys.tokens }),
      queryClient.invalidateQueries({ queryKey: keys.audit }),
    ]);
}

export function useCreateToken() {
  const invalidate = useInvalidateTokens();
  return useMutation({
    mutationFn: (body: CreateTokenBody) => unwrap(api.POST('/api/tokens', { body })),
    onSuccess: invalidate,
  });
}

export function useRevokeToken() {
  const invalidate = useInvalidateTokens();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/tokens/{id}', { params: { path: { id } } })),
    onSuccess: invalidate,
  });
}

/** Revokes many tokens in one transaction; resolves to how many were still active. */
export function useRevokeTokens() {
  const invalidate = useInvalidateTokens();
  return useMutation({
    mutationFn: async (ids: string[]) =>
      (await unwrap(api.POST('/api/tokens/_revoke', { body: { ids } }))).revoked,
    onSuccess: invalidate,
  });
}

export function useRotateToken() {
  const invalidate = useInvalidateTokens();
  return useMutation({
    mutationFn: ({ id, gracePeriodSeconds }: { id: string; gracePeriodSeconds: number }) =>
      unwrap(
        api.POST('/api/tokens/{id}/_rotate', { params: { path: { id } }, body: { gracePeriodSeconds } }),
      ),
    onSuccess: invalidate,
  });
}

/** Shows a retrievable token again (audited on the server, so the audit trail is refreshed). */
export function useRevealToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) =>
      (await unwrap(api.POST('/api/tokens/{id}/_reveal', { params: { path: { id } } }))).token,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.audit }),
  });
}
