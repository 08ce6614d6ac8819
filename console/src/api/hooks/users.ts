import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../client.ts';
import type { DirectoryEntryBody, NewUser, UserChanges, UserListQuery } from '../types.ts';
import { keys } from './keys.ts';

/** One page of users (administrators with users:read), with the API's search and filters. */
export function useUserList(query: UserListQuery) {
  return useQuery({
    queryKey: keys.userList(query),
    queryFn: () => unwrap(api.GET('/api/users', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

/** One user (administrators with users:read), for the page /users/{id}. */
export function useUser(id: number | undefined) {
  return useQuery({
    queryKey: keys.user(id ?? 0),
    queryFn: () => unwrap(api.GET('/api/users/{id}', { params: { path: { id: id ?? 0 } } })),
    enabled: id !== undefined,
  });
}

/**
 * Users whose username, name or email contains `text` (the API's `q`), the first 20: what a picker offers
 * as someone types. The previous answer stays on screen while the next one loads.
 */
export function useUserSearch(text: string, enabled = true) {
  return useQuery({
    queryKey: keys.userSearch(text),
    queryFn: async () =>
      (await unwrap(api.GET('/api/users', { params: { query: { q: text || undefined, limit: 20 } } }))).items,
    placeholderData: keepPreviousData,
    enabled,
    staleTime: 30_000,
  });
}

/** After a change to users: the lists, the pickers (same key prefix), `me` and the audit log. */
function useInvalidateUsers() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: keys.users }),
      queryClient.invalidateQueries({ queryKey: keys.me }),
      queryClient.invalidateQueries({ queryKey: keys.audit }),
    ]);
}

export function useCreateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (body: NewUser) => unwrap(api.POST('/api/users', { body })),
    onSuccess: invalidate,
  });
}

/** Changes a user; a change of role or permissions reaches their tokens at once (the server says so). */
export function useUpdateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ id, changes }: { id: number; changes: UserChanges }) =>
      unwrap(api.PATCH('/api/users/{id}', { params: { path: { id } }, body: changes })),
    onSuccess: invalidate,
  });
}

/** Deletes a user and revokes their tokens; the server refuses the last administrator (LAST_ADMIN). */
export function useDeleteUser() {
  const invalidate = useInvalidateUsers();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE('/api/users/{id}', { params: { path: { id } } })),
    onSuccess: () => Promise.all([invalidate(), queryClient.invalidateQueries({ queryKey: keys.tokens })]),
  });
}

/** Signs a user out everywhere (users:write): ends their console and mobile sessions; answers how many. */
export function useSignOutUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: number) =>
      (await unwrap(api.POST('/api/users/{id}/sessions/_revoke-all', { params: { path: { id } } }))).revoked,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.sessions }),
        queryClient.invalidateQueries({ queryKey: keys.audit }),
      ]),
  });
}

/** Departments and user types share their endpoints' shape; `kind` picks which. */
export type DirectoryKind = 'departments' | 'user-types';

const directoryKey = (kind: DirectoryKind) => (kind === 'departments' ? keys.departments : keys.userTypes);

function useInvalidateDirectory(kind: DirectoryKind) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: directoryKey(kind) }),
      queryClient.invalidateQueries({ queryKey: keys.audit }),
    ]);
}

export function useCreateEntry(kind: DirectoryKind) {
  const invalidate = useInvalidateDirectory(kind);
  return useMutation({
    mutationFn: (body: DirectoryEntryBody) =>
      kind === 'departments'
        ? unwrap(api.POST('/api/departments', { body }))
        : unwrap(api.POST('/api/user-types', { body })),
    onSuccess: invalidate,
  });
}

/** Renames an entry or changes its description. */
export function useUpdateEntry(kind: DirectoryKind) {
  const invalidate = useInvalidateDirectory(kind);
  return useMutation({
    mutationFn: ({ id, changes }: { id: number; changes: Partial<DirectoryEntryBody> }) => {
      const options = { params: { path: { id } }, body: changes };
      return kind === 'departments'
        ? unwrap(api.PATCH('/api/departments/{id}', options))
        : unwrap(api.PATCH('/api/user-types/{id}', options));
    },
    onSuccess: invalidate,
  });
}

/** Deletes an entry; the server refuses one still assigned to users or active tokens (IN_USE). */
export function useDeleteEntry(kind: DirectoryKind) {
  const invalidate = useInvalidateDirectory(kind);
  return useMutation({
    mutationFn: (id: number) => {
      const options = { params: { path: { id } } };
      return kind === 'departments'
        ? unwrap(api.DELETE('/api/departments/{id}', options))
        : unwrap(api.DELETE('/api/user-types/{id}', options));
    },
    onSuccess: invalidate,
  });
}
