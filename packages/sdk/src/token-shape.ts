import { crc32 } from 'node:zlib';

/**
 * The local check made before any network call. Tessera tokens are `tsr_<kind>_<43 base62 secret><6 base62
 * CRC32 of everything before it>`; a typo or a random string fails the checksum, so it is refused here
 * without asking the server. JWT access tokens (RFC 9068, when the server issues them) carry no checksum:
 * only their shape is checked, and the server checks the signature.
 */

/** The kinds of token Tessera issues: API, personal, report share, refresh, access and session tokens. */
export type TokenKind = 'api' | 'pat' | 'shr' | 'rt' | 'at' | 'ses';

/** What a presented string looks like, from its characters alone. */
export type TokenShape = 'tessera' | 'jwt' | 'malformed';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM_CHARS = 6;
const TESSERA_TOKEN = /^tsr_(api|pat|shr|rt|at|ses)_[0-9A-Za-z]{49}$/;
const COMPACT_JWS = /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/;
/** The server refuses longer JWTs; the SDK refuses them first. */
const MAX_JWT_LENGTH = 8192;

function base62(value: number, width: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < width; i++) {
    out = ALPHABET[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

/** Classifies a presented string: a Tessera token with a good checksum, a JWT-shaped string, or neither. */
export function tokenShape(token: string): TokenShape {
  if (TESSERA_TOKEN.test(token)) {
    const body = token.slice(0, -CHECKSUM_CHARS);
    return base62(crc32(body), CHECKSUM_CHARS) === token.slice(-CHECKSUM_CHARS) ? 'tessera' : 'malformed';
  }
  return token.length <= MAX_JWT_LENGTH && COMPACT_JWS.test(token) ? 'jwt' : 'malformed';
}
