import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { sessionStore } from '../../auth/session.ts';
import { api, unwrap } from '../client.ts';
import type { User } from '../types.ts';
import { keys } from './keys.ts';

/** Signs in and keeps the session token; the sign-in screen shows the error when it fails. */
export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; password: string }) =>
      unwrap(api.POST('/api/auth/login', { body })),
    onSuccess: (result) => {
      queryClient.clear();
      queryClient.setQueryData(keys.me, result.user);
      sessionStore.signIn({ token: result.token, expiresAt: result.expiresAt });
    },
  });
}

/** Revokes the session on the server, then forgets it here even if the server could not be reached. */
export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/auth/logout')),
    onSettled: () => {
      sessionStore.signOut('signed-out');
      queryClient.clear();
    },
  });
}

/** The signed-in user (GET /api/me): role and effective permissions decide what the console shows. */
export function useMe() {
  return useQuery({ queryKey: keys.me, queryFn: () => unwrap(api.GET('/api/me')), staleTime: 60_000 });
}

/** Whether a user holds a permission: admins and `*` hold every one. */
export function holds(user: User | undefined, permission: string): boolean {
  if (!user) return false;
  return user.effectivePermissions.includes('*') || user.effectivePermissions.includes(permission);
}

/** Administrators holding the permission: what the server's admin-only routes ask for. */
export function isAdmin(user: User | undefined, permission?: string): boolean {
  return user?.role === 'admin' && (permission === undefined || holds(user, permission));
}
