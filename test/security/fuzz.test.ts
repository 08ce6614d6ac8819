import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../src/core/clock.ts';
import { hashPassword } from '../../src/core/secrets.ts';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/harness.ts';
import { changedTables, dbFingerprint } from './db-fingerprint.ts';
import { anyJson, nastyString, type Schema, SchemaArbitraries } from './schema-arbitrary.ts';

/**
 * Property-based fuzzing of every route of /openapi.json: path parameters, query strings and bodies made
 * from each route's schema and mutated, sent as the admin (so handlers run) and as nobody. Whatever is sent:
 * no 5xx, every error in its family's documented shape, and a refused request (4xx) writes nothing.
 * Seeded and bounded: TESSERA_FUZZ_RUNS cases per route (default 24) within TESSERA_FUZZ_SECONDS (default 45).
 */

const SEED = 20_260_101;
const RUNS_PER_ROUTE = Number(process.env.TESSERA_FUZZ_RUNS ?? 24);
const TIME_LIMIT_MS = Number(process.env.TESSERA_FUZZ_SECONDS ?? 45) * 1000;

interface Operation {
  method: string;
  path: string;
  params: { name: string; in: string; schema: Schema }[];
  body?: { schema: Schema; types: string[] };
}

interface Case {
  admin: boolean;
  pathValues: { value: unknown; raw: boolean }[];
  query: [string, unknown][];
  body: unknown;
  encoding: string;
}

type Family = 'management' | 'oauth' | 'integration' | 'view';

function familyOf(pathname: string): Family {
  // The design puts the OAuth endpoints under /oauth and /.well-known (and seed 002's /apiops).
  if (/^\/(oauth|apiops|\.well-known)\//.test(pathname)) return 'oauth';
  if (pathname.startsWith('/integration/')) return 'integration';
  if (pathname.startsWith('/view/')) return 'view';
  return 'management';
}

/** What is wrong with an error answer for its family, or null. */
function shapeProblem(family: Family, contentType: string, body: unknown): string | null {
  const keys = (o: unknown) => (o && typeof o === 'object' ? Object.keys(o).sort().join(',') : typeof o);
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are read freely
  const b = body as any;
  switch (family) {
    case 'view':
      return contentType.startsWith('text/html') ? null : `not the HTML page: ${contentType}`;
    case 'oauth':
      return typeof b?.error === 'string' &&
        Object.keys(b).every((k) => ['error', 'error_description', 'error_uri'].includes(k))
        ? null
        : `not {error, error_description}: ${keys(b)}`;
    case 'integration':
      return typeof b?.detail === 'string' && typeof b?.code === 'string' && keys(b) === 'code,detail'
        ? null
        : `not {detail, code}: ${keys(b)}`;
    default: {
      const e = b?.error;
      const ok =
        keys(b) === 'error' &&
        typeof e?.code === 'string' &&
        typeof e.message === 'string' &&
        typeof e.requestId === 'string' &&
        Object.keys(e).every((k) => ['code', 'message', 'requestId', 'field'].includes(k));
      return ok ? null : `not {error: {code, message, requestId}}: ${keys(b)} ${keys(e)}`;
    }
  }
}

/** encodeURIComponent, with lone surrogates (which it refuses) made U+FFFD as a browser would. */
const encode = (text: string) =>
  encodeURIComponent(
    text.replace(/[\ud800-\udfff]/g, (c, i: number, all: string) =>
      /[\ud800-\udbff]/.test(c) && /[\udc00-\udfff]/.test(all[i + 1] ?? '')
        ? c
        : /[\udc00-\udfff]/.test(c) && /[\ud800-\udbff]/.test(all[i - 1] ?? '')
          ? c
          : '\ufffd',
    ),
  );

/** Encodes a form body the way an HTML form would (values as text). */
function formOf(body: unknown): string {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return String(body);
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(body)) form.append(k, typeof v === 'string' ? v : JSON.stringify(v));
  return form.toString();
}

