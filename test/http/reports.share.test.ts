import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { createReport, createShareToken, reportPath } from './report-fixtures.ts';
import { createToken, createUser, DAY_MS, expectError, iso, type Json, verify } from './token-fixtures.ts';

describe.each(DIALECTS)('report share tokens on %s', (dialect) => {
  let t: TestServer;
  let report: Json;
  let other: Json;

  beforeAll(async () => {
    t = await startTestServer(dialect);
    report = await createReport(t, { name: 'Sales dashboard' });
    other = await createReport(t, { name: 'Other report' });
  });
  afterAll(() => t?.close());

  const read = (id: string, token: string) => t.api('GET', reportPath(id), { token });

  it('creates a share token bound to the report: kind shr, no permissions, retrievable, default name and expiry', async () => {
    const share = await createShareToken(t, report.id);
    expect(share).toMatchObject({
      kind: 'shr',
      name: 'Share link for Sales dashboard',
      reportId: report.id,
      resources: [`report:${report.id}`],
      permissions: [],
      retrievable: true,
      status: 'active',
      userId: 1,
      expiresAt: iso(t.clock.now() + 30 * DAY_MS),
    });
    expect(share.token).toMatch(/^tsr_shr_/);
    // The share link comes with the token, the same as the report's listing gives it.
    expect(share.url).toBe(`${t.url}/view/${share.token}`);
    expect((await t.api('GET', share.url.slice(t.url.length))).status).toBe(200);
    const named = await createShareToken(t, report.id, { name: 'For the board', expiresAt: '2026-03-31' });
    expect(named).toMatchObject({ name: 'For the board', expiresAt: '2026-03-31T23:59:59.999Z' });
    expect((await createShareToken(t, report.id, { expiresInDays: 7 })).expiresAt).toBe(
      iso(t.clock.now() + 7 * DAY_MS),
    );
  });

  it('refuses bad share-token bodies with a 400 naming the field', async () => {
    const post = (body: Record<string, unknown>) =>
      t.api('POST', '/api/tokens', { token: t.adminToken, body: { type: 'report', ...body } });
    expectError(await post({}), 400, 'VALIDATION_FAILED', 'reportId');
    expectError(await post({ reportId: 'team/sales' }), 400, 'VALIDATION_FAILED', 'reportId');
    expectError(
      await post({ reportId: report.id, permissions: ['reports:read'] }),
      400,
      'VALIDATION_FAILED',
      'permissions',
    );
    expectError(await post({ reportId: report.id, name: '' }), 400, 'VALIDATION_FAILED', 'name');
    expectError(
      await post({ reportId: report.id, expiresInDays: 366 }),
      400,
      'EXPIRY_TOO_FAR',
      'expiresInDays',
    );
    expectError(
      await post({ reportId: report.id, expiresAt: '2025-01-01' }),
      400,
      'EXPIRY_IN_PAST',
      'expiresAt',
    );
    expectError(await post({ reportId: 'team:nothing-here' }), 404, 'REPORT_NOT_FOUND', 'reportId');
    // Anything but "report" is the API-token body, which knows no other type and still wants a name.
    const typo = await t.api('POST', '/api/tokens', {
      token: t.adminToken,
      body: { type: 'reports', reportId: report.id },
    });
    expectError(typo, 400, 'VALIDATION_FAILED');
    const api = await createToken(t, { type: 'api' });
    expect(api).toMatchObject({ kind: 'api', reportId: null });
  });

  it('needs tokens:manage and reports:read, and reports:manage or being the report’s creator, to create one', async () => {
    const member = await createUser(t, { role: 'member' });
    const refused = await t.api('POST', '/api/tokens', {
      token: member.session,
      body: { type: 'report', reportId: report.id },
    });
    expectError(refused, 403, 'FORBIDDEN', 'reportId');
    for (const permissions of [['tokens:manage'], ['reports:read']]) {
      const user = await createUser(t, { role: 'member', permissions });
      const response = await t.api('POST', '/api/tokens', {
        token: user.session,
        body: { type: 'report', reportId: report.id },
      });
      expectError(response, 403, 'FORBIDDEN');
    }
  });

  it('lists the report’s active local tokens in seed 001’s shape, warning null with cloud off', async () => {
    const fresh = await createReport(t);
    const first = await createShareToken(t, fresh.id, { name: 'first' });
    t.clock.advance(1000);
    const second = await createShareToken(t, fresh.id, { name: 'second' });
    const revoked = await createShareToken(t, fresh.id);
    await t.api('DELETE', `/api/tokens/${revoked.id}`, { token: t.adminToken });
    await createShareToken(t, other.id);
    await createToken(t, { resources: [`report:${fresh.id}`] });

    const listing = await t.api('GET', reportPath(fresh.id, '/tokens'), { token: t.adminToken });
    expect(listing.status).toBe(200);
    expect(Object.keys(listing.body)).toEqual(['tokens', 'warning']);
    expect(listing.body.warning).toBeNull();
    expect(listing.body.tokens.map((s: Json) => s.url)).toEqual([first.url, second.url]);
    expect(listing.body.tokens).toEqual(
      [first, second].map((s) => ({
        id: s.id,
        type: 'report',
        reportId: fresh.id,
        token: s.token,
        cloud: false,
        url: `${t.url}/view/${s.token}`,
        name: s.name,
        createdAt: s.createdAt,
        expiresAt: s.expiresAt,
        _links: { self: { href: `/api/tokens/${s.id}` } },
      })),
    );
    const member = await createUser(t, { role: 'member' });
    const asMember = await t.api('GET', reportPath(fresh.id, '/tokens'), { token: member.session });
    // Share links are bearer secrets: a member sees only those they created.
    expect(asMember.body.tokens).toHaveLength(0);
  });

  it('inspects, reveals, rotates and revokes share tokens through /api/tokens', async () => {
    const share = await createShareToken(t, report.id);
    const inspected = await t.api('GET', `/api/tokens/${share.id}`, { token: t.adminToken });
    expect(inspected.body).toMatchObject({
      id: share.id,
      kind: 'shr',
      reportId: report.id,
      status: 'active',
    });
    const revealed = await t.api('POST', `/api/tokens/${share.id}/_reveal`, { token: t.adminToken });
    expect(revealed.body).toEqual({ token: share.token });
    const listed = await t.api('GET', '/api/tokens?kind=shr&limit=200', { token: t.adminToken });
    expect(listed.body.items.find((i: Json) => i.id === share.id)).toMatchObject({ reportId: report.id });

    const rotated = await t.api('POST', `/api/tokens/${share.id}/_rotate`, { token: t.adminToken });
    expect(rotated.body).toMatchObject({
      kind: 'shr',
      reportId: report.id,
      resources: [`report:${report.id}`],
    });
    expect((await read(report.id, rotated.body.token)).status).toBe(200);

    expect((await t.api('DELETE', `/api/tokens/${rotated.body.id}`, { token: t.adminToken })).status).toBe(
      204,
    );
    expect(await verify(t, rotated.body.token)).toMatchObject({ valid: false, code: 'TOKEN_REVOKED' });
    expectError(await read(report.id, rotated.body.token), 401, 'UNAUTHENTICATED');
    const listing = await t.api('GET', reportPath(report.id, '/tokens'), { token: t.adminToken });
    expect(listing.body.tokens.map((x: Json) => x.id)).not.toContain(rotated.body.id);
  });

  it('opens its own report with Bearer, TOKEN header and ?token=, and nothing else', async () => {
    const share = await createShareToken(t, report.id);
    const viaBearer = await read(report.id, share.token);
    expect(viaBearer.status).toBe(200);
    expect(viaBearer.body).toMatchObject({ id: report.id, name: 'Sales dashboard' });
    const viaQuery = await t.api('GET', `${reportPath(report.id)}?token=${share.token}`);
    expect(viaQuery.body).toEqual(viaBearer.body);
    const viaRawPath = await t.api('GET', `/api/reports/${report.id}?token=${share.token}`);
    expect(viaRawPath.body).toEqual(viaBearer.body);
    const viaHeader = await t.api('GET', reportPath(report.id), { headers: { token: share.token } });
    expect(viaHeader.status).toBe(200);

    expectError(await read(other.id, share.token), 404, 'REPORT_NOT_FOUND');
    expectError(await t.api('GET', `${reportPath(other.id)}?token=${share.token}`), 404, 'REPORT_NOT_FOUND');
    for (const [method, path] of [
      ['GET', '/api/me'],
      ['GET', '/api/reports'],
      ['GET', reportPath(report.id, '/tokens')],
      ['PATCH', reportPath(report.id)],
      ['DELETE', reportPath(report.id)],
      ['GET', '/api/tokens'],
      ['POST', '/api/auth/logout'],
    ] as const) {
      const response = await t.api(method, path, {
        token: share.token,
        body: method === 'PATCH' ? { name: 'x' } : undefined,
      });
      expectError(response, 403, 'FORBIDDEN');
    }
    expect(await verify(t, share.token)).toMatchObject({ valid: true, kind: 'shr' });
  });

  it('answers /api/verify for the report resource only', async () => {
    const share = await createShareToken(t, report.id);
    expect(await verify(t, share.token, { resource: `report:${report.id}` })).toMatchObject({
      valid: true,
      kind: 'shr',
      resources: [`report:${report.id}`],
      permissions: [],
    });
    expect(await verify(t, share.token, { resource: `report:${other.id}` })).toMatchObject({
      valid: false,
      code: 'RESOURCE_DENIED',
    });
    expect(await verify(t, share.token, { permission: 'reports:read' })).toMatchObject({
      valid: false,
      code: 'PERMISSION_DENIED',
    });
  });

  it('lets an API token bound to a report with reports:read read that report only', async () => {
    const bound = await createToken(t, { permissions: ['reports:read'], resources: [`report:${report.id}`] });
    expect((await read(report.id, bound.token)).status).toBe(200);
    expectError(await read(other.id, bound.token), 404, 'REPORT_NOT_FOUND');
    const unbound = await createToken(t, { permissions: ['reports:read'] });
    expect((await read(other.id, unbound.token)).status).toBe(200);
  });
  it('stops an expired share token on every path', async () => {
    const fresh = await createReport(t);
    const share = await createShareToken(t, fresh.id, { expiresInDays: 1 });
    t.clock.advance(DAY_MS + 1);
    // The admin's console session lives 12 hours: sign in again.
    const admin = await t.login('admin', ADMIN_PASSWORD);
    expect(await verify(t, share.token, { resource: `report:${fresh.id}` })).toMatchObject({
      valid: false,
      code: 'TOKEN_EXPIRED',
    });
    expectError(await read(fresh.id, share.token), 401, 'UNAUTHENTICATED');
    expectError(await t.api('GET', `${reportPath(fresh.id)}?token=${share.token}`), 401, 'UNAUTHENTICATED');
    const listing = await t.api('GET', reportPath(fresh.id, '/tokens'), { token: admin });
    expect(listing.body).toEqual({ tokens: [], warning: null });
    expect((await t.api('GET', `/api/tokens/${share.id}`, { token: admin })).body.status).toBe('expired');
  });
});
