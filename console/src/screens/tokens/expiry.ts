import { isoDateInDays } from '../../lib/format.ts';

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
