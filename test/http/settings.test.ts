import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { createToken, expectError, memberSession } from './fixtures.ts';
import type { Json } from './token-fixtures.ts';

const DAY = 24 * 60 * 60 * 1000;
const MAX = 'authentication.token.api_token_max_lifespan';
const DEFAULT = 'authentication.token.api_token_default_lifespan';

describe.each(DIALECTS)('settings (/api/settings) on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.close());

  const read = () => t.api('GET', '/api/settings', { token: t.adminToken });
  const patch = (body: unknown) => t.api('PATCH', '/api/settings', { token: t.adminToken, body });

  it('starts from the documented defaults', async () => {
    const settings = await read();
    expect(settings.status).toBe(200);
    expect(settings.body).toMatchObject({
      'authentication.token.refresh_token_lifespan': 60,
      'authentication.token.access_token_lifespan': 24,
      'authentication.token.api_token_max_lifespan': 365,
      'feature_flags.enable_swagger': false,
    });
  });

  it('changes settings by dotted key and keeps the change', async () => {
    const changed = await patch({
      'authentication.token.refresh_token_lifespan': 90,
      'authentication.token.access_token_lifespan': 8,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      'authentication.token.refresh_token_lifespan': 90,
      'authentication.token.access_token_lifespan': 8,
      'authentication.token.api_token_max_lifespan': 365,
    });
    expect((await read()).body).toEqual(changed.body);
  });

  it('refuses an unknown key with 400 UNKNOWN_SETTING naming it', async () => {
    const response = await patch({ 'authentication.token.no_such_thing': 5 });
    expectError(response, 400, 'UNKNOWN_SETTING', 'authentication.token.no_such_thing');
    expect(response.body.error.message).toContain('authentication.token.no_such_thing');
    expect((await read()).body).not.toHaveProperty('authentication.token.no_such_thing');
  });

  it('refuses a wrong type or an out-of-range value with 400 naming the key', async () => {
    const before = (await read()).body;
    for (const body of [
      { 'authentication.token.refresh_token_lifespan': 0 },
      { 'authentication.token.refresh_token_lifespan': 100000 },
      { 'authentication.token.refresh_token_lifespan': -5 },
      { 'authentication.token.refresh_token_lifespan': 1.5 },
      { 'authentication.token.refresh_token_lifespan': true },
      { 'authentication.token.refresh_token_lifespan': '90' },
      { 'authentication.token.refresh_token_lifespan': null },
      { 'feature_flags.enable_swagger': 1 },
      { 'feature_flags.enable_swagger': 'true' },
    ]) {
      const [key] = Object.keys(body);
      const response = await patch(body);
      expectError(response, 400, 'VALIDATION_FAILED', key);
      expect(response.body.error.message).toContain(key);
    }
    expect((await read()).body).toEqual(before);
  });

  it('writes nothing when one key of a change is bad', async () => {
    const before = (await read()).body;
    expectError(
      await patch({
        'authentication.token.access_token_lifespan': 12,
        'authentication.token.refresh_token_lifespan': 0,
      }),
      400,
      'VALIDATION_FAILED',
      'authentication.token.refresh_token_lifespan',
    );
    expectError(
      await patch({ 'authentication.token.access_token_lifespan': 12, 'no.such.key': 1 }),
      400,
      'UNKNOWN_SETTING',
      'no.such.key',
    );
    expect((await read()).body).toEqual(before);
  });

  it('describes every setting for forms: label, description, type, unit, limits, default, secret', async () => {
    const response = await t.api('GET', '/api/settings/_definitions', { token: t.adminToken });
    expect(response.status).toBe(200);
    const byKey = Object.fromEntries(response.body.items.map((d: { key: string }) => [d.key, d]));
    expect(Object.keys(byKey).sort()).toEqual(Object.keys((await read()).body).sort());
    expect(byKey[DEFAULT]).toEqual({
      key: DEFAULT,
      label: 'Default token lifespan',
      description: 'Expiry of an API or personal token created without one.',
      type: 'integer',
      default: 30,
      unit: 'days',
      min: 1,
      max: 3650,
      atMost: MAX,
      secret: false,
    });
    expect(byKey['cloud.api_token']).toMatchObject({ type: 'string', secret: true, maxLength: 2000 });
    expect(byKey['cloud.url']).toMatchObject({ format: 'url', example: 'https://cloud.example.com' });
    expect(byKey['feature_flags.enable_swagger']).toMatchObject({ type: 'boolean', default: false });
    const { token } = await memberSession(t, 'definitions-reader');
    expectError(await t.api('GET', '/api/settings/_definitions', { token }), 403, 'FORBIDDEN');
  });

  it('refuses exactly what the definitions describe: each bound and length, accepting the limits', async () => {
    const { items } = (await t.api('GET', '/api/settings/_definitions', { token: t.adminToken })).body;
    const before = (await read()).body;
    for (const def of items) {
      if (def.type === 'integer') {
        expectError(await patch({ [def.key]: def.min - 1 }), 400, 'VALIDATION_FAILED', def.key);
        expectError(await patch({ [def.key]: def.max + 1 }), 400, 'VALIDATION_FAILED', def.key);
        // A setting and what bounds it (or what it bounds) move together: only per-key limits are tested here.
        const related = {
          ...(def.atMost ? { [def.atMost]: def.max } : {}),
          ...Object.fromEntries(
            items.filter((d: { atMost?: string }) => d.atMost === def.key).map((d: Json) => [d.key, d.min]),
          ),
        };
        for (const value of [def.max, def.min])
          expect((await patch({ ...related, [def.key]: value })).status, `${def.key} ${value}`).toBe(200);
      }
      if (def.type === 'string') {
        const tooLong = def.format
          ? `https://${'a'.repeat(def.maxLength)}.example`
          : 'a'.repeat(def.maxLength + 1);
        expectError(await patch({ [def.key]: tooLong }), 400, 'VALIDATION_FAILED', def.key);
      }
    }
    const restore = Object.fromEntries(
      items.filter((d: { secret: boolean }) => !d.secret).map((d: { key: string }) => [d.key, before[d.key]]),
    );
    expect((await patch(restore)).status).toBe(200);
    expect((await read()).body).toEqual(before);
  });

  it('keeps the default token lifespan within the maximum lifetime, naming the key that was changed', async () => {
    expect((await read()).body).toMatchObject({ [DEFAULT]: 30, [MAX]: 365 });
    const longer = await patch({ [DEFAULT]: 400 });
    expectError(longer, 400, 'VALIDATION_FAILED', DEFAULT);
    expect(longer.body.error.message).toBe(`${DEFAULT}: must not be longer than ${MAX} (365 days)`);
    const shorter = await patch({ [MAX]: 20 });
    expectError(shorter, 400, 'VALIDATION_FAILED', MAX);
    expect(shorter.body.error.message).toContain(`must not be shorter than ${DEFAULT} (30 days)`);
    expectError(await patch({ [MAX]: 20, [DEFAULT]: 21 }), 400, 'VALIDATION_FAILED', DEFAULT);
    // Unrelated changes are not held up by the rule.
    expect((await patch({ [MAX]: 20, [DEFAULT]: 20 })).status).toBe(200);
    expect((await patch({ 'feature_flags.enable_swagger': false })).status).toBe(200);
    expect((await patch({ [DEFAULT]: 30, [MAX]: 365 })).body).toMatchObject({ [DEFAULT]: 30, [MAX]: 365 });
  });

  it('refuses an empty change and a body that is not an object', async () => {
    expectError(await patch({}), 400, 'VALIDATION_FAILED');
    expectError(await patch([1, 2]), 400, 'VALIDATION_FAILED');
  });

  it('is for admins only: a member gets 403 and changes nothing', async () => {
    const { token } = await memberSession(t, 'curious');
    expectError(await t.api('GET', '/api/settings', { token }), 403, 'FORBIDDEN');
    expectError(
      await t.api('PATCH', '/api/settings', { token, body: { 'feature_flags.enable_swagger': true } }),
      403,
      'FORBIDDEN',
    );
    expect((await read()).body['feature_flags.enable_swagger']).toBe(false);
  });

  it('applies a lower maximum lifetime to new tokens only: existing tokens keep their expiry', async () => {
    const long = await createToken(t, {
      name: 'long-lived',
      permissions: ['subscription:execute'],
      expiresInDays: 300,
    });
    expect(Date.parse(long.expiresAt)).toBe(t.clock.now() + 300 * DAY);

    expect((await patch({ [MAX]: 90 })).body[MAX]).toBe(90);

    const tooLong = await t.api('POST', '/api/tokens', {
      token: t.adminToken,
      body: { name: 'too long', permissions: ['subscription:execute'], expiresInDays: 91 },
    });
    expectError(tooLong, 400, 'EXPIRY_TOO_FAR', 'expiresInDays');
    const byDate = await t.api('POST', '/api/tokens', {
      token: t.adminToken,
      body: {
        name: 'too long',
        permissions: ['subscription:execute'],
        expiresAt: new Date(t.clock.now() + 100 * DAY).toISOString(),
      },
    });
    expectError(byDate, 400, 'EXPIRY_TOO_FAR', 'expiresAt');
    const within = await createToken(t, {
      name: 'within',
      permissions: ['subscription:execute'],
      expiresInDays: 90,
    });
    expect(Date.parse(within.expiresAt)).toBe(t.clock.now() + 90 * DAY);

    const inspected = await t.api('GET', `/api/tokens/${long.id}`, { token: t.adminToken });
    expect(inspected.body.expiresAt).toBe(long.expiresAt);
    // Past the new maximum, the old token still works until its own expiry.
    t.clock.advance(200 * DAY);
    expect((await t.api('POST', '/api/verify', { body: { token: long.token } })).body).toMatchObject({
      valid: true,
    });
    expect((await t.api('POST', '/api/verify', { body: { token: within.token } })).body).toMatchObject({
      valid: false,
      code: 'TOKEN_EXPIRED',
    });
    t.adminToken = await t.login('admin', ADMIN_PASSWORD);
  });
});

