import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../client.ts';
import type { CreateClientBody } from '../types.ts';
import { keys } from './keys.ts';

/** The tenant's OAuth clients, newest first (administrators with clients:manage). */
export function useClients(enabled = true) {
  return useQuery({
    queryKey: keys.clients,
    queryFn: async () => (await unwrap(api.GET('/api/clients'))).items,
    enabled,
  });
}

function useInvalidateClients() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: keys.clients }),
      queryClient.invalidateQueries({ queryKey: keys.audit }),
    ]);
}

/** Registers a client; the answer holds the client secret, shown this once. */
export function useCreateClient() {
  const invalidate = useInvalidateClients();
  return useMutation({
    mutationFn: (body: CreateClientBody) => unwrap(api.POST('/api/clients', { body })),
    onSuccess: invalidate,
  });
}

/** Replaces the client secret (the old one stops working at once); the new one is shown once. */
export function useRotateClientSecret() {
  const invalidate = useInvalidateClients();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/api/clients/{id}/_rotate-secret', { params: { path: { id } } })),
    onSuccess: invalidate,
  });
}

/** Deletes a client and revokes every token issued to it. */
export function useDeleteClient() {
  const invalidate = useInvalidateClients();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/clients/{id}', { params: { path: { id } } })),
    onSuccess: invalidate,
  });
}
