import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from './support/harness.ts';

describe.each(DIALECTS)('quickstart on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.close());

  it('creates a token, verifies it, revokes it, and then refuses it', async () => {
    const created = await t.api('POST', '/api/tokens', {
      token: t.adminToken,
      body: { name: 'ci', permissions: ['subscription:execute'], expiresInDays: 30 },
    });
    expect(created.status).toBe(201);
    const verify = () =>
      t.api('POST', '/api/verify', {
        body: { token: created.body.token, permission: 'subscription:execute' },
      });
    expect((await verify()).body).toMatchObject({ valid: true, tokenId: created.body.id });
    expect((await t.api('DELETE', `/api/tokens/${created.body.id}`, { token: t.adminToken })).status).toBe(
      204,
    );
    expect((await verify()).body).toMatchObject({ valid: false, code: 'TOKEN_REVOKED' });
  });
});
