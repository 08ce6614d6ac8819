import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { startServer } from '../../src/server.ts';
import {
  ADMIN_PASSWORD,
  apiClient,
  DIALECTS,
  freshDatabase,
  START,
  startTestServer,
  type TestServer,
} from '../support/harness.ts';
import { createReport, createShareToken, reportId, reportPath } from './report-fixtures.ts';
import { createToken, createUser, expectError, type Json, PASSWORD, verify } from './token-fixtures.ts';

/**
 * Share links are bearer secrets, and a token's resource bindings are answers /api/verify gives applications:
 * who may read share-link strings, create share links and bind tokens to reports, and where links point.
 */
describe.each(DIALECTS)('report share links and bindings, security, on %s', (dialect) => {
  let t: TestServer;
  let report: Json;
  let hr: Json;

  beforeAll(async () => {
    t = await startTestServer(dialect);
    report = await createReport(t, { name: 'Sales dashboard' });
    hr = await createReport(t, { id: reportId('hr'), name: 'HR salaries' });
  });
  afterAll(() => t?.close());

  const listing = (id: string, token: string) => t.api('GET', reportPath(id, '/tokens'), { token });
  const strings = (body: Json): string[] => body.tokens.map((s: Json) => s.token);
  const post = (body: Record<string, unknown>, token: string) =>
    t.api('POST', '/api/tokens', {
      token,
      body: { name: 'bound', permissions: ['subscription:execute'], ...body },
    });

  describe('share-link strings and creation (reports:manage, or one’s own)', () => {
    it('does not show a member the share links others created, nor ask the cloud for them', async () => {
      const adminLink = await createShareToken(t, report.id);
      const member = await createUser(t, { role: 'member' });
      const asMember = await listing(report.id, member.session);
      expect(asMember.status).toBe(200);
      expect(asMember.body).toEqual({ tokens: [], warning: null });
      expect(JSON.stringify(asMember.body)).not.toContain(adminLink.token);
      expect(strings((await listing(report.id, t.adminToken)).body)).toContain(adminLink.token);
    });

    it('refuses a member a share link for a report they did not create (403 naming reportId)', async () => {
      const member = await createUser(t, { role: 'member' });
      const before = strings((await listing(report.id, t.adminToken)).body);
      const response = await t.api('POST', '/api/tokens', {
        token: member.session,
        body: { type: 'report', reportId: report.id },
      });
      expectError(response, 403, 'FORBIDDEN', 'reportId');
      expect(strings((await listing(report.id, t.adminToken)).body)).toEqual(before);
    });

    it('lets someone who lost reports:manage list the links they made, and make no more', async () => {
      const owner = await createUser(t, { role: 'admin' });
      const own = await createReport(t, { name: 'Owner’s report' }, owner.session);
      const adminLink = await createShareToken(t, own.id);
      const mine = await createShareToken(t, own.id, { name: 'mine' }, owner.session);
      const demoted = await t.api('PATCH', `/api/users/${owner.id}`, {
        token: t.adminToken,
        body: { role: 'member' },
      });
      expect(demoted.status, JSON.stringify(demoted.body)).toBe(200);
      const session = await t.login(owner.username, PASSWORD);
      const listed = await listing(own.id, session);
      expect(strings(listed.body)).toEqual([mine.token]);
      expect(JSON.stringify(listed.body)).not.toContain(adminLink.token);
      // An admin with reports:manage sees both.
      expect(strings((await listing(own.id, t.adminToken)).body).sort()).toEqual(
        [adminLink.token, mine.token].sort(),
      );
      // Rights count at the moment of asking: creating the report long ago gives none now.
      const refused = await t.api('POST', '/api/tokens', {
        token: session,
        body: { type: 'report', reportId: own.id },
      });
      expectError(refused, 403, 'FORBIDDEN', 'reportId');
    });

    it('refuses another admin’s token without reports:manage the strings and the creation', async () => {
      const other = await createUser(t, { role: 'admin' });
      const api = await createToken(t, { permissions: ['reports:read', 'tokens:manage'] }, other.session);
      const link = await createShareToken(t, report.id);
      expect(strings((await listing(report.id, api.token)).body)).not.toContain(link.token);
      const response = await t.api('POST', '/api/tokens', {
        token: api.token,
        body: { type: 'report', reportId: report.id },
      });
      expectError(response, 403, 'FORBIDDEN', 'reportId');
    });
  });

  describe('resource bindings', () => {
    it('refuses a member a binding to a report they cannot read, naming resources; verify never says valid', async () => {
      const reader = await createUser(t, { role: 'member' });
      const bound = await createToken(
        t,
        {
          resources: [`report:${report.id}`],
          permissions: ['reports:read', 'tokens:manage', 'subscription:execute'],
        },
        reader.session,
      );
      const outsider = await createUser(t, {
        role: 'member',
        permissions: ['subscription:execute', 'tokens:manage'],
      });
      const cases: [string, string][] = [
        // No such report: the same answer as one that exists, so bindings tell nothing of which do.
        [reader.session, 'report:team:hr'],
        [reader.session, `report:${hr.id}-missing`],
        // Without reports:read.
        [outsider.session, `report:${hr.id}`],
        [outsider.session, 'report:*'],
        // Through a token bound to another report.
        [bound.token, `report:${hr.id}`],
        [bound.token, 'report:hr:*'],
      ];
      for (const [token, resource] of cases) {
        const response = await post({ resources: [resource] }, token);
        expectError(response, 400, 'VALIDATION_FAILED', 'resources');
        expect(response.body.error.message).toContain(resource);
      }
      const tokens = await t.api('GET', '/api/tokens?limit=200', { token: t.adminToken });
      const bindings = tokens.body.items.flatMap((i: Json) => i.resources);
      expect(bindings).not.toContain('report:team:hr');
      expect(bindings).not.toContain(`report:${hr.id}`);
    });

    it('binds a member’s token to a report they can read, and to their application’s own resources', async () => {
      const member = await createUser(t, { role: 'member' });
      const created = await post(
        { resources: [`report:${report.id}`, 'report:team:*', 'subscription:42'] },
        member.session,
      );
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(await verify(t, created.body.token, { resource: `report:${report.id}` })).toMatchObject({
        valid: true,
      });
      expect(await verify(t, created.body.token, { resource: `report:${hr.id}` })).toMatchObject({
        valid: false,
        code: 'RESOURCE_DENIED',
      });
      // Narrowing its own binding is allowed to a bound token too.
      const again = await post(
        { resources: [`report:${report.id}`] },
        (
          await createToken(
            t,
            {
              resources: [`report:${report.id}`],
              permissions: ['reports:read', 'tokens:manage', 'subscription:execute'],
            },
            member.session,
          )
        ).token,
      );
      expect(again.status, JSON.stringify(again.body)).toBe(201);
    });

    it('refuses even an admin a binding to a report that does not exist', async () => {
      expectError(
        await post({ resources: ['report:team:nowhere'] }, t.adminToken),
        400,
        'VALIDATION_FAILED',
        'resources',
      );
    });
  });

  describe('links', () => {
    /** A request with a Host header of the client's choosing, as any HTTP client can send. */
    const withHost = (method: string, path: string, token: string, body?: unknown) =>
      new Promise<string>((resolve, reject) => {
        const url = new URL(path, t.url);
        const outgoing = httpRequest(
          {
            hostname: url.hostname,
            port: url.port,
            path: url.pathname + url.search,
            method,
            headers: {
              host: 'evil.example',
              'x-forwarded-host': 'evil.example',
              'x-forwarded-proto': 'https',
              authorization: `Bearer ${token}`,
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            },
          },
          (response) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => {
              text += chunk;
            });
            response.on('end', () => resolve(text));
          },
        );
        outgoing.on('error', reject);
        outgoing.end(body === undefined ? undefined : JSON.stringify(body));
      });

    it('never builds a link from the Host header', async () => {
      const created = JSON.parse(
        await withHost('POST', '/api/tokens', t.adminToken, { type: 'report', reportId: report.id }),
      );
      expect(created.url).toBe(`${t.url}/view/${created.token}`);
      const listed = await withHost('GET', reportPath(report.id, '/tokens'), t.adminToken);
      const inspected = await withHost('GET', `/api/tokens/${created.id}`, t.adminToken);
      expect(JSON.parse(listed).tokens.length).toBeGreaterThan(0);
      expect(inspected).toContain(`${t.url}/api/verify`);
      for (const text of [listed, inspected]) expect(text).not.toContain('evil.example');
    });
  });
});

