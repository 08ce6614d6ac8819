import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../client.ts';
import type { PersonalTokenBody, ProfileChanges } from '../types.ts';
import { keys } from './keys.ts';

const PAGE_SIZE = 20;

/** Changes the signed-in user's own profile (PATCH /api/me); the header and profile show the answer. */
export function useUpdateMe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ProfileChanges) => unwrap(api.PATCH('/api/me', { body })),
    onSuccess: (user) => queryClient.setQueryData(keys.me, user),
  });
}

/**
 * Changes your own password (PATCH /api/me with the current one). The server ends your other console and
 * mobile sessions; this one stays.
 */
export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { currentPassword: string; password: string }) =>
      unwrap(api.PATCH('/api/me', { body })),
    onSuccess: (user) =>
      Promise.all([
        queryClient.setQueryData(keys.me, user),
        queryClient.invalidateQueries({ queryKey: keys.sessions }),
        queryClient.invalidateQueries({ queryKey: keys.audit }),
      ]),
  });
}

/** "Sign out everywhere": ends your other console and mobile sessions; answers how many ended. */
export function useSignOutEverywhere() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => (await unwrap(api.POST('/api/me/sessions/_revoke-all'))).revoked,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.sessions }),
        queryClient.invalidateQueries({ queryKey: keys.audit }),
      ]),
  });
}

/** One page of your personal API access tokens (seed 002), newest first. */
export function usePersonalTokens(cursor: string | undefined) {
  return useQuery({
    queryKey: keys.personalTokenPage(cursor),
    queryFn: () =>
      unwrap(
        api.GET('/api/me/tokens', { params: { query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } } }),
      ),
    placeholderData: keepPreviousData,
  });
}

function useInvalidate(key: readonly string[]) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: key }),
      // The admin token list and the audit log show these tokens too.
      queryClient.invalidateQueries({ queryKey: keys.tokens }),
      queryClient.invalidateQueries({ queryKey: keys.audit }),
    ]);
}

export function useCreatePersonalToken() {
  const invalidate = useInvalidate(keys.personalTokens);
  return useMutation({
    mutationFn: (body: PersonalTokenBody) => unwrap(api.POST('/api/me/tokens', { body })),
    onSuccess: invalidate,
  });
}

export function useRevokePersonalToken() {
  const invalidate = useInvalidate(keys.personalTokens);
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/me/tokens/{id}', { params: { path: { id } } })),
    onSuccess: invalidate,
  });
}

/** One page of your refresh tokens (seed 003), newest first, whatever their status. */
export function useRefreshTokens(cursor: string | undefined) {
  return useQuery({
    queryKey: keys.refreshTokenPage(cursor),
    queryFn: () =>
      unwrap(
        api.GET('/api/me/refresh-tokens', {
          params: { query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** Creates a refresh token; its lifespan is the server's `authentication.token.refresh_token_lifespan`. */
export function useCreateRefreshToken() {
  const invalidate = useInvalidate(keys.refreshTokens);
  return useMutation({
    mutationFn: (name: string) => unwrap(api.POST('/api/me/refresh-tokens', { body: { name } })),
    onSuccess: invalidate,
  });
}

/** A new secret under the same name; the old token and the access tokens minted from it are revoked. */
export function useRegenerateRefreshToken() {
  const invalidate = useInvalidate(keys.refreshTokens);
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/api/me/refresh-tokens/{id}/_regenerate', { params: { path: { id } } })),
    onSuccess: invalidate,
  });
}

export function useRevokeRefreshToken() {
  const invalidate = useInvalidate(keys.refreshTokens);
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE('/api/me/refresh-tokens/{id}', { params: { path: { id } } })),
    onSuccess: invalidate,
  });
}
