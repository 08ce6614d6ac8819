import type { TokenKind } from '../api/types.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Active tokens expiring within this many days carry the "expires soon" badge. */
export const EXPIRES_SOON_DAYS = 7;

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' });

/** "3 Mar 2026, 14:05" in the browser's time zone; "Never" for null. */
export function formatDateTime(iso: string | null | undefined, never = 'Never'): string {
  return iso ? dateTime.format(new Date(iso)) : never;
}

export function formatDate(iso: string | null | undefined, never = '—'): string {
  return iso ? dateOnly.format(new Date(iso)) : never;
}

export type ExpiryState = 'expired' | 'soon' | 'ok';

/** Whether a token has expired or will within EXPIRES_SOON_DAYS, judged against the browser's clock. */
export function expiryState(expiresAt: string, now = Date.now()): ExpiryState {
  const left = new Date(expiresAt).getTime() - now;
  if (left <= 0) return 'expired';
  return left <= EXPIRES_SOON_DAYS * DAY_MS ? 'soon' : 'ok';
}

export const KIND_LABELS: Record<TokenKind, string> = {
  api: 'API token',
  pat: 'Personal',
  shr: 'Share',
  rt: 'Refresh',
  at: 'Access',
  ses: 'Session',
  cs: 'Client secret',
};

/** A date `days` from now as YYYY-MM-DD (the API reads a date as the end of that day, UTC). */
export function isoDateInDays(days: number, now = Date.now()): string {
  return new Date(now + days * DAY_MS).toISOString().slice(0, 10);
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