describe('links and the start-up warning when listening on every interface', () => {
  const start = async (env: Record<string, string>) => {
    const db = await freshDatabase('sqlite');
    const config = loadConfig(
      { TESSERA_SECRET: 'test-secret-test-secret-test-secret-0123', TESSERA_LOG_LEVEL: 'silent', ...env },
      { port: 0, dataDir: db.dataDir, adminPassword: ADMIN_PASSWORD },
    );
    const server = await startServer(config, { clock: new ManualClock(START), logger: false });
    return {
      server,
      async close() {
        await server.close();
        db.cleanup();
      },
    };
  };

  it('warns at start without TESSERA_PUBLIC_URL, and links to the listen address', async () => {
    const all = await start({ TESSERA_HOST: '0.0.0.0' });
    try {
      const warning = all.server.warnings.find((w) => w.includes('TESSERA_PUBLIC_URL'));
      expect(warning).toContain('all interfaces');
      expect(all.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const api = apiClient(all.server.url);
      const login = await api('POST', '/api/auth/login', {
        body: { username: 'admin', password: ADMIN_PASSWORD },
      });
      const client = { api, adminToken: login.body.token } as TestServer;
      const share = await createShareToken(client, (await createReport(client)).id);
      expect(share.url).toBe(`${all.server.url}/view/${share.token}`);
    } finally {
      await all.close();
    }
  });

  it('says nothing when TESSERA_PUBLIC_URL is set or only the loopback interface listens', async () => {
    const envs: Record<string, string>[] = [
      { TESSERA_HOST: '0.0.0.0', TESSERA_PUBLIC_URL: 'https://tokens.example.com' },
      { TESSERA_HOST: '127.0.0.1' },
    ];
    for (const env of envs) {
      const running = await start(env);
      try {
        expect(running.server.warnings.filter((w) => w.includes('TESSERA_PUBLIC_URL'))).toEqual([]);
      } finally {
        await running.close();
      }
    }
  });
});
