import { invalid } from './errors.ts';

/**
 * What a name or a description may not hold, in one place for the HTTP schemas and the core: C0 and C1
 * control characters; the bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E/200F,
 * U+202A–202E, U+2066–2069), which make an administrator read text in another order than it is stored; and
 * the zero-width characters (U+200B–200D, U+2060, U+FEFF), which make two different names look alike.
 * Descriptions may hold tabs and line breaks; names may not.
 */
const HIDDEN = '\\u061C\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2069\\uFEFF';

/** A JSON Schema `pattern` (ECMAScript, Unicode) for a one-line name. */
export const NAME_PATTERN = `^[^\\u0000-\\u001F\\u007F-\\u009F${HIDDEN}]*$`;

/** A JSON Schema `pattern` for free text: as {@link NAME_PATTERN}, but tabs and line breaks (CR, LF) pass. */
export const TEXT_PATTERN = `^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F${HIDDEN}]*$`;

/** What a 400 says when a name or a description holds one of those characters. */
export const UNSAFE_TEXT_MESSAGE =
  'must not contain control characters, bidirectional overrides or zero-width characters';

const NAME = new RegExp(NAME_PATTERN, 'u');
const TEXT = new RegExp(TEXT_PATTERN, 'u');

/** Refuses a one-line name holding a control, bidirectional or zero-width character: a 400 naming `field`. */
export function checkName(field: string, value: string): string {
  if (!NAME.test(value)) throw invalid(field, UNSAFE_TEXT_MESSAGE);
  return value;
}

/** Refuses free text holding a control (but tab, CR, LF), bidirectional or zero-width character. */
export function checkText(field: string, value: string): string {
  if (!TEXT.test(value)) throw invalid(field, UNSAFE_TEXT_MESSAGE);
  return value;
}

/** A name as given, trimmed: not empty, and without control, bidirectional or zero-width characters. */
export function cleanName(value: string, field = 'name'): string {
  const name = value.trim();
  if (name === '') throw invalid(field, 'must not be empty');
  return checkName(field, name);
}
