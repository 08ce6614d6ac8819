import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from '../support/harness.ts';
import { MEMBER_PASSWORD } from './fixtures.ts';

/**
 * Rules that must hold when requests arrive at once, not only one after the other. Several rounds each,
 * since a race shows only some of the time.
 */
describe.each(DIALECTS)('concurrent requests on %s', (dialect) => {
  let t: TestServer;
  let survivor: { id: number; token: string };
  beforeAll(async () => {
    t = await startTestServer(dialect);
    survivor = { id: (await t.api('GET', '/api/me', { token: t.adminToken })).body.id, token: t.adminToken };
  });
  afterAll(() => t?.close());

  const adminCount = async () =>
    (await t.api('GET', '/api/users?role=admin', { token: survivor.token })).body.items.length;

  /** A second admin beside the survivor, with a session. */
  async function secondAdmin(name: string) {
    const response = await t.api('POST', '/api/users', {
      token: survivor.token,
      body: { username: name, role: 'admin', password: MEMBER_PASSWORD },
    });
    expect(response.status).toBe(201);
    return { id: response.body.id as number, token: await t.login(name, MEMBER_PASSWORD) };
  }

  for (const [action, request] of [
    ['demote', (id: number) => ['PATCH', `/api/users/${id}`, { role: 'member' }] as const],
    ['delete', (id: number) => ['DELETE', `/api/users/${id}`, undefined] as const],
  ] as const) {
    it(`lets only one of two admins ${action} the other at the same moment`, async () => {
      for (let round = 0; round < 5; round++) {
        expect(await adminCount()).toBe(1);
        const other = await secondAdmin(`${action}-${round}`);
        const [method1, path1, body1] = request(other.id);
        const [method2, path2, body2] = request(survivor.id);
        const [first, second] = await Promise.all([
          t.api(method1, path1, { token: survivor.token, ...(body1 ? { body: body1 } : {}) }),
          t.api(method2, path2, { token: other.token, ...(body2 ? { body: body2 } : {}) }),
        ]);
        // One wins. The other is refused: LAST_ADMIN if it raced, or 403/401 if the winner had already
        // demoted or deleted its author by the time it was authenticated.
        const ok = action === 'demote' ? 200 : 204;
        expect([first, second].filter((r) => r.status === ok)).toHaveLength(1);
        const refused = first.status === ok ? second : first;
        expect([401, 403, 409]).toContain(refused.status);
        if (refused.status === 409) expect(refused.body.error.code).toBe('LAST_ADMIN');
        if (second.status < 300) survivor = other;
        expect(await adminCount()).toBe(1);
      }
    });
  }

  const duplicates: [string, string, (round: number) => Record<string, unknown>, string][] = [
    ['a username', '/api/users', (round) => ({ username: `twin-${round}` }), 'USERNAME_TAKEN'],
    ['a department name', '/api/departments', (round) => ({ name: `Twin ${round}` }), 'NAME_TAKEN'],
    ['a user type name', '/api/user-types', (round) => ({ name: `Twin ${round}` }), 'NAME_TAKEN'],
    [
      'a permission',
      '/api/permissions',
      (round) => ({ name: `twin:p${round}`, label: 'Twin' }),
      'PERMISSION_EXISTS',
    ],
  ];
  it.each(duplicates)(
    'creates %s sent three times at once exactly once; the others get 409, never 500',
    async (_what, path, body, code) => {
      for (let round = 0; round < 3; round++) {
        const responses = await Promise.all(
          [1, 2, 3].map(() => t.api('POST', path, { token: survivor.token, body: body(round) })),
        );
        expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409]);
        for (const r of responses.filter((r) => r.status === 409)) expect(r.body.error.code).toBe(code);
      }
    },
  );
});
