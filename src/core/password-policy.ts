import { dictionary } from '@zxcvbn-ts/language-common';
import { invalid } from './errors.ts';

/** Longest password accepted, in characters: argon2 takes any length, but a bound keeps hashing cheap. */
export const MAX_PASSWORD_LENGTH = 1000;

/** Default of `authentication.password_min_length`. */
export const DEFAULT_MIN_PASSWORD_LENGTH = 12;

let common: ReadonlySet<string> | undefined;

/** The ~49,000 most common passwords from breach corpora (zxcvbn-ts's list), compared without case or spaces. */
function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(dictionary['passwords-common'].map(comparable));
  return common;
}

function comparable(password: string): string {
  return password.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/**
 * NIST SP 800-63B's rules for a password a person chooses: at least `minLength` characters (counted as
 * Unicode code points after NFKC normalization), no composition rules, and not a password that breach
 * corpora show is common, nor one character repeated, nor words from the context (the user's username,
 * email and name, the service's name). Throws a 400 naming `field` and the rule broken.
 */
export function checkPassword(
  password: string,
  options: { minLength: number; field?: string; context?: readonly (string | null | undefined)[] },
): void {
  const field = options.field ?? 'password';
  const normalized = password.normalize('NFKC');
  const length = [...normalized].length;
  if (length < options.minLength)
    throw invalid(field, `must be at least ${options.minLength} characters (a few words make a good one)`);
  if (length > MAX_PASSWORD_LENGTH) throw invalid(field, `must be at most ${MAX_PASSWORD_LENGTH} characters`);
  const plain = comparable(normalized);
  if (new Set(plain).size <= 1)
    throw invalid(field, 'must not be one character repeated; choose something harder to guess');
  if (commonPasswords().has(plain))
    throw invalid(field, 'is one of the most common passwords in published breaches; choose another');
  for (const word of options.context ?? []) {
    const own = word ? comparable(word) : '';
    // The whole of a name, email or the service's name; or containing a username of 4+ characters.
    if (own !== '' && (own === plain || (own.length >= 4 && plain.includes(own))))
      throw invalid(
        field,
        'must not be or contain your username, email or name, nor be guessable from them; choose something harder to guess',
      );
  }
  if (plain.includes('tessera'))
    throw invalid(field, 'must not contain the name of this service; choose something harder to guess');
}
