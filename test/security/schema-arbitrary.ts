import fc from 'fast-check';

/**
 * fast-check arbitraries from the JSON Schemas of /openapi.json: values that fit a schema (so handlers run)
 * and mutations of them (wrong types, extra fields, huge strings, control characters, nulls, missing fields).
 */

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema objects are read freely
export type Schema = any;

/** Strings that have broken parsers before: encodings, control characters, traversal, injections, long ones. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '%',
  '%zz',
  '%00',
  '%2e%2e',
  '..',
  '../..',
  '\u0000',
  '\u0007\u001f\u007f',
  '\r\nX-Injected: 1',
  '\ud800',
  '😀',
  "' OR 1=1 --",
  '"; DROP TABLE tokens; --',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'NaN',
  '-1',
  '0',
  '1e309',
  '9'.repeat(40),
  'tsr_api_',
  'a'.repeat(2_000),
] as const;

export const nastyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 }) },
  { weight: 1, arbitrary: fc.constantFrom(5_000, 20_000, 70_000).map((n) => 'x'.repeat(n)) },
);

/** Any JSON value, of any type: what a wrongly typed field gets instead. */
export const anyJson = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true }),
  nastyString,
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

export class SchemaArbitraries {
  constructor(private readonly components: Record<string, Schema>) {}

  /** A value that fits the schema (as far as the schema says), sometimes a little off at the edges. */
  valid(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
    if (!schema || typeof schema !== 'object' || depth > 6) return anyJson;
    if (schema.$ref) {
      const name = String(schema.$ref).split('/').pop() ?? '';
      return this.valid(this.components[name], depth + 1);
    }
    if ('const' in schema) return fc.constant(schema.const);
    if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
    const union = schema.anyOf ?? schema.oneOf;
    if (Array.isArray(union) && union.length > 0)
      return fc.oneof(...union.map((s: Schema) => this.valid(s, depth + 1)));
    if (schema.if && (schema.then || schema.else))
      return fc.oneof(
        ...[schema.then, schema.else].filter(Boolean).map((s: Schema) => this.valid(s, depth + 1)),
      );
    if (Array.isArray(schema.allOf)) return this.valid(Object.assign({}, ...schema.allOf), depth + 1);
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    switch (type) {
      case 'string':
        return this.string(schema);
      case 'integer':
        return fc.integer({
          min: Math.max(schema.minimum ?? -(2 ** 31), -(2 ** 53) + 1),
          max: Math.min(schema.maximum ?? 2 ** 31, 2 ** 53 - 1),
        });
      case 'number':
        return fc.double({ min: schema.minimum, max: schema.maximum, noNaN: true });
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array':
        return fc.array(this.valid(schema.items, depth + 1), {
          minLength: schema.minItems ?? 0,
          maxLength: Math.min(schema.maxItems ?? 4, 4),
        });
      case 'object':
        return this.object(schema, depth);
      default:
        return anyJson;
    }
  }

  /** A value of the schema, mutated one way or another (or not at all). */
  mutated(schema: Schema): fc.Arbitrary<unknown> {
    const valid = this.valid(schema);
    return fc.oneof(
      { weight: 4, arbitrary: valid },
      { weight: 1, arbitrary: anyJson },
      {
        weight: 3,
        arbitrary: fc
          .tuple(valid, fc.string({ maxLength: 12 }), anyJson, fc.nat())
          .map(([value, key, junk, pick]) => mutateObject(value, key, junk, pick)),
      },
    );
  }

  private string(schema: Schema): fc.Arbitrary<string> {
    const minLength = schema.minLength ?? 0;
    const maxLength = Math.min(schema.maxLength ?? 60, 60);
    const formats: Record<string, fc.Arbitrary<string>> = {
      uuid: fc.uuid(),
      email: fc.emailAddress(),
      'date-time': fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      date: fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      uri: fc.webUrl(),
    };
    let base: fc.Arbitrary<string>;
    if (schema.format && formats[schema.format]) base = formats[schema.format]!;
    else if (schema.pattern)
      base = fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= 1000);
    else base = fc.string({ minLength, maxLength: Math.max(minLength, maxLength) });
    // Now and then the edges: the longest allowed, one past it, a nasty one.
    const longest = schema.maxLength ? fc.constant('a'.repeat(schema.maxLength)) : base;
    const past = schema.maxLength ? fc.constant('a'.repeat(schema.maxLength + 1)) : base;
    return fc.oneof(
      { weight: 8, arbitrary: base },
      { weight: 1, arbitrary: longest },
      { weight: 1, arbitrary: past },
      { weight: 1, arbitrary: nastyString },
    );
  }

  private object(schema: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
    const properties: Record<string, Schema> = schema.properties ?? {};
    const required = new Set<string>(schema.required ?? []);
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [key, sub] of Object.entries(properties)) model[key] = this.valid(sub, depth + 1);
    const known = fc.record(model, { requiredKeys: [...required].filter((k) => k in model) });
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      const extra = fc.dictionary(
        fc.string({ minLength: 1, maxLength: 30 }),
        this.valid(schema.additionalProperties),
        {
          maxKeys: 3,
        },
      );
      return fc.tuple(known, extra).map(([a, b]) => ({ ...b, ...a }));
    }
    return known;
  }
}

/** One mutation of an object: a field dropped, set to junk or null, or an unknown field added. */
function mutateObject(value: unknown, key: string, junk: unknown, pick: number): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return junk;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  const field = keys.length > 0 ? keys[pick % keys.length]! : key;
  switch (pick % 4) {
    case 0:
      delete copy[field];
      break;
    case 1:
      copy[field] = junk;
      break;
    case 2:
      copy[field] = null;
      break;
    default:
      copy[key || 'extra'] = junk;
  }
  return copy;
}
