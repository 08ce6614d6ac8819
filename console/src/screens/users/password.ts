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
export const MIN_PASSWORD = 8;
