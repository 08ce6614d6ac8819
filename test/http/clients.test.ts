import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { clientToken, createClient, expectOAuthError } from './oauth-fixtures.ts';
import { createUser, expectError, iso, storeOf, verify } from './token-fixtures.ts';

const CLIENT_FIELDS = [
  'accessTokenLifespan',
  'client_id',
  'createdAt',
  'createdBy',
  'name',
  'permissions',
  'secretHint',
  'secretRotatedAt',
  'tenantId',
  'userId',
];

describe.each(DIALECTS)('registered OAuth clients (/api/clients) on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.close());

  const auditActions = async (targetId: string) =>
    (await t.api('GET', `/api/audit?targetId=${targetId}`, { token: t.adminToken })).body.items.map(
      (e: { action: string }) => e.action,
    );

  it('registers a client: 201 with the secret shown once, stored only as a keyed hash', async () => {
    const response = await t.api('POST', '/api/clients', {
      token: t.adminToken,
      body: { name: ' Nightly ETL ', permissions: ['subscription:execute'], accessTokenLifespan: 900 },
    });
    expect(response.status).toBe(201);
    const client = response.body;
    expect(Object.keys(client).sort()).toEqual([...CLIENT_FIELDS, 'client_secret'].sort());
    expect(client).toMatchObject({
      name: 'Nightly ETL',
      permissions: ['subscription:execute'],
      accessTokenLifespan: 900,
      userId: 1,
      createdBy: 1,
      tenantId: 'default',
      createdAt: iso(t.clock.now()),
      secretRotatedAt: null,
    });
    expect(client.client_id).toMatch(/^cli_[0-9A-Za-z]{22}$/);
    expect(client.client_secret).toMatch(/^tsr_cs_[0-9A-Za-z]{49}$/);
    expect(client.secretHint).toBe(`tsr_cs_…${client.client_secret.slice(-4)}`);

    const row = await storeOf(t)
      .db.selectFrom('oauthClients')
      .selectAll()
      .where('id', '=', client.client_id)
      .executeTakeFirstOrThrow();
    expect(row.secretHash).not.toContain(client.client_secret);
    expect(JSON.stringify(row)).not.toContain(client.client_secret.slice(7, 30));

    const read = await t.api('GET', `/api/clients/${client.client_id}`, { token: t.adminToken });
    expect(read.status).toBe(200);
    expect(Object.keys(read.body).sort()).toEqual(CLIENT_FIELDS.sort());
    const { client_secret: _, ...withoutSecret } = client;
    expect(read.body).toEqual(withoutSecret);
    expect(await auditActions(client.client_id)).toContain('client.create');
  });

  it('lists the tenant’s clients, newest first, without secrets', async () => {
    const first = await createClient(t);
    t.clock.advance(1000);
    const second = await createClient(t);
    const list = await t.api('GET', '/api/clients', { token: t.adminToken });
    expect(list.status).toBe(200);
    const ids = list.body.items.map((c: { client_id: string }) => c.client_id);
    expect(ids.indexOf(second.client_id)).toBeLessThan(ids.indexOf(first.client_id));
    for (const secret of [first.client_secret, second.client_secret])
      expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(list.body.items.every((c: object) => !('client_secret' in c) && !('secretHash' in c))).toBe(true);
  });

  it('binds the client to an owner: tokens act as the owner, within the owner’s permissions', async () => {
    const owner = await createUser(t);
    const client = await createClient(t, { userId: owner.id, permissions: ['reports:read'] });
    expect(client.userId).toBe(owner.id);
    const granted = await clientToken(t, client);
    expect((await verify(t, granted.body.access_token)).userId).toBe(owner.id);
    // A member does not hold users:write, so no client of theirs may have it.
    expectError(
      await t.api('POST', '/api/clients', {
        token: t.adminToken,
        body: { name: 'too much', permissions: ['users:write'], userId: owner.id },
      }),
      403,
      'PERMISSION_NOT_HELD',
      'permissions',
    );
  });

  it('refuses bad input with 400 naming the field', async () => {
    const post = (body: Record<string, unknown>) =>
      t.api('POST', '/api/clients', { token: t.adminToken, body });
    expectError(
      await post({ name: 'x', permissions: ['no-such:thing'] }),
      400,
      'UNKNOWN_PERMISSION',
      'permissions',
    );
    expectError(await post({ name: 'x', permissions: [] }), 400, 'VALIDATION_FAILED', 'permissions');
    expectError(await post({ name: 'x', permissions: ['*'] }), 400, 'VALIDATION_FAILED', 'permissions[0]');
    expectError(await post({ name: '  ', permissions: ['reports:read'] }), 400, 'VALIDATION_FAILED', 'name');
    expectError(await post({ permissions: ['reports:read'] }), 400, 'VALIDATION_FAILED', 'name');
    expectError(
      await post({ name: 'x', permissions: ['reports:read'], accessTokenLifespan: 0 }),
      400,
      'VALIDATION_FAILED',
      'accessTokenLifespan',
    );
    expectError(
      await post({ name: 'x', permissions: ['reports:read'], userId: 999999 }),
      400,
      'VALIDATION_FAILED',
      'userId',
    );
    expectError(
      await post({ name: 'x', permissions: ['reports:read'], secret: 'mine' }),
      400,
      'VALIDATION_FAILED',
      'secret',
    );
  });

  it('is for admins only: 401 without a token, 403 for a member, 404 CLIENT_NOT_FOUND for an unknown id', async () => {
    const client = await createClient(t);
    expectError(await t.api('GET', '/api/clients'), 401, 'UNAUTHENTICATED');
    const member = await createUser(t);
    for (const [method, path] of [
      ['GET', '/api/clients'],
      ['GET', `/api/clients/${client.client_id}`],
      ['DELETE', `/api/clients/${client.client_id}`],
      ['POST', `/api/clients/${client.client_id}/_rotate-secret`],
    ] as const) {
      expectError(await t.api(method, path, { token: member.session }), 403, 'FORBIDDEN');
    }
    expectError(
      await t.api('POST', '/api/clients', {
        token: member.session,
        body: { name: 'mine', permissions: ['reports:read'] },
      }),
      403,
      'FORBIDDEN',
    );
    for (const [method, path] of [
      ['GET', '/api/clients/cli_doesNotExist000000000'],
      ['DELETE', '/api/clients/cli_doesNotExist000000000'],
      ['POST', '/api/clients/cli_doesNotExist000000000/_rotate-secret'],
    ] as const) {
      expectError(await t.api(method, path, { token: t.adminToken }), 404, 'CLIENT_NOT_FOUND');
    }
  });

  it('rotates the secret: the new one is shown once and works, the old one stops at once, tokens live on', async () => {
    const client = await createClient(t);
    const token = (await clientToken(t, client)).body.access_token;
    t.clock.advance(5000);
    const rotated = await t.api('POST', `/api/clients/${client.client_id}/_rotate-secret`, {
      token: t.adminToken,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.client_id).toBe(client.client_id);
    expect(rotated.body.client_secret).toMatch(/^tsr_cs_/);
    expect(rotated.body.client_secret).not.toBe(client.client_secret);
    expect(rotated.body.secretRotatedAt).toBe(iso(t.clock.now()));
    expectOAuthError(await clientToken(t, client), 401, 'invalid_client');
    expect((await clientToken(t, rotated.body)).status).toBe(200);
    expect((await verify(t, token)).valid).toBe(true);
    expect(await auditActions(client.client_id)).toContain('client.rotate_secret');
  });

  it('deletes a client: 204, every token issued to it is revoked at once, and its credentials stop working', async () => {
    const client = await createClient(t);
    const other = await createClient(t);
    const tokens = [
      (await clientToken(t, client)).body.access_token,
      (await clientToken(t, client)).body.access_token,
    ];
    const otherToken = (await clientToken(t, other)).body.access_token;
    for (const token of tokens) expect((await t.api('GET', '/api/me', { token })).status).toBe(200);

    const deleted = await t.api('DELETE', `/api/clients/${client.client_id}`, { token: t.adminToken });
    expect(deleted.status).toBe(204);
    for (const token of tokens) {
      expect((await verify(t, token)).code).toBe('TOKEN_REVOKED');
      expectError(await t.api('GET', '/api/me', { token }), 401, 'UNAUTHENTICATED');
    }
    expect((await verify(t, otherToken)).valid).toBe(true);
    expectError(
      await t.api('GET', `/api/clients/${client.client_id}`, { token: t.adminToken }),
      404,
      'CLIENT_NOT_FOUND',
    );
    expectOAuthError(await clientToken(t, client), 401, 'invalid_client');
    expect(await auditActions(client.client_id)).toContain('client.delete');
  });

  it('documents the client routes in the OpenAPI document', async () => {
    const doc = (await t.api('GET', '/openapi.json')).body;
    expect(Object.keys(doc.paths['/api/clients'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(doc.paths['/api/clients/{id}'])).toEqual(expect.arrayContaining(['get', 'delete']));
    expect(doc.paths['/api/clients/{id}'].get.responses['404'].description).toContain('CLIENT_NOT_FOUND');
    expect(doc.paths['/api/clients/{id}/_rotate-secret'].post).toBeDefined();
  });
});
