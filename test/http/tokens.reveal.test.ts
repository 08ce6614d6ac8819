import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { createToken, createUser, expectError } from './token-fixtures.ts';

describe.each(DIALECTS)('POST /api/tokens/{id}/_reveal on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.close());

  const reveal = (id: string, token = t.adminToken) => t.api('POST', `/api/tokens/${id}/_reveal`, { token });
  const reveals = async (id: string) =>
    (await t.api('GET', `/api/audit?action=token.reveal&targetId=${id}`, { token: t.adminToken })).body.items;

  it('shows an admin the same token string again, and audits each reveal', async () => {
    const created = await createToken(t, { retrievable: true });
    for (let i = 0; i < 2; i++) {
      const response = await reveal(created.id);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ token: created.token });
    }
    const events = await reveals(created.id);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      action: 'token.reveal',
      actorUserId: 1,
      targetType: 'token',
      targetId: created.id,
      ip: '127.0.0.1',
    });
    expect(JSON.stringify(events)).not.toContain(created.token);
  });

  it('refuses a member with 403, even for a retrievable token of their own, and audits nothing', async () => {
    const member = await createUser(t);
    const created = await createToken(t, { retrievable: true, userId: member.id });
    expectError(await reveal(created.id, member.session), 403, 'FORBIDDEN');
    expect(await reveals(created.id)).toHaveLength(0);
  });

  it('answers 409 TOKEN_NOT_RETRIEVABLE for a token not created retrievable', async () => {
    const created = await createToken(t, {});
    expectError(await reveal(created.id), 409, 'TOKEN_NOT_RETRIEVABLE');
    expect(await reveals(created.id)).toHaveLength(0);
  });

  it('answers 404 for an unknown token and 400 for a malformed id', async () => {
    expectError(await reveal('00000000-0000-4000-8000-000000000000'), 404, 'TOKEN_NOT_FOUND');
    expectError(await reveal('zzz'), 400, 'VALIDATION_FAILED', 'id');
  });

  it('refuses an API token without tokens:manage, even an admin\u2019s (403)', async () => {
    const created = await createToken(t, { retrievable: true });
    const narrow = await createToken(t, { permissions: ['reports:read'] });
    expectError(await reveal(created.id, narrow.token), 403, 'FORBIDDEN');
  });
});
