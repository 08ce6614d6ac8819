import { readFileSync } from 'node:fs';
import newman, { type NewmanRunSummary } from 'newman';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/harness.ts';
import { type ReportingApp, startReportingApp } from './reporting-app-process.ts';

const COLLECTION = new URL('../../examples/tessera.postman_collection.json', import.meta.url);

/** Runs the collection with newman (as a library) against the given base URLs. */
function runCollection(variables: Record<string, string>): Promise<NewmanRunSummary> {
  const collection = JSON.parse(readFileSync(COLLECTION, 'utf8'));
  return new Promise((resolve, reject) => {
    newman.run(
      {
        collection,
        envVar: Object.entries(variables).map(([key, value]) => ({ key, value })),
        reporters: [],
      },
      (error, summary) => (error ? reject(error) : resolve(summary)),
    );
  });
}

describe('the Postman collection walks seeds 000, 002 and 003 against Tessera and the reporting app', () => {
  let t: TestServer;
  let app: ReportingApp;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
    app = await startReportingApp({ TESSERA_URL: t.url, TESSERA_CACHE_TTL_MS: '0' });
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('passes every test script of every request, with no token in the app log', async () => {
    const summary = await runCollection({
      tesseraUrl: t.url,
      appUrl: app.url,
      username: 'admin',
      password: ADMIN_PASSWORD,
    });
    const failures = summary.run.failures.map(
      (failure) => `${failure.source?.name ?? '?'}: ${failure.error.message}`,
    );
    expect(failures).toEqual([]);
    const collection = JSON.parse(readFileSync(COLLECTION, 'utf8'));
    const requests = collection.item.flatMap((folder: { item: unknown[] }) => folder.item).length;
    expect(summary.run.stats.requests).toMatchObject({ total: requests, failed: 0 });
    expect(summary.run.stats.assertions.total).toBe(requests);
    expect(summary.run.stats.assertions.failed).toBe(0);
    // The app logged the requests, tokens never: not in headers, not in a URL.
    expect(app.output()).toContain('/subscriptions/nightly-sales/run');
    expect(app.output()).not.toMatch(/tsr_[a-z]+_[0-9A-Za-z]{10}/);
  });
});
