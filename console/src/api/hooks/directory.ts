import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../client.ts';
import type { DirectoryEntry, User } from '../types.ts';
import { keys } from './keys.ts';

const DIRECTORY_STALE_MS = 60_000;

/** The permission catalog with its labels ("Execute subscription"). Every signed-in user may read it. */
export function useCatalog() {
  return useQuery({
    queryKey: keys.catalog,
    queryFn: async () => (await unwrap(api.GET('/api/permissions'))).items,
    staleTime: DIRECTORY_STALE_MS,
  });
}

/** Run-time settings; administrators with settings:manage only (pass enabled: false for others). */
export function useSettings(enabled: boolean) {
  return useQuery({
    queryKey: keys.settings,
    queryFn: () => unwrap(api.GET('/api/settings')),
    enabled,
    staleTime: DIRECTORY_STALE_MS,
  });
}

/**
 * Users for naming ids in tables (a token's user, an audit event's actor): the first 200, which the API
 * allows in one page; past them a table shows "User #id". Pickers search instead (UserPicker).
 * Administrators with users:read only.
 */
export function useUsers(enabled: boolean) {
  return useQuery({
    queryKey: keys.users,
    queryFn: async () => (await unwrap(api.GET('/api/users', { params: { query: { limit: 200 } } }))).items,
    enabled,
    staleTime: DIRECTORY_STALE_MS,
  });
}

export function useDepartments(enabled: boolean) {
  return useQuery({
    queryKey: keys.departments,
    queryFn: async () => (await unwrap(api.GET('/api/departments'))).items,
    enabled,
    staleTime: DIRECTORY_STALE_MS,
  });
}

export function useUserTypes(enabled: boolean) {
  return useQuery({
    queryKey: keys.userTypes,
    queryFn: async () => (await unwrap(api.GET('/api/user-types'))).items,
    enabled,
    staleTime: DIRECTORY_STALE_MS,
  });
}

/** id → display name, for tables that hold only ids. */
export function namesById<T extends { id: number }>(
  items: T[] | undefined,
  name: (item: T) => string,
): Map<number, string> {
  return new Map((items ?? []).map((item) => [item.id, name(item)]));
}

export const userName = (user: Pick<User, 'username' | 'fullName'>) =>
  user.fullName ? `${user.fullName} (${user.username})` : user.username;
export const entryName = (entry: DirectoryEntry) => entry.name;
