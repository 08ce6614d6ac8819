import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/core/principal.ts';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { createReport, createShareToken, reportId, reportPath } from './report-fixtures.ts';
import { createUser, expectError, PASSWORD, verify } from './token-fixtures.ts';

describe.each(DIALECTS)('reports on %s', (dialect) => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.close());

  it('creates a report and reads it by its id, raw and percent-encoded', async () => {
    const id = reportId();
    const created = await createReport(t, {
      id,
      name: '  Sales dashboard  ',
      description: 'Quarterly numbers',
      viewerUrl: 'https://viewer.example.com/r/{reportId}?t={token}',
    });
    expect(created).toEqual({
      id,
      tenantId: 'default',
      name: 'Sales dashboard',
      description: 'Quarterly numbers',
      viewerUrl: 'https://viewer.example.com/r/{reportId}?t={token}',
      createdBy: 1,
      createdAt: new Date(t.clock.now()).toISOString(),
      updatedAt: new Date(t.clock.now()).toISOString(),
    });
    for (const path of [`/api/reports/${id}`, reportPath(id), `/api/reports/${id.replace(':', '%3a')}`]) {
      const read = await t.api('GET', path, { token: t.adminToken });
      expect(read.status, path).toBe(200);
      expect(read.body).toEqual(created);
    }
    expect((await t.api('GET', `/api/reports/${id}/tokens`, { token: t.adminToken })).status).toBe(200);
  });

  it('takes ids of 200 characters and every allowed character', async () => {
    const long = `a:${'x'.repeat(198)}`;
    await createReport(t, { id: long });
    expect((await t.api('GET', `/api/reports/${long}`, { token: t.adminToken })).body.id).toBe(long);
    const odd = `Team.A_b-1:${reportId()}`;
    await createReport(t, { id: odd });
    expect((await t.api('GET', reportPath(odd), { token: t.adminToken })).body.id).toBe(odd);
  });

  it('refuses bad ids, names and viewer URLs with a 400 naming the field, and writes nothing', async () => {
    const post = (body: Record<string, unknown>) =>
      t.api('POST', '/api/reports', { token: t.adminToken, body: { id: reportId(), name: 'x', ...body } });
    for (const id of ['team/sales', '', 'a'.repeat(201), 'has space', 'ümlaut', '..', '.', '_x?y']) {
      expectError(await post({ id }), 400, 'VALIDATION_FAILED', 'id');
    }
    expect((await post({ id: 'team/sales' })).body.error.message).toContain('no /');
    expectError(await post({ name: '' }), 400, 'VALIDATION_FAILED', 'name');
    expectError(await post({ name: '   ' }), 400, 'VALIDATION_FAILED', 'name');
    expectError(await post({ name: undefined }), 400, 'VALIDATION_FAILED', 'name');
    for (const viewerUrl of [
      'javascript:alert(1)',
      'ftp://files.example.com/{token}',
      'https://viewer.example.com/{other}',
      'not a url',
    ]) {
      expectError(await post({ viewerUrl }), 400, 'VALIDATION_FAILED', 'viewerUrl');
    }
    expectError(await post({ owner: 'me' }), 400, 'VALIDATION_FAILED', 'owner');
    const list = await t.api('GET', '/api/reports?q=team%2Fsales', { token: t.adminToken });
    expect(list.body.items).toEqual([]);
  });

  it('refuses a second report with the same id (409 REPORT_EXISTS)', async () => {
    const { id } = await createReport(t);
    const again = await t.api('POST', '/api/reports', { token: t.adminToken, body: { id, name: 'Again' } });
    expectError(again, 409, 'REPORT_EXISTS', 'id');
  });

  it('answers 404 REPORT_NOT_FOUND for unknown and malformed ids in the path', async () => {
    const id = reportId();
    expectError(await t.api('GET', reportPath(id), { token: t.adminToken }), 404, 'REPORT_NOT_FOUND');
    expectError(
      await t.api('PATCH', reportPath(id), { token: t.adminToken, body: { name: 'x' } }),
      404,
      'REPORT_NOT_FOUND',
    );
    expectError(await t.api('DELETE', reportPath(id), { token: t.adminToken }), 404, 'REPORT_NOT_FOUND');
    expectError(
      await t.api('GET', reportPath(id, '/tokens'), { token: t.adminToken }),
      404,
      'REPORT_NOT_FOUND',
    );
    // An encoded slash decodes into the id, which no report can have.
    expectError(
      await t.api('GET', '/api/reports/team%2Fsales', { token: t.adminToken }),
      404,
      'REPORT_NOT_FOUND',
    );
  });

  it('lists reports by id with text search and cursor pagination', async () => {
    const tag = reportId('list').replace(':', '-');
    const ids = [`${tag}:c`, `${tag}:a`, `${tag}:b`];
    for (const id of ids) await createReport(t, { id, name: `Report ${id.slice(-1)}` });
    await createReport(t, { name: 'Other', description: `mentions ${tag} in passing` });
    const first = await t.api('GET', `/api/reports?q=${tag}&limit=2`, { token: t.adminToken });
    expect(first.status).toBe(200);
    expect(first.body.items.map((r: { id: string }) => r.id)).toEqual([`${tag}:a`, `${tag}:b`]);
    const second = await t.api('GET', `/api/reports?q=${tag}&limit=2&cursor=${first.body.nextCursor}`, {
      token: t.adminToken,
    });
    expect(second.body.items).toHaveLength(2);
    expect(second.body.items[0].id).toBe(`${tag}:c`);
    expect(second.body.nextCursor).toBeNull();
    const byName = await t.api('GET', '/api/reports?q=REPORT%20B', { token: t.adminToken });
    expect(byName.body.items.map((r: { id: string }) => r.id)).toContain(`${tag}:b`);
    expectError(
      await t.api('GET', '/api/reports?cursor=bogus', { token: t.adminToken }),
      400,
      'INVALID_CURSOR',
    );
  });

  it('changes name, description and viewer URL; refuses an empty patch', async () => {
    const { id, createdAt } = await createReport(t);
    t.clock.advance(1000);
    const patched = await t.api('PATCH', reportPath(id), {
      token: t.adminToken,
      body: { name: 'Renamed', description: null, viewerUrl: 'http://viewer.local/{token}' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id, name: 'Renamed', description: null, createdAt });
    expect(patched.body.updatedAt).not.toBe(createdAt);
    expectError(
      await t.api('PATCH', reportPath(id), { token: t.adminToken, body: {} }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await t.api('PATCH', reportPath(id), { token: t.adminToken, body: { name: ' ' } }),
      400,
      'VALIDATION_FAILED',
      'name',
    );
  });

  it('deletes a report and revokes its share tokens at once', async () => {
    const { id } = await createReport(t);
    const share = await createShareToken(t, id);
    expect((await verify(t, share.token)).valid).toBe(true);
    expect((await t.api('DELETE', reportPath(id), { token: t.adminToken })).status).toBe(204);
    expect(await verify(t, share.token)).toMatchObject({ valid: false, code: 'TOKEN_REVOKED' });
    const token = await t.api('GET', `/api/tokens/${share.id}`, { token: t.adminToken });
    expect(token.body).toMatchObject({ status: 'revoked', reportId: id });
    expectError(await t.api('GET', reportPath(id), { token: t.adminToken }), 404, 'REPORT_NOT_FOUND');
  });

  it('lets members with reports:read read, never write; refuses members without it', async () => {
    const { id } = await createReport(t);
    const reader = await createUser(t, { role: 'member' });
    expect((await t.api('GET', reportPath(id), { token: reader.session })).status).toBe(200);
    expect((await t.api('GET', '/api/reports', { token: reader.session })).status).toBe(200);
    expectError(
      await t.api('POST', '/api/reports', { token: reader.session, body: { id: reportId(), name: 'x' } }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await t.api('PATCH', reportPath(id), { token: reader.session, body: { name: 'x' } }),
      403,
      'FORBIDDEN',
    );
    expectError(await t.api('DELETE', reportPath(id), { token: reader.session }), 403, 'FORBIDDEN');

    const outsider = await createUser(t, { role: 'member', permissions: ['subscription:execute'] });
    for (const path of ['/api/reports', reportPath(id), reportPath(id, '/tokens')]) {
      expectError(await t.api('GET', path, { token: outsider.session }), 403, 'FORBIDDEN');
    }
    const noManage = await createUser(t, { role: 'admin', permissions: ['reports:read', 'tokens:manage'] });
    expectError(
      await t.api('POST', '/api/reports', { token: noManage.session, body: { id: reportId(), name: 'x' } }),
      403,
      'FORBIDDEN',
    );
    expectError(await t.api('GET', '/api/reports'), 401, 'UNAUTHENTICATED');
  });

  it('keeps tenants apart: another tenant’s report ids are 404 everywhere', async () => {
    const { tessera } = t.server;
    await tessera.store.tenants.ensure('acme', 'Acme', Date.now());
    await tessera.users.createAs(cliActor('acme'), { username: 'boss', password: PASSWORD, role: 'admin' });
    const login = await t.api('POST', '/api/auth/login', {
      body: { tenant: 'acme', username: 'boss', password: PASSWORD },
    });
    const acme = login.body.token as string;
    const theirs = await createReport(t);
    for (const [method, path, body] of [
      ['GET', reportPath(theirs.id), undefined],
      ['GET', reportPath(theirs.id, '/tokens'), undefined],
      ['PATCH', reportPath(theirs.id), { name: 'mine' }],
      ['DELETE', reportPath(theirs.id), undefined],
    ] as const) {
      expectError(await t.api(method, path, { token: acme, body }), 404, 'REPORT_NOT_FOUND');
    }
    const share = await t.api('POST', '/api/tokens', {
      token: acme,
      body: { type: 'report', reportId: theirs.id },
    });
    expectError(share, 404, 'REPORT_NOT_FOUND', 'reportId');
    // The same id is free in acme, and each tenant sees only its own.
    const own = await createReport(t, { id: theirs.id, name: 'Acme copy' }, acme);
    expect(own.tenantId).toBe('acme');
    expect((await t.api('GET', reportPath(theirs.id), { token: t.adminToken })).body.name).toBe(theirs.name);
    const listed = await t.api('GET', '/api/reports', { token: acme });
    expect(listed.body.items.map((r: { tenantId: string }) => r.tenantId)).toEqual(['acme']);
  });
});
