import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/core/errors.ts';
import { VERIFY_FAILURES } from '../../src/core/verifier.ts';

/**
 * Every code a client can receive is documented in the README as a table row starting with "| `CODE` |"
 * (as fastify's test/internals/errors.test.js checks its error list), so a new code cannot ship undocumented.
 */
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const rows = readme.split('\n').filter((line) => line.startsWith('| `'));
const rowOf = (code: string) => rows.find((line) => line.startsWith(`| \`${code}\` |`));

describe('error codes are documented in README.md', () => {
  it.each(Object.entries(ERROR_CODES))('management error %s, with its HTTP status', (code, { status }) => {
    const row = rowOf(code);
    expect(row, `README.md has no row "| \`${code}\` |"`).toBeDefined();
    expect(row?.split('|')[2]?.trim(), `README.md gives ${code} the wrong status`).toBe(String(status));
  });

  it.each(Object.keys(VERIFY_FAILURES))('verification failure %s', (code) => {
    expect(rowOf(code), `README.md has no row "| \`${code}\` |"`).toBeDefined();
  });

  it('lists no code in its Errors section that the service does not have', () => {
    const section = readme.split(/^## /m).find((part) => part.startsWith('Errors')) ?? '';
    const documented = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.length).toBeGreaterThan(0);
    const known = new Set([...Object.keys(ERROR_CODES), ...Object.keys(VERIFY_FAILURES)]);
    expect(documented.filter((code) => !known.has(code ?? ''))).toEqual([]);
  });
});
