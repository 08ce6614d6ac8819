import { DAY } from './clock.ts';
import { invalid, TesseraError } from './errors.ts';

export interface ExpiryInput {
  expiresInDays?: number;
  expiresAt?: string;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/i;

/** Whether the leading YYYY-MM-DD names a day that exists. */
function isCalendarDate(text: string): boolean {
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * When a new API or personal token expires: a number of days (the 30/60/90 presets or any other) or a
 * custom date, never in the past and never beyond the maximum lifetime. A bare date means the end of
 * that day (UTC), as a date picker user expects.
 */
export function resolveExpiry(
  input: ExpiryInput,
  now: number,
  policy: { defaultDays: number; maxDays: number },
): number {
  if (input.expiresInDays !== undefined && input.expiresAt !== undefined) {
    throw invalid('expiresAt', 'give either expiresInDays or expiresAt, not both');
  }
  const limit = now + policy.maxDays * DAY;
  if (input.expiresAt === undefined) {
    const days = input.expiresInDays ?? Math.min(policy.defaultDays, policy.maxDays);
    if (days > policy.maxDays) {
      throw new TesseraError('EXPIRY_TOO_FAR', `expiresInDays: at most ${policy.maxDays} days are allowed`, {
        field: 'expiresInDays',
      });
    }
    return now + days * DAY;
  }
  const text = input.expiresAt.trim();
  const at = DATE_ONLY.test(text) ? Date.parse(`${text}T23:59:59.999Z`) : Date.parse(text);
  // Date.parse rolls 2026-02-30 over to March and reads a date-time without a zone in the server's zone.
  if (Number.isNaN(at) || !(DATE_ONLY.test(text) || DATE_TIME.test(text)) || !isCalendarDate(text)) {
    throw invalid('expiresAt', 'not a date; use ISO 8601, e.g. 2027-01-31 or 2027-01-31T12:00:00Z');
  }
  if (at <= now)
    throw new TesseraError('EXPIRY_IN_PAST', 'expiresAt: must be in the future', { field: 'expiresAt' });
  if (at > limit) {
    throw new TesseraError(
      'EXPIRY_TOO_FAR',
      `expiresAt: must be no later than ${new Date(limit).toISOString()} (the maximum lifetime is ${policy.maxDays} days)`,
      { field: 'expiresAt' },
    );
  }
  return at;
}
