import { TesseraError } from '../../core/errors.ts';

/** Opaque keyset-pagination cursors: the last row's sort value and id, tied to the sort they came from. */
export function encodeCursor(sort: string, value: string | number, id: string | number): string {
  return Buffer.from(JSON.stringify([sort, value, id])).toString('base64url');
}

/** What a cursor part must be: text, or a whole number (ids, epoch milliseconds) that the database will accept. */
export type CursorPart = 'string' | 'integer';

const fits = (value: unknown, part: CursorPart | undefined) =>
  part === 'integer'
    ? Number.isSafeInteger(value)
    : part === 'string'
      ? typeof value === 'string'
      : ['string', 'number'].includes(typeof value);

/**
 * Decodes a cursor from `sort`; `shape` names the types of its value and id, so that a tampered cursor is an
 * INVALID_CURSOR and never reaches the database as a value of the wrong type.
 */
export function decodeCursor(
  sort: string,
  cursor: string,
  shape?: [CursorPart, CursorPart],
): [string | number, string | number] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 3 &&
      parsed[0] === sort &&
      fits(parsed[1], shape?.[0]) &&
      fits(parsed[2], shape?.[1])
    ) {
      return [parsed[1], parsed[2]];
    }
  } catch {
    // fall through to the error below
  }
  throw new TesseraError(
    'INVALID_CURSOR',
    'cursor: not a cursor from this listing; start again without it.',
    {
      field: 'cursor',
    },
  );
}

/** Cuts one extra row off a `limit + 1` read and turns the last kept row into the next cursor. */
export function pageOf<R, T>(
  rows: R[],
  limit: number,
  map: (row: R) => T,
  cursorOf: (row: R) => string,
): { items: T[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { items: kept.map(map), nextCursor: more && last !== undefined ? cursorOf(last) : null };
}

/** A LIKE pattern that matches `text` anywhere, with LIKE's wildcards escaped (use with `escape '\'`). */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
