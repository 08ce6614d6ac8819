import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/errors.ts';
import { sessionStore } from '../auth/session.ts';

/**
 * Retries only what may succeed on a second try (the server unreachable, or a 5xx); a 4xx is an answer,
 * shown at once.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (failures, error) =>
        failures < 2 && (!(error instanceof ApiError) || error.status === 0 || error.status >= 500),
      refetchOnWindowFocus: false,
    },
    mutations: { retry: false },
  },
});

// Signed out (by the user, or because the session expired): nothing cached may outlive the session.
sessionStore.subscribe(() => {
  if (!sessionStore.get()) queryClient.clear();
});
