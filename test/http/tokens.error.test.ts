import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import {
  createEntry,
  createToken,
  createUser,
  DAY_MS,
  expectError,
  iso,
  rowCounts,
} from './token-fixtures.ts';

const valid = { name: 'ci', permissions: ['subscription:execute'] };

describe.each(DIALECTS)('POST /api/tokens refuses bad input on %s', (dialect) => {
  let t: TestServer;
  let before: { tokens: number; audit: number };
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.close());
  beforeEach(async () => {
    before = await rowCounts(t);
  });
  const nothingWritten = async () => expect(await rowCounts(t)).toEqual(before);

  const post = (body: unknown) => t.api('POST', '/api/tokens', { token: t.adminToken, body });

  it('refuses malformed JSON with INVALID_JSON', async () => {
    const response = await t.api('POST', '/api/tokens', {
      token: t.adminToken,
      headers: { 'content-type': 'application/json' },
      raw: '{"name": "ci", "permissions": [',
    });
    expectError(response, 400, 'INVALID_JSON', 'body');
    await nothingWritten();
  });

  it('refuses an empty JSON body', async () => {
    const response = await t.api('POST', '/api/tokens', {
      token: t.adminToken,
      headers: { 'content-type': 'application/json' },
      raw: '',
    });
    expectError(response, 400, 'INVALID_JSON', 'body');
    await nothingWritten();
  });

  it('refuses a body that is not an object', async () => {
    expectError(await post(['ci']), 400, 'VALIDATION_FAILED', 'body');
    await nothingWritten();
  });

  it.each([
    ['name', { ...valid, name: 42 }],
    ['permissions', { ...valid, permissions: 'subscription:execute' }],
    ['permissions[0]', { ...valid, permissions: [7] }],
    ['expiresInDays', { ...valid, expiresInDays: '30' }],
    ['expiresInDays', { ...valid, expiresInDays: 30.5 }],
    ['expiresInDays', { ...valid, expiresInDays: 0 }],
    ['userId', { ...valid, userId: '1' }],
    ['userId', { ...valid, userId: -1 }],
    ['departmentId', { ...valid, departmentId: 'sales' }],
    ['retrievable', { ...valid, retrievable: 'yes' }],
    ['resources', { ...valid, resources: 'report:x' }],
    ['description', { ...valid, description: 5 }],
  ])('refuses a wrong type, naming %s', async (field, body) => {
    expectError(await post(body), 400, 'VALIDATION_FAILED', field);
    await nothingWritten();
  });

  it.each([
    ['name', { permissions: ['subscription:execute'] }],
    ['permissions', { name: 'ci' }],
  ])('refuses a missing %s', async (field, body) => {
    expectError(await post(body), 400, 'VALIDATION_FAILED', field);
    await nothingWritten();
  });

  it('refuses an unknown field, naming it', async () => {
    expectError(await post({ ...valid, scopes: ['x'] }), 400, 'VALIDATION_FAILED', 'scopes');
    await nothingWritten();
  });

  it.each([
    ['name', { ...valid, name: 'n'.repeat(101) }],
    ['description', { ...valid, description: 'd'.repeat(1001) }],
    ['permissions[0]', { ...valid, permissions: [`a:${'b'.repeat(100)}`] }],
    ['resources[0]', { ...valid, resources: [`report:${'r'.repeat(300)}`] }],
    ['expiresAt', { ...valid, expiresAt: `2026-02-01T00:00:00${'0'.repeat(40)}` }],
  ])('refuses an overlong %s', async (field, body) => {
    const response = await post(body);
    expectError(response, 400, 'VALIDATION_FAILED', field);
    await nothingWritten();
  });

  it('refuses a blank name', async () => {
    expectError(await post({ ...valid, name: '   ' }), 400, 'VALIDATION_FAILED', 'name');
    await nothingWritten();
  });

  it('refuses a malformed resource binding', async () => {
    expectError(
      await post({ ...valid, resources: ['no spaces allowed'] }),
      400,
      'VALIDATION_FAILED',
      'resources',
    );
    await nothingWritten();
  });

  it('refuses a token with no permission and no resource', async () => {
    expectError(await post({ ...valid, permissions: [] }), 400, 'VALIDATION_FAILED', 'permissions');
    await nothingWritten();
  });

  it('refuses * on an API token', async () => {
    expectError(await post({ ...valid, permissions: ['*'] }), 400, 'VALIDATION_FAILED', 'permissions[0]');
    await nothingWritten();
  });

  it('refuses an unsupported content type with 415', async () => {
    for (const type of ['application/xml', 'text/plain', 'application/x-www-form-urlencoded']) {
      const response = await t.api('POST', '/api/tokens', {
        token: t.adminToken,
        headers: { 'content-type': type },
        raw:
          type === 'application/x-www-form-urlencoded'
            ? 'name=ci&permissions=subscription:execute'
            : 'name=ci',
      });
      expectError(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
    await nothingWritten();
  });

  it('refuses a body beyond the size limit with 413', async () => {
    const response = await post({ ...valid, description: 'x'.repeat(70 * 1024) });
    expectError(response, 413, 'PAYLOAD_TOO_LARGE');
    await nothingWritten();
  });

  describe('expiry', () => {
    it('refuses an expiry in the past (EXPIRY_IN_PAST)', async () => {
      const yesterday = iso(t.clock.now() - DAY_MS).slice(0, 10);
      expectError(await post({ ...valid, expiresAt: yesterday }), 400, 'EXPIRY_IN_PAST', 'expiresAt');
      expectError(
        await post({ ...valid, expiresAt: iso(t.clock.now()) }),
        400,
        'EXPIRY_IN_PAST',
        'expiresAt',
      );
      await nothingWritten();
    });

    it('refuses an expiry beyond the maximum lifetime (EXPIRY_TOO_FAR)', async () => {
      const limit = t.clock.now() + 365 * DAY_MS;
      expectError(await post({ ...valid, expiresAt: iso(limit + 1) }), 400, 'EXPIRY_TOO_FAR', 'expiresAt');
      expectError(
        await post({ ...valid, expiresAt: iso(limit + DAY_MS).slice(0, 10) }),
        400,
        'EXPIRY_TOO_FAR',
        'expiresAt',
      );
      expectError(await post({ ...valid, expiresInDays: 366 }), 400, 'EXPIRY_TOO_FAR', 'expiresInDays');
      await nothingWritten();
    });

    it('refuses both expiresInDays and expiresAt', async () => {
      const response = await post({ ...valid, expiresInDays: 30, expiresAt: '2026-03-01' });
      expectError(response, 400, 'VALIDATION_FAILED', 'expiresAt');
      await nothingWritten();
    });

    it.each([
      'tomorrow',
      '2026-13-01',
      '2026-02-30',
      '2026-04-31',
      '2026-02-01 (lunch)',
      '2026-02-01T25:00:00Z',
      '2026-02-01T10:00',
      '01/02/2026',
    ])('refuses the bad date %s', async (expiresAt) => {
      expectError(await post({ ...valid, expiresAt }), 400, 'VALIDATION_FAILED', 'expiresAt');
      await nothingWritten();
    });
  });

  describe('permissions', () => {
    it('refuses a permission not in the catalog (UNKNOWN_PERMISSION)', async () => {
      const response = await post({ ...valid, permissions: ['subscription:execute', 'reports:delete'] });
      expectError(response, 400, 'UNKNOWN_PERMISSION', 'permissions');
      expect(response.body.error.message).toContain('reports:delete');
      await nothingWritten();
    });

    it('refuses a permission the associated user lacks (PERMISSION_NOT_HELD)', async () => {
      const member = await createUser(t);
      before = await rowCounts(t);
      const response = await post({ ...valid, permissions: ['users:write'], userId: member.id });
      expectError(response, 403, 'PERMISSION_NOT_HELD', 'permissions');
      expect(response.body.error.message).toContain('users:write');
      await nothingWritten();
    });

    it('refuses a permission the caller lacks, even when the user holds it (PERMISSION_NOT_HELD)', async () => {
      // An API token that may only manage tokens creates one for its own admin with a wider permission.
      const narrow = await createToken(t, { permissions: ['tokens:manage'] });
      before = await rowCounts(t);
      const response = await t.api('POST', '/api/tokens', {
        token: narrow.token,
        body: { ...valid, permissions: ['subscription:execute'] },
      });
      expectError(response, 403, 'PERMISSION_NOT_HELD', 'permissions');
      await nothingWritten();
    });

    it('lets a caller token with tokens:manage and the permission create it', async () => {
      const enough = await createToken(t, { permissions: ['tokens:manage', 'subscription:execute'] });
      const created = await createToken(t, {}, enough.token);
      expect(created.permissions).toEqual(['subscription:execute']);
    });

    it('refuses a token without tokens:manage on the management API (403)', async () => {
      const plain = await createToken(t, { permissions: ['subscription:execute'] });
      before = await rowCounts(t);
      const response = await t.api('POST', '/api/tokens', { token: plain.token, body: valid });
      expectError(response, 403, 'FORBIDDEN');
      await nothingWritten();
    });
  });

  describe('who may create what', () => {
    it('forbids a member to create a token for another user (403)', async () => {
      const member = await createUser(t);
      const other = await createUser(t);
      before = await rowCounts(t);
      const response = await t.api('POST', '/api/tokens', {
        token: member.session,
        body: { ...valid, userId: other.id },
      });
      expectError(response, 403, 'FORBIDDEN', 'userId');
      await nothingWritten();
    });

    it('forbids a member to create a retrievable token (403)', async () => {
      const member = await createUser(t);
      before = await rowCounts(t);
      const response = await t.api('POST', '/api/tokens', {
        token: member.session,
        body: { ...valid, retrievable: true },
      });
      expectError(response, 403, 'FORBIDDEN', 'retrievable');
      await nothingWritten();
    });

    it('forbids a member to bind a token to another department or user type, or to none (403)', async () => {
      const sales = await createEntry(t, 'departments');
      const hr = await createEntry(t, 'departments');
      const staff = await createEntry(t, 'user-types');
      const guest = await createEntry(t, 'user-types');
      const member = await createUser(t, { departmentId: sales, userTypeId: staff });
      before = await rowCounts(t);
      const attempt = (body: Record<string, unknown>) =>
        t.api('POST', '/api/tokens', { token: member.session, body: { ...valid, ...body } });
      expectError(await attempt({ departmentId: hr }), 403, 'FORBIDDEN', 'departmentId');
      expectError(await attempt({ departmentId: null }), 403, 'FORBIDDEN', 'departmentId');
      expectError(await attempt({ userTypeId: guest }), 403, 'FORBIDDEN', 'userTypeId');
      expectError(await attempt({ userTypeId: null }), 403, 'FORBIDDEN', 'userTypeId');
      await nothingWritten();
      const own = await attempt({ departmentId: sales, userTypeId: staff });
      expect(own.status).toBe(201);
      // An admin may bind a member's token elsewhere.
      const admins = await post({ ...valid, userId: member.id, departmentId: hr, userTypeId: null });
      expect(admins.status).toBe(201);
    });

    it('lets a member with no department narrow a token to one', async () => {
      const department = await createEntry(t, 'departments');
      const member = await createUser(t);
      const response = await t.api('POST', '/api/tokens', {
        token: member.session,
        body: { ...valid, departmentId: department },
      });
      expect(response.status).toBe(201);
      expect(response.body.departmentId).toBe(department);
    });

    it('refuses an unknown userId (400)', async () => {
      expectError(await post({ ...valid, userId: 999_999 }), 400, 'VALIDATION_FAILED', 'userId');
      await nothingWritten();
    });

    it.each(['departmentId', 'userTypeId'])('refuses an unknown %s (400)', async (field) => {
      expectError(await post({ ...valid, [field]: 999_999 }), 400, 'VALIDATION_FAILED', field);
      await nothingWritten();
    });
  });
});
