import { useSettings } from '../api/hooks/directory.ts';
import { isAdmin, useMe } from '../api/hooks/session.ts';
import { isoDateInDays } from './format.ts';

export const PRESET_DAYS = [30, 60, 90] as const;
/** The server's default for authentication.token.api_token_max_lifespan, for users who may not read settings. */
export const DEFAULT_MAX_DAYS = 365;

/**
 * The dates a custom expiry may take. A date means the end of that day (UTC) on the server, and the limit is
 * now + maxDays, so the last whole day that fits is the one before the limit's.
 */
export function customDateRange(maxDays: number, now = Date.now()): { min: string; max: string } {
  return { min: isoDateInDays(0, now), max: isoDateInDays(maxDays - 1, now) };
}

/**
 * The maximum token lifetime in days: from the settings for those who may read them (`known`), otherwise the
 * server's documented default.
 */
export function useMaxTokenDays(): { maxDays: number; known: boolean; isLoading: boolean } {
  const me = useMe();
  const settings = useSettings(isAdmin(me.data, 'settings:manage'));
  return {
    maxDays: settings.data?.['authentication.token.api_token_max_lifespan'] ?? DEFAULT_MAX_DAYS,
    known: Boolean(settings.data),
    isLoading: settings.isLoading,
  };
}
