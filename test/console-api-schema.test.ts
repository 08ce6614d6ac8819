import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateApiSchema, SCHEMA_PATH } from '../scripts/gen-openapi.ts';

describe('the console API client', () => {
  it('is generated from the current OpenAPI document (run `npm run gen:api` when this fails)', async () => {
    const committed = readFileSync(SCHEMA_PATH, 'utf8');
    const current = await generateApiSchema();
    // A plain boolean first: a 6000-line diff is not what the reader needs to see.
    const upToDate = committed === current;
    expect(
      upToDate,
      'console/src/api/schema.d.ts is out of date with the server routes: run `npm run gen:api` and commit the result',
    ).toBe(true);
  });
});