describe('fuzzing every route of /openapi.json on sqlite', () => {
  let t: TestServer;
  let adminToken: string;
  let adminId: number;
  let operations: Operation[];
  let arbitraries: SchemaArbitraries;
  let settingKeys: string[];

  beforeAll(async () => {
    t = await startTestServer('sqlite');
    adminToken = t.adminToken;
    adminId = (await t.api('GET', '/api/me', { token: adminToken })).body.id;
    // A few objects, so that some generated ids find something.
    await t.api('POST', '/api/reports', { token: adminToken, body: { id: 'fuzz:report', name: 'Fuzz' } });
    await t.api('POST', '/api/tokens', {
      token: adminToken,
      body: { name: 'fuzz', permissions: ['reports:read'] },
    });
    const doc = (await t.api('GET', '/openapi.json')).body;
    arbitraries = new SchemaArbitraries(doc.components?.schemas ?? {});
    settingKeys = (await t.api('GET', '/api/settings/_definitions', { token: adminToken })).body.items
      .map((d: { key: string }) => d.key)
      // Cloud settings would send requests to whatever URL came out: this test talks to this machine only.
      .filter((key: string) => !key.startsWith('cloud.'));
    operations = Object.entries(doc.paths as Record<string, Record<string, Schema>>).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => {
        const content = op.requestBody?.content ?? {};
        const types = Object.keys(content);
        return {
          method: method.toUpperCase(),
          path,
          params: (op.parameters ?? []).map((p: Schema) => ({ name: p.name, in: p.in, schema: p.schema })),
          ...(types.length > 0 ? { body: { schema: content[types[0]!].schema, types } } : {}),
        };
      }),
    );
  });
  afterAll(() => t?.close());

  /** Signs the admin in again after a generated request ended the session, renamed, demoted or locked them. */
  async function restoreAdmin(): Promise<void> {
    const { store } = t.server.tessera;
    await store.users.update('default', adminId, {
      username: 'admin',
      role: 'admin',
      permissions: null,
      sso: false,
      passwordHash: await hashPassword(ADMIN_PASSWORD),
    });
    for (let attempt = 0; attempt < 3; attempt++) {
      const login = await t.api('POST', '/api/auth/login', {
        body: { username: 'admin', password: ADMIN_PASSWORD },
      });
      if (login.status === 200) {
        adminToken = login.body.token;
        return;
      }
      t.clock.advance(10 * MINUTE); // past a lock-out the fuzzing's failed sign-ins caused
    }
    throw new Error('could not sign the admin in again');
  }

  function caseOf(op: Operation): fc.Arbitrary<Case> {
    const pathParams = op.params.filter((p) => p.in === 'path');
    const queryParams = op.params.filter((p) => p.in === 'query');
    const pathValue = (schema: Schema) =>
      fc.record({
        value: fc.oneof(
          { weight: 3, arbitrary: arbitraries.valid(schema) },
          { weight: 2, arbitrary: nastyString },
        ),
        raw: fc.boolean(),
      });
    const declared = queryParams.map((p) =>
      fc.option(fc.tuple(fc.constant(p.name), arbitraries.mutated(p.schema)), { nil: undefined }),
    );
    const extraQuery = fc.array(
      fc.tuple(fc.oneof(fc.string({ maxLength: 10 }), fc.constant('token')), nastyString),
      {
        maxLength: 2,
      },
    );
    const settings = fc.dictionary(
      fc.constantFrom(...settingKeys),
      fc.oneof(fc.integer({ min: -10, max: 100_000 }), fc.boolean(), fc.string({ maxLength: 30 })),
      { maxKeys: 3 },
    );
    const bodySchema = op.body?.schema;
    const body =
      op.path === '/api/settings' && op.method === 'PATCH'
        ? fc.oneof(settings, arbitraries.mutated(bodySchema))
        : bodySchema
          ? arbitraries.mutated(bodySchema)
          : fc.option(anyJson, { nil: undefined, freq: 4 });
    return fc.record({
      admin: fc.boolean(),
      pathValues: fc.tuple(...pathParams.map((p) => pathValue(p.schema))),
      query: fc
        .tuple(fc.tuple(...declared), extraQuery)
        .map(([d, extra]) => [...d.filter((q): q is [string, unknown] => q !== undefined), ...extra]),
      body,
      encoding: fc.constantFrom(...(op.body?.types ?? ['application/json']), 'garbage', 'none'),
    });
  }

  it('has a database fingerprint that sees a write, and not a failed sign-in’s audit or usage counters', async () => {
    const { store } = t.server.tessera;
    const before = await dbFingerprint(store);
    const created = await t.api('POST', '/api/departments', {
      token: adminToken,
      body: { name: 'fingerprinted' },
    });
    expect(created.status).toBe(201);
    const after = await dbFingerprint(store);
    expect(changedTables(before, after)).toEqual(expect.arrayContaining(['audit_events', 'departments']));
    const failed = await t.api('POST', '/api/auth/login', {
      body: { username: 'admin', password: 'wrong password' },
    });
    expect(failed.status).toBe(401);
    await t.api('GET', '/api/me', { token: adminToken });
    await t.server.tessera.usage.flush();
    expect(changedTables(after, await dbFingerprint(store))).toEqual([]);
  });

  it('answers every generated request below 500, in its family’s error shape, writing nothing when it refuses', async () => {
    const started = performance.now();
    const figures = {
      cases: 0,
      refused: 0,
      fiveHundreds: [] as string[],
      shapes: [] as string[],
      writes: [] as string[],
    };
    let unsent = 0;
    let skipped = 0;
    let baseline = await dbFingerprint(t.server.tessera.store);
    const perRoute = TIME_LIMIT_MS / operations.length;

    for (const [index, op] of operations.entries()) {
      await fc.assert(
        fc.asyncProperty(caseOf(op), async (c) => {
          // A route's share of the time (what earlier routes left over included) bounds its runs. Checked here,
          // not with fast-check's interrupt, which would leave a request running beside the next route's.
          if (performance.now() > started + (index + 1) * perRoute) {
            skipped++;
            return;
          }
          let pathIndex = 0;
          const path = op.path.replace(/\{\w+\}/g, () => {
            const { value, raw } = c.pathValues[pathIndex++]!;
            return raw ? String(value) : encode(String(value));
          });
          const query = c.query
            .map(([k, v]) => `${encode(k)}=${encode(typeof v === 'string' ? v : JSON.stringify(v))}`)
            .join('&');
          const headers: Record<string, string> = {};
          if (c.admin) headers.authorization = `Bearer ${adminToken}`;
          let payload: string | undefined;
          if (op.method === 'GET' || op.method === 'HEAD') {
            // fetch sends no body with these
          } else if (c.encoding === 'garbage') {
            payload = '{"broken": ';
            headers['content-type'] = 'application/json';
          } else if (c.encoding !== 'none' && c.body !== undefined) {
            headers['content-type'] = c.encoding;
            payload = c.encoding.includes('form') ? formOf(c.body) : JSON.stringify(c.body);
          }
          const url = `${t.url}${path}${query ? `?${query}` : ''}`;
          let response: Response;
          try {
            response = await fetch(url, { method: op.method, headers, body: payload });
          } catch {
            unsent++; // the client refused to send it (an invalid URL): nothing reached the service
            return;
          }
          const text = await response.text();
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            // not JSON: the shape check says so
          }
          figures.cases++;
          const what = `${op.method} ${op.path} as ${c.admin ? 'admin' : 'nobody'}: ${response.status} ${url.slice(t.url.length, t.url.length + 160)}`;
          if (response.status >= 500) figures.fiveHundreds.push(`${what} ${text.slice(0, 200)}`);
          if (response.status >= 400) {
            const family = familyOf(new URL(response.url).pathname);
            const problem = shapeProblem(family, response.headers.get('content-type') ?? '', parsed);
            if (problem) figures.shapes.push(`${what}: ${problem}`);
          }
          const after = await dbFingerprint(t.server.tessera.store);
          if (response.status >= 400 && response.status < 500) {
            figures.refused++;
            const changed = changedTables(baseline, after);
            if (changed.length > 0)
              figures.writes.push(`${what} changed ${changed.join(', ')}: ${text.slice(0, 200)}`);
          }
          baseline = after;
          if (c.admin && response.status === 401) {
            await restoreAdmin();
            baseline = await dbFingerprint(t.server.tessera.store);
          }
        }),
        {
          seed: SEED + index,
          numRuns: RUNS_PER_ROUTE,
          endOnFailure: true,
        },
      );
      // A generated request may have demoted or locked the admin (as admin, on users routes): start clean.
      if (
        op.path.startsWith('/api/users') ||
        op.path.startsWith('/api/me') ||
        op.path === '/api/auth/logout'
      ) {
        await restoreAdmin();
        baseline = await dbFingerprint(t.server.tessera.store);
      }
    }

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const first = (list: string[]) =>
      list
        .slice(0, 15)
        .map((l) => `  ${l}`)
        .join('\n');
    console.info(
      `fuzz (sqlite, seed ${SEED}): ${operations.length} routes, ${figures.cases} cases (${figures.refused} refused, ${unsent} not sendable, ${skipped} skipped for time) in ${seconds} s; ` +
        `5xx: ${figures.fiveHundreds.length}; wrong error shape: ${figures.shapes.length}; written on refusal: ${figures.writes.length}\n` +
        `${first(figures.fiveHundreds)}\n${first(figures.shapes)}\n${first(figures.writes)}`,
    );
    expect(figures.fiveHundreds, '5xx answers').toEqual([]);
    expect(figures.shapes, 'errors outside their family’s documented shape').toEqual([]);
    expect(figures.writes, 'refused requests that changed the database').toEqual([]);
    // However busy the machine, every route was tried a few times: a run cut short by time proves little.
    expect(figures.cases, 'cases sent').toBeGreaterThanOrEqual(operations.length * 4);
  }, 240_000);
});
