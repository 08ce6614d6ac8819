import { useSettings } from '../../api/hooks/directory.ts';
import { isAdmin, useMe } from '../../api/hooks/session.ts';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A random password from the browser's CSPRNG: 20 characters without look-alikes (about 117 bits). */
export function generatePassword(length = 20): string {
  const limit = 256 - (256 % ALPHABET.length); // reject bytes past the last full alphabet, so no bias
  let out = '';
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < limit && out.length < length) out += ALPHABET[byte % ALPHABET.length];
    }
  }
  return out;
}

/** The server's rules, checked before sending: kept in step with src/core/users.ts. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._@+-]{0,99}$/;
/** The server's default for `authentication.password_min_length` (src/core/password-policy.ts). */
export const MIN_PASSWORD = 12;

/**
 * The shortest password the server takes: the setting for those who may read settings (`known`), else
 * its default. Only a known minimum is checked before sending; otherwise the server's answer, which names
 * the rule, goes beside the field.
 */
export function usePasswordMinLength(): { minLength: number; known: boolean } {
  const me = useMe();
  const settings = useSettings(isAdmin(me.data, 'settings:manage'));
  const setting = settings.data?.['authentication.password_min_length'];
  return typeof setting === 'number'
    ? { minLength: setting, known: true }
    : { minLength: MIN_PASSWORD, known: false };
}

/**
 * What a password field says it wants, and the problem with a password before sending, if any: its length
 * counted as the server counts it (code points after NFKC normalization).
 */
export function passwordRule(rule: { minLength: number; known: boolean }) {
  return {
    description: `At least ${rule.minLength} characters${rule.known ? '' : ' by default'}; a few words make a good one.`,
    problem: (password: string) =>
      rule.known && [...password.normalize('NFKC')].length < rule.minLength
        ? `Use at least ${rule.minLength} characters.`
        : undefined,
  };
}