describe.each(DIALECTS)('permission catalog (/api/permissions) on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.close());

  it('lists the built-in permissions with their labels', async () => {
    const response = await t.api('GET', '/api/permissions', { token: t.adminToken });
    expect(response.status).toBe(200);
    const byName = Object.fromEntries(
      response.body.items.map((p: { name: string; label: string }) => [p.name, p]),
    );
    expect(byName['subscription:execute']).toMatchObject({ label: 'Execute subscription', builtIn: true });
    expect(byName['semantic-model:refresh']).toMatchObject({
      label: 'Refresh semantic data input',
      builtIn: true,
    });
    for (const name of ['reports:read', 'users:read', 'users:write', 'tokens:manage']) {
      expect(byName[name]?.label, name).toEqual(expect.any(String));
      expect(byName[name].label.length).toBeGreaterThan(0);
    }
  });

  it('adds a tenant permission that a token can then carry and be verified for', async () => {
    const unknownYet = await t.api('POST', '/api/tokens', {
      token: t.adminToken,
      body: { name: 'export', permissions: ['invoices:export'], expiresInDays: 30 },
    });
    expectError(unknownYet, 400, 'UNKNOWN_PERMISSION', 'permissions');

    const added = await t.api('POST', '/api/permissions', {
      token: t.adminToken,
      body: { name: 'invoices:export', label: 'Export invoices', description: 'Download invoices as CSV.' },
    });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      name: 'invoices:export',
      label: 'Export invoices',
      description: 'Download invoices as CSV.',
      builtIn: false,
    });
    const list = await t.api('GET', '/api/permissions', { token: t.adminToken });
    expect(list.body.items).toContainEqual(added.body);

    const token = await createToken(t, { name: 'export', permissions: ['invoices:export'] });
    expect(token.permissions).toEqual(['invoices:export']);
    const verified = await t.api('POST', '/api/verify', {
      body: { token: token.token, permission: 'invoices:export' },
    });
    expect(verified.body).toMatchObject({ valid: true, permissions: ['invoices:export'] });
  });

  it('refuses a duplicate (tenant or built-in) with 409 and a malformed name with 400', async () => {
    const add = (name: string) =>
      t.api('POST', '/api/permissions', { token: t.adminToken, body: { name, label: 'Something' } });
    expect((await add('ledger:close')).status).toBe(201);
    expectError(await add('ledger:close'), 409, 'PERMISSION_EXISTS', 'name');
    expectError(await add('subscription:execute'), 409, 'PERMISSION_EXISTS', 'name');
    expectError(await add('Not A Permission'), 400, 'VALIDATION_FAILED', 'name');
    expectError(await add('ledger'), 400, 'VALIDATION_FAILED', 'name');
    const names = (await t.api('GET', '/api/permissions', { token: t.adminToken })).body.items.map(
      (p: { name: string }) => p.name,
    );
    expect(names.filter((n: string) => n === 'ledger:close')).toHaveLength(1);
    expect(names).not.toContain('ledger');
  });

  it('lets only admins add permissions', async () => {
    const { token } = await memberSession(t, 'member-catalog');
    expectError(
      await t.api('POST', '/api/permissions', { token, body: { name: 'sneaky:thing', label: 'Sneaky' } }),
      403,
      'FORBIDDEN',
    );
    const names = (await t.api('GET', '/api/permissions', { token: t.adminToken })).body.items.map(
      (p: { name: string }) => p.name,
    );
    expect(names).not.toContain('sneaky:thing');
  });
});
