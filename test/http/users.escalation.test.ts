import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { createUser, expectError, PASSWORD, unique } from './token-fixtures.ts';

/**
 * Nobody grants, sets or obtains more than they hold: an administrator with only some rights, or a narrow
 * token of a full administrator, cannot widen their own rights, make a fuller user, or take over one.
 */
describe.each(DIALECTS)('users API: no escalation on %s', (dialect) => {
  let t: TestServer;
  let adminId: number;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    adminId = (await t.api('GET', '/api/me', { token: t.adminToken })).body.id;
  });
  afterAll(() => t?.close());

  /** An administrator holding only `permissions`, signed in. */
  const restrictedAdmin = (permissions: string[]) =>
    createUser(t, { username: unique('ops'), role: 'admin', permissions });

  /** An API token of the bootstrap admin carrying only `permissions`. */
  const narrowAdminToken = async (permissions: string[]) => {
    const created = await t.api('POST', '/api/tokens', {
      token: t.adminToken,
      body: { name: unique('narrow'), permissions, expiresInDays: 7 },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.token as string;
  };

  const signIn = (username: string, password: string) =>
    t.api('POST', '/api/auth/login', { body: { username, password } });

  it('a users:read/users:write admin cannot widen their own permissions', async () => {
    const ops = await restrictedAdmin(['users:read', 'users:write']);
    const widened = await t.api('PATCH', `/api/users/${ops.id}`, {
      token: ops.session,
      body: { permissions: null },
    });
    expectError(widened, 403, 'PERMISSION_NOT_HELD', 'permissions');
    const added = await t.api('PATCH', `/api/users/${ops.id}`, {
      token: ops.session,
      body: { permissions: ['users:read', 'users:write', 'settings:manage'] },
    });
    expectError(added, 403, 'PERMISSION_NOT_HELD', 'permissions');
    expect(added.body.error.message).toContain('settings:manage');
    const again = await t.login(ops.username, PASSWORD);
    expectError(await t.api('GET', '/api/settings', { token: again }), 403, 'FORBIDDEN');
    const self = await t.api('GET', `/api/users/${ops.id}`, { token: again });
    expect(self.body.permissions).toEqual(['users:read', 'users:write']);
  });

  it('a users:read/users:write admin cannot create a fuller user, only one within their rights', async () => {
    const ops = await restrictedAdmin(['users:read', 'users:write']);
    const admin = { username: unique('new-admin'), password: PASSWORD };
    const fullAdmin = await t.api('POST', '/api/users', {
      token: ops.session,
      body: { ...admin, role: 'admin' },
    });
    expectError(fullAdmin, 403, 'PERMISSION_NOT_HELD', 'role');
    expectError(await signIn(admin.username, admin.password), 401, 'INVALID_CREDENTIALS');
    // A member with the role's defaults holds tokens:manage and more, which this admin lacks.
    const member = await t.api('POST', '/api/users', {
      token: ops.session,
      body: { username: unique('member'), password: PASSWORD },
    });
    expectError(member, 403, 'PERMISSION_NOT_HELD', 'role');
    expect(member.body.error.message).toContain('tokens:manage');
    const within = await t.api('POST', '/api/users', {
      token: ops.session,
      body: { username: unique('reader'), password: PASSWORD, role: 'admin', permissions: ['users:read'] },
    });
    expect(within.status, JSON.stringify(within.body)).toBe(201);
    expect(within.body.effectivePermissions).toEqual(['users:read']);
  });

  it('a users:read/users:write admin cannot change, reset, demote or delete a fuller admin, nor sign in as them', async () => {
    const ops = await restrictedAdmin(['users:read', 'users:write']);
    const takeover = await t.api('PATCH', `/api/users/${adminId}`, {
      token: ops.session,
      body: { password: 'taken over by ops' },
    });
    expectError(takeover, 403, 'PERMISSION_NOT_HELD', 'password');
    expectError(await signIn('admin', 'taken over by ops'), 401, 'INVALID_CREDENTIALS');
    for (const body of [
      { role: 'member' },
      { permissions: ['users:read'] },
      { username: 'admin2' },
      { email: 'ops@example.com' },
      { sso: true },
    ]) {
      const field = Object.keys(body)[0]!;
      expectError(
        await t.api('PATCH', `/api/users/${adminId}`, { token: ops.session, body }),
        403,
        'PERMISSION_NOT_HELD',
        field,
      );
    }
    expectError(
      await t.api('DELETE', `/api/users/${adminId}`, { token: ops.session }),
      403,
      'PERMISSION_NOT_HELD',
    );
    // Not even their name: acting on someone fuller is theirs or a fuller admin's to do.
    expectError(
      await t.api('PATCH', `/api/users/${adminId}`, { token: ops.session, body: { fullName: 'Pwned' } }),
      403,
      'PERMISSION_NOT_HELD',
      'fullName',
    );
    expect(await t.login('admin', ADMIN_PASSWORD)).toBeTruthy();
  });

  it('a users admin may reset the password of a user holding no more than they do', async () => {
    const ops = await restrictedAdmin(['users:read', 'users:write', 'reports:read']);
    const reader = await createUser(t, { username: unique('reader'), permissions: ['reports:read'] });
    const reset = await t.api('PATCH', `/api/users/${reader.id}`, {
      token: ops.session,
      body: { password: 'set by the users admin' },
    });
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect(await t.login(reader.username, 'set by the users admin')).toBeTruthy();
  });

  it('an admin changes their own password and email on their profile, not through the users API', async () => {
    for (const body of [{ password: 'a new admin password' }, { email: 'root@example.com' }]) {
      const field = Object.keys(body)[0]!;
      expectError(
        await t.api('PATCH', `/api/users/${adminId}`, { token: t.adminToken, body }),
        403,
        'FORBIDDEN',
        field,
      );
    }
  });

  it("a full admin's API token scoped to users:write cannot make or take over an admin", async () => {
    const token = await narrowAdminToken(['users:read', 'users:write']);
    const username = unique('token-admin');
    expectError(
      await t.api('POST', '/api/users', { token, body: { username, password: PASSWORD, role: 'admin' } }),
      403,
      'PERMISSION_NOT_HELD',
    );
    expectError(await signIn(username, PASSWORD), 401, 'INVALID_CREDENTIALS');
    const other = await createUser(t, { username: unique('second-admin'), role: 'admin' });
    expectError(
      await t.api('PATCH', `/api/users/${other.id}`, { token, body: { password: 'taken over by a token' } }),
      403,
      'PERMISSION_NOT_HELD',
      'password',
    );
    expectError(await signIn(other.username, 'taken over by a token'), 401, 'INVALID_CREDENTIALS');
    expectError(
      await t.api('PATCH', `/api/users/${adminId}`, { token, body: { permissions: null } }),
      403,
      'PERMISSION_NOT_HELD',
    );
  });

  it("rotating an OAuth client's secret needs every permission the client carries", async () => {
    const client = await t.api('POST', '/api/clients', {
      token: t.adminToken,
      body: { name: unique('etl'), permissions: ['subscription:execute'] },
    });
    expect(client.status, JSON.stringify(client.body)).toBe(201);
    const ops = await restrictedAdmin(['clients:manage']);
    const rotate = `/api/clients/${client.body.client_id}/_rotate-secret`;
    const refused = await t.api('POST', rotate, { token: ops.session });
    expectError(refused, 403, 'PERMISSION_NOT_HELD', 'id');
    expect(refused.body.error.message).toContain('subscription:execute');
    const allowed = await restrictedAdmin(['clients:manage', 'subscription:execute']);
    expect((await t.api('POST', rotate, { token: allowed.session })).status).toBe(200);
  });

  it('revealing a retrievable token needs every permission it carries', async () => {
    const created = await t.api('POST', '/api/tokens', {
      token: t.adminToken,
      body: {
        name: unique('kept'),
        permissions: ['subscription:execute'],
        retrievable: true,
        expiresInDays: 7,
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const ops = await restrictedAdmin(['tokens:manage']);
    const reveal = `/api/tokens/${created.body.id}/_reveal`;
    const refused = await t.api('POST', reveal, { token: ops.session });
    expectError(refused, 403, 'PERMISSION_NOT_HELD', 'id');
    expect(refused.body.error.message).toContain('subscription:execute');
    const allowed = await restrictedAdmin(['tokens:manage', 'subscription:execute']);
    expect((await t.api('POST', reveal, { token: allowed.session })).body.token).toBe(created.body.token);
  });

  it('regenerating a refresh token needs a sign-in session, as creating one does', async () => {
    const user = await createUser(t, { username: unique('rt-owner') });
    const rt = await t.api('POST', '/api/me/refresh-tokens', {
      token: user.session,
      body: { name: 'laptop' },
    });
    expect(rt.status, JSON.stringify(rt.body)).toBe(201);
    const pat = await t.api('POST', '/api/me/tokens', {
      token: user.session,
      body: { name: 'narrow', permissions: ['tokens:manage'] },
    });
    const refused = await t.api('POST', `/api/me/refresh-tokens/${rt.body.id}/_regenerate`, {
      token: pat.body.token,
    });
    expectError(refused, 403, 'FORBIDDEN');
    const kept = await t.api('GET', '/api/me/refresh-tokens', { token: user.session });
    expect(kept.body.items.map((i: { status: string }) => i.status)).toEqual(['active']);
  });

  it('signing a fuller administrator out everywhere needs every right they hold', async () => {
    const ops = await restrictedAdmin(['users:read', 'users:write']);
    const refused = await t.api('POST', `/api/users/${adminId}/sessions/_revoke-all`, { token: ops.session });
    expectError(refused, 403, 'PERMISSION_NOT_HELD', 'id');
    expect((await t.api('GET', '/api/me', { token: t.adminToken })).status).toBe(200);
  });

  it('rotating a share link needs reports:manage, as making one does', async () => {
    for (const id of ['esc:report', 'esc:other']) {
      const report = await t.api('POST', '/api/reports', { token: t.adminToken, body: { id, name: id } });
      expect(report.status, JSON.stringify(report.body)).toBe(201);
    }
    const link = await t.api('POST', '/api/tokens', {
      token: t.adminToken,
      body: { type: 'report', reportId: 'esc:report' },
    });
    expect(link.status, JSON.stringify(link.body)).toBe(201);
    const narrow = await narrowAdminToken(['tokens:manage', 'reports:read']);
    const rotated = await t.api('POST', `/api/tokens/${link.body.id}/_rotate`, { token: narrow, body: {} });
    expectError(rotated, 403, 'FORBIDDEN', 'reportId');
    const still = await t.api('GET', `/api/tokens/${link.body.id}`, { token: t.adminToken });
    expect(still.body.status).toBe('active');
    // Nor may a token bound to another report publish this one to the cloud: it finds nothing.
    const bound = await t.api('POST', '/api/tokens', {
      token: t.adminToken,
      body: {
        name: unique('bound'),
        permissions: ['tokens:manage', 'reports:read', 'reports:manage'],
        resources: ['report:esc:other'],
        expiresInDays: 7,
      },
    });
    expect(bound.status, JSON.stringify(bound.body)).toBe(201);
    expectError(
      await t.api('POST', '/api/reports/esc:report/_cloud-publish', { token: bound.body.token, body: {} }),
      404,
      'REPORT_NOT_FOUND',
    );
  });

  it('a bound token makes only tokens bound as narrowly: no escape from its report, department or user type', async () => {
    for (const id of ['bind:one', 'bind:two']) {
      const report = await t.api('POST', '/api/reports', { token: t.adminToken, body: { id, name: id } });
      expect(report.status, JSON.stringify(report.body)).toBe(201);
    }
    const department = await t.api('POST', '/api/departments', {
      token: t.adminToken,
      body: { name: unique('dept') },
    });
    const member = await createUser(t, { username: unique('bound-member') });
    const parent = await t.api('POST', '/api/tokens', {
      token: member.session,
      body: { name: 'bound', permissions: ['reports:read', 'tokens:manage'], resources: ['report:bind:one'] },
    });
    expect(parent.status, JSON.stringify(parent.body)).toBe(201);
    const token = parent.body.token as string;
    for (const body of [{}, { resources: [] }, { resources: ['report:bind:two'] }]) {
      const child = await t.api('POST', '/api/tokens', {
        token,
        body: { name: 'escape', permissions: ['reports:read'], ...body },
      });
      // Unbound would reach every report; another report is out of the maker's reach.
      if ('resources' in body)
        expectError(
          child,
          body.resources?.length ? 400 : 403,
          body.resources?.length ? 'VALIDATION_FAILED' : 'PERMISSION_NOT_HELD',
          'resources',
        );
      else {
        // Asked for nothing: bound as its maker is.
        expect(child.status, JSON.stringify(child.body)).toBe(201);
        expect(child.body.resources).toEqual(['report:bind:one']);
        expectError(
          await t.api('GET', '/api/reports/bind:two', { token: child.body.token }),
          404,
          'REPORT_NOT_FOUND',
        );
      }
    }
    // Nor by rotating an unbound sibling.
    const sibling = await t.api('POST', '/api/me/tokens', {
      token: member.session,
      body: { name: 'unbound', permissions: ['reports:read'] },
    });
    expectError(
      await t.api('POST', `/api/tokens/${sibling.body.id}/_rotate`, { token, body: {} }),
      403,
      'PERMISSION_NOT_HELD',
      'resources',
    );
    // A department binding is kept the same way.
    const inDept = await t.api('POST', '/api/tokens', {
      token: t.adminToken,
      body: {
        name: unique('in-dept'),
        permissions: ['tokens:manage', 'subscription:execute'],
        departmentId: department.body.id,
        expiresInDays: 7,
      },
    });
    const child = await t.api('POST', '/api/tokens', {
      token: inDept.body.token,
      body: { name: 'child', permissions: ['subscription:execute'], departmentId: null },
    });
    expectError(child, 403, 'PERMISSION_NOT_HELD', 'departmentId');
    const kept = await t.api('POST', '/api/tokens', {
      token: inDept.body.token,
      body: { name: 'child', permissions: ['subscription:execute'] },
    });
    expect(kept.body.departmentId).toBe(department.body.id);
  });

  it('refresh tokens come only from a console session: a mobile session cannot outlast a password change', async () => {
    const user = await createUser(t, { username: unique('phone-owner') });
    const phone = await t.api('POST', '/api/auth/mobile/login', {
      body: { username: user.username, password: PASSWORD, deviceName: 'Phone' },
    });
    const refused = await t.api('POST', '/api/me/refresh-tokens', {
      token: phone.body.token,
      body: { name: 'persist' },
    });
    expectError(refused, 403, 'FORBIDDEN');
    const fromConsole = await t.api('POST', '/api/me/refresh-tokens', {
      token: user.session,
      body: { name: 'laptop' },
    });
    expectError(
      await t.api('POST', `/api/me/refresh-tokens/${fromConsole.body.id}/_regenerate`, {
        token: phone.body.token,
      }),
      403,
      'FORBIDDEN',
    );
  });

  it('shows a retrievable token again only to a signed-in person, never to another token', async () => {
    const kept = await t.api('POST', '/api/tokens', {
      token: t.adminToken,
      body: { name: unique('kept'), permissions: ['reports:read'], retrievable: true, expiresInDays: 300 },
    });
    const short = await narrowAdminToken(['tokens:manage', 'reports:read']);
    const refused = await t.api('POST', `/api/tokens/${kept.body.id}/_reveal`, { token: short });
    expectError(refused, 403, 'FORBIDDEN', 'id');
    expect(JSON.stringify(refused.body)).not.toContain(kept.body.token);
  });

  it('making a token for someone else needs every right they hold: it acts as them', async () => {
    const ops = await restrictedAdmin(['tokens:manage', 'subscription:execute']);
    const forAdmin = await t.api('POST', '/api/tokens', {
      token: ops.session,
      body: { name: unique('as-admin'), permissions: ['subscription:execute'], userId: adminId },
    });
    expectError(forAdmin, 403, 'PERMISSION_NOT_HELD', 'userId');
    const worker = await createUser(t, { username: unique('worker'), permissions: ['subscription:execute'] });
    const forWorker = await t.api('POST', '/api/tokens', {
      token: ops.session,
      body: { name: unique('as-worker'), permissions: ['subscription:execute'], userId: worker.id },
    });
    expect(forWorker.status, JSON.stringify(forWorker.body)).toBe(201);
  });

  // Last: it moves the clock a day on, past the admin's session.
  it('a token cannot make or rotate a token that outlives it', async () => {
    const creator = await t.api('POST', '/api/tokens', {
      token: t.adminToken,
      body: {
        name: unique('automation'),
        permissions: ['tokens:manage', 'subscription:execute'],
        expiresInDays: 7,
      },
    });
    const token = creator.body.token as string;
    const longer = await t.api('POST', '/api/tokens', {
      token,
      body: { name: unique('longer'), permissions: ['subscription:execute'], expiresInDays: 30 },
    });
    expectError(longer, 400, 'EXPIRY_TOO_FAR', 'expiresInDays');
    expect(longer.body.error.message).toContain(creator.body.expiresAt);
    const byDefault = await t.api('POST', '/api/tokens', {
      token,
      body: { name: unique('default'), permissions: ['subscription:execute'] },
    });
    expect(byDefault.status, JSON.stringify(byDefault.body)).toBe(201);
    expect(byDefault.body.expiresAt).toBe(creator.body.expiresAt);
    const shorter = await t.api('POST', '/api/tokens', {
      token,
      body: { name: unique('shorter'), permissions: ['subscription:execute'], expiresInDays: 3 },
    });
    expect(shorter.status).toBe(201);

    // A signed-in person is not limited by their session's end.
    const fromSession = await t.api('POST', '/api/tokens', {
      token: t.adminToken,
      body: { name: unique('yearly'), permissions: ['subscription:execute'], expiresInDays: 365 },
    });
    expect(fromSession.status).toBe(201);

    // Rotating itself a day later keeps its end: a token cannot renew itself forever.
    t.clock.advance(24 * 60 * 60 * 1000);
    const rotated = await t.api('POST', `/api/tokens/${creator.body.id}/_rotate`, { token, body: {} });
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(201);
    expect(Date.parse(rotated.body.expiresAt)).toBeLessThanOrEqual(Date.parse(creator.body.expiresAt));
  });
});
