import { invalid } from './errors.ts';

/**
 * What a name or a description may not hold, in one place for the HTTP schemas and the core: C0 and C1
 * control characters; the bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E/200F,
 * U+202A–202E, U+2066–2069), which make an administrator read text in another order than it is stored; and
 * the zero-width and other invisible characters (U+200B–200D, U+2060, U+FEFF and those below), which make two
 * different names look alike.
 * Descriptions may hold tabs and line breaks; names may not.
 */
const HIDDEN =
  '\\u061C\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2069\\uFEFF' +
  // Characters that render as nothing or as blank space yet are not spaces: soft hyphen, combining grapheme
  // joiner, Hangul fillers, Khmer and Mongolian invisible vowels and separators, line and paragraph separators.
  '\\u00AD\\u034F\\u115F\\u1160\\u17B4\\u17B5\\u180B-\\u180F\\u2028\\u2029\\u3164\\uFFA0';

/**
 * Refused by the core only, whose expressions run in Unicode mode: tag characters, and lone surrogate halves
 * (which no store keeps as sent). Kept out of the schema patterns, which tools may read without that mode
 * (where the surrogate range would refuse every emoji).
 */
const HIDDEN_ASTRAL = '\\u{E0000}-\\u{E007F}\\uD800-\\uDFFF';

/** A JSON Schema `pattern` (ECMAScript) for a one-line name. */
export const NAME_PATTERN = `^[^\\u0000-\\u001F\\u007F-\\u009F${HIDDEN}]*$`;

/** A JSON Schema `pattern` for free text: as {@link NAME_PATTERN}, but tabs and line breaks (CR, LF) pass. */
export const TEXT_PATTERN = `^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F${HIDDEN}]*$`;

/** What a 400 says when a name or a description holds one of those characters. */
export const UNSAFE_TEXT_MESSAGE =
  'must not contain control characters, bidirectional overrides or zero-width characters';

const NAME = new RegExp(NAME_PATTERN.replace(']*$', `${HIDDEN_ASTRAL}]*$`), 'u');
const TEXT = new RegExp(TEXT_PATTERN.replace(']*$', `${HIDDEN_ASTRAL}]*$`), 'u');

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
