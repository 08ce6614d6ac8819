import { randomBytes } from 'node:crypto';

/**
 * A UUID version 7 (RFC 9562 §5.7): 48 bits of Unix milliseconds, then 74 random bits. Rows keyed by it are
 * appended at the end of their primary-key index instead of at a random place, so a transaction that
 * inserts many tokens dirties a few index pages rather than one per token (on SQLite, far fewer WAL bytes).
 * Token ids are not secrets; the time they carry is the token's `createdAt`, which the API shows anyway.
 */
export function timeOrderedId(ms: number): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
