import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Token strings: `tsr_<kind>_<secret><checksum>`. The secret is 32 CSPRNG bytes in base62; the checksum is
 * the CRC32 of everything before it, in 6 base62 characters. A typo or a random string fails the checksum,
 * so it is refused without a store read; secret scanners can match the `tsr_` prefix. Kind `cs` is an OAuth
 * client secret (kept in the clients table, never used as a bearer token).
 */
export const TOKEN_KINDS = ['api', 'pat', 'shr', 'rt', 'at', 'ses', 'cs'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SECRET_BYTES = 32;
const SECRET_CHARS = 43; // ceil(256 bits / log2(62))
const CHECKSUM_CHARS = 6;
const PATTERN = /^tsr_(api|pat|shr|rt|at|ses|cs)_([0-9A-Za-z]{49})$/;

function toBase62(value: bigint, width: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < width; i++) {
    out = ALPHABET[Number(rest % 62n)] + out;
    rest /= 62n;
  }
  return out;
}

/** The CRC32 of `body` in base62; a CRC32 fits a double exactly, so no BigInt on the verification path. */
function checksum(body: string): string {
  let rest = crc32(body);
  let out = '';
  for (let i = 0; i < CHECKSUM_CHARS; i++) {
    out = ALPHABET[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

/** Creates a new random token string of the given kind. */
export function generateToken(kind: TokenKind): string {
  const secret = toBase62(BigInt(`0x${randomBytes(SECRET_BYTES).toString('hex')}`), SECRET_CHARS);
  const body = `tsr_${kind}_${secret}`;
  return body + checksum(body);
}

/** Returns the token's kind when its shape and checksum are right, or null: no I/O, constant cost. */
export function parseToken(token: string): TokenKind | null {
  if (token.length > 64) return null;
  const match = PATTERN.exec(token);
  if (!match) return null;
  const body = token.slice(0, -CHECKSUM_CHARS);
  if (checksum(body) !== token.slice(-CHECKSUM_CHARS)) return null;
  return match[1] as TokenKind;
}

/** What may be shown of a token after creation: its prefix and last four characters. */
export function tokenHint(token: string): string {
  const prefix = token.slice(0, token.indexOf('_', 4) + 1);
  return `${prefix}…${token.slice(-4)}`;
}
