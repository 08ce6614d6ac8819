import { DAY } from './clock.ts';
import { invalid, TesseraError } from './errors.ts';

export interface ExpiryInput {
  expiresInDays?: number;
  expiresAt?: string;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

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
  if (Number.isNaN(at) || !/^\d{4}-\d{2}-\d{2}/.test(text)) {
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
