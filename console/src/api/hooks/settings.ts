import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../client.ts';
import type { Settings } from '../types.ts';
import { keys } from './keys.ts';

export { useSettings } from './directory.ts';

/**
 * Every setting's label, description, type, unit, limits and default, from the server's own definitions
 * (the ones PATCH checks against). They change only with a new server version, so they are read once.
 */
export function useSettingDefinitions() {
  return useQuery({
    queryKey: keys.settingDefinitions,
    queryFn: async () => (await unwrap(api.GET('/api/settings/_definitions'))).items,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Changes only the given settings (all or nothing on the server); the answer is the new full set. */
export function useUpdateSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: Partial<Settings>) =>
      unwrap(api.PATCH('/api/settings', { body: changes as Record<string, number | boolean | string> })),
    onSuccess: (settings) => {
      queryClient.setQueryData(keys.settings, settings);
      return queryClient.invalidateQueries({ queryKey: keys.audit });
    },
  });
}
