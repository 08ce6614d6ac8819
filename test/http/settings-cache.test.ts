import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';

const KEY = 'authentication.token.api_token_default_lifespan';

describe.each(DIALECTS)('settings seen by a running node on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.close());

  const current = async () => (await t.api('GET', '/api/settings', { token: t.adminToken })).body[KEY];

  it('sees its own change at once', async () => {
    expect((await t.api('PATCH', '/api/settings', { token: t.adminToken, body: { [KEY]: 11 } })).status).toBe(
      200,
    );
    expect(await current()).toBe(11);
  });

  it('sees a change made elsewhere (the CLI, another node) within the cache TTL', async () => {
    await current();
    // Another process writes the shared store directly.
    await t.server.tessera.store.settings.set('default', { [KEY]: 12 }, t.clock.now());
    expect(await current()).toBe(11);
    t.clock.advance(5_000);
    expect(await current()).toBe(12);
  });
});
