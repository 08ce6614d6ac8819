import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { createToken, createUser, expectError, MEMBER_PASSWORD } from './fixtures.ts';
import { BASE, expectIntegrationError, post } from './integration-fixtures.ts';

/**
 * Names and descriptions a person reads in the console, the CLI or an audit log refuse what would make them
 * read differently from what is stored: control characters, bidirectional overrides ("Invoice‮gpj.exe"
 * shows as "Invoiceexe.jpg") and zero-width characters (two names that look the same).
 */
const HIDDEN: [string, string][] = [
  ['a right-to-left override (U+202E)', 'Invoice\u202Egpj.exe'],
  ['a zero-width space (U+200B)', 'ad\u200Bmin'],
  ['a control character (BEL)', 'ding\u0007'],
  ['a bidirectional isolate (U+2066)', 'x\u2066y'],
  ['a byte-order mark (U+FEFF)', '\uFEFFname'],
  ['a C1 control (U+0085)', 'next\u0085line'],
];

describe.each(DIALECTS)('names refuse hidden and control characters on %s', (dialect) => {
  let t: TestServer;
  let tokenId: string;
  let userId: number;
  beforeAll(async () => {
    t = await startTestServer(dialect);
    tokenId = (await createToken(t, { name: 'kept', permissions: ['subscription:execute'] })).id;
    userId = (await createUser(t, { username: 'names-member', role: 'member' })).id;
  });
  afterAll(() => t?.close());

  const admin = (method: string, path: string, body: Record<string, unknown>) =>
    t.api(method, path, { token: t.adminToken, body });

  describe.each(HIDDEN)('with %s', (_what, bad) => {
    it('token name and description: 400 naming the field, nothing created', async () => {
      const before = (await t.api('GET', '/api/tokens', { token: t.adminToken })).body.items.length;
      const body = { expiresInDays: 30, permissions: ['subscription:execute'] };
      expectError(
        await admin('POST', '/api/tokens', { ...body, name: bad }),
        400,
        'VALIDATION_FAILED',
        'name',
      );
      expectError(
        await admin('POST', '/api/tokens', { ...body, name: 'ok', description: bad }),
        400,
        'VALIDATION_FAILED',
        'description',
      );
      expectError(
        await admin('PATCH', `/api/tokens/${tokenId}`, { name: bad }),
        400,
        'VALIDATION_FAILED',
        'name',
      );
      expect((await t.api('GET', '/api/tokens', { token: t.adminToken })).body.items).toHaveLength(before);
    });

    it('user username and full name, on creation, change and one’s own profile', async () => {
      const user = { password: MEMBER_PASSWORD, role: 'member' };
      expectError(
        await admin('POST', '/api/users', { ...user, username: 'fresh', fullName: bad }),
        400,
        'VALIDATION_FAILED',
        'fullName',
      );
      expectError(
        await admin('POST', '/api/users', { ...user, username: bad }),
        400,
        'VALIDATION_FAILED',
        'username',
      );
      expectError(
        await admin('PATCH', `/api/users/${userId}`, { fullName: bad }),
        400,
        'VALIDATION_FAILED',
        'fullName',
      );
      expectError(await admin('PATCH', '/api/me', { fullName: bad }), 400, 'VALIDATION_FAILED', 'fullName');
    });

    it('department and user type name and description', async () => {
      for (const path of ['/api/departments', '/api/user-types']) {
        expectError(await admin('POST', path, { name: bad }), 400, 'VALIDATION_FAILED', 'name');
        expectError(
          await admin('POST', path, { name: 'Fine', description: bad }),
          400,
          'VALIDATION_FAILED',
          'description',
        );
        const names = (await t.api('GET', path, { token: t.adminToken })).body.items.map(
          (entry: { name: string }) => entry.name,
        );
        expect(names).not.toContain('Fine');
        expect(names).not.toContain(bad);
      }
    });

    it('OAuth client, report, permission label and refresh token names', async () => {
      expectError(
        await admin('POST', '/api/clients', { name: bad, permissions: ['subscription:execute'] }),
        400,
        'VALIDATION_FAILED',
        'name',
      );
      expectError(
        await admin('POST', '/api/reports', { id: 'team:names', name: bad }),
        400,
        'VALIDATION_FAILED',
        'name',
      );
      expectError(
        await admin('POST', '/api/reports', { id: 'team:names', name: 'Names', description: bad }),
        400,
        'VALIDATION_FAILED',
        'description',
      );
      expectError(
        await admin('POST', '/api/permissions', { name: 'names:check', label: bad }),
        400,
        'VALIDATION_FAILED',
        'label',
      );
      expectError(
        await admin('POST', '/api/me/refresh-tokens', { name: bad }),
        400,
        'VALIDATION_FAILED',
        'name',
      );
      expect((await t.api('GET', '/api/reports/team:names', { token: t.adminToken })).status).toBe(404);
    });

    it('a mobile device name', async () => {
      const response = await t.api('POST', '/api/auth/mobile/login', {
        body: { username: 'admin', password: ADMIN_PASSWORD, deviceName: bad },
      });
      expectError(response, 400, 'VALIDATION_FAILED', 'deviceName');
    });

    it('/integration/v1 refresh token names, in {detail, code}, from a form and from JSON', async () => {
      for (const encoding of ['form', 'json'] as const) {
        const response = await post(
          t,
          'createRefreshToken',
          { username: 'admin', password: ADMIN_PASSWORD, name: bad },
          encoding,
        );
        expectIntegrationError(response, 400, 'VALIDATION_FAILED', 'name');
        expect(response.body.detail).toMatch(/control characters, bidirectional overrides or zero-width/);
      }
    });
  });

  it('says what is wrong in words, not as a regular expression', async () => {
    const response = await admin('POST', '/api/departments', { name: 'Sales\u202E' });
    expect(response.body.error.message).toBe(
      'name: must not contain control characters, bidirectional overrides or zero-width characters',
    );
  });

  it('keeps accents, right-to-left scripts and emoji, and line breaks in descriptions', async () => {
    const department = await admin('POST', '/api/departments', {
      name: 'Ventes été — المبيعات 🔑',
      description: 'First line\nsecond line\twith a tab\r\n',
    });
    expect(department.status, JSON.stringify(department.body)).toBe(201);
    expect(department.body.name).toBe('Ventes été — المبيعات 🔑');
    const token = await createToken(t, {
      name: 'Rapport 北京',
      description: 'two\nlines',
      permissions: ['subscription:execute'],
    });
    expect(token.description).toBe('two\nlines');
    // A line break is fine in a description, not in a name.
    expectError(
      await admin('POST', '/api/departments', { name: 'Two\nlines' }),
      400,
      'VALIDATION_FAILED',
      'name',
    );
  });

  it('is the same rule under /integration/v1 as in the management API', async () => {
    const response = await t.api('POST', `${BASE}/createRefreshToken/`, {
      body: { username: 'admin', password: ADMIN_PASSWORD, name: 'Build \u{1F527} server' },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.name).toBe('Build \u{1F527} server');
  });
});
