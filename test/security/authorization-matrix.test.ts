import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse, Dialect } from '../support/harness.ts';
import { AUTHORIZATION_TABLE, type Cell, expected, type Outcome } from './authorization-table.ts';
import { buildWorld, PRINCIPAL_KINDS, type Principal, type PrincipalKind, type World } from './principals.ts';
import { type Json, REQUESTS, type RequestSpec } from './requests.ts';
import { makeTarget, type Owner, ownerUser } from './targets.ts';

/**
 * Every management route of /openapi.json × every principal kind, each answered as authorization-table.ts
 * says, on both stores (tenancy and ownership are store queries too); TESSERA_MATRIX_DIALECTS=sqlite runs one.
 */
const MATRIX_DIALECTS = (process.env.TESSERA_MATRIX_DIALECTS ?? 'sqlite,postgres').split(',') as Dialect[];

/** The routes the table must cover: everything under /api, and introspection (a Bearer principal applies). */
const covered = (path: string) => path.startsWith('/api/') || path === '/oauth/introspect';
const routeOf = (key: string) => key.split(' #')[0] ?? key;

function outcomeOf(status: number): Outcome | `status-${number}` {
  if (status >= 200 && status < 300) return 'allow';
  const byStatus: Record<number, Outcome> = {
    400: 'invalid-400',
    401: 'deny-401',
    403: 'deny-403',
    404: 'not-found-404',
    409: 'conflict-409',
  };
  return byStatus[status] ?? `status-${status}`;
}

/** The error body of the route's family, or a description of what is wrong with it. */
function shapeProblem(path: string, response: ApiResponse): string | null {
  if (response.status < 400) return null;
  const body = response.body;
  if (path.startsWith('/oauth/'))
    return typeof body?.error === 'string' ? null : `not an OAuth error body: ${JSON.stringify(body)}`;
  const e = body?.error;
  return typeof e?.code === 'string' && typeof e.message === 'string' && typeof e.requestId === 'string'
    ? null
    : `not a management error body: ${JSON.stringify(body)}`;
}

interface Finding {
  key: string;
  kind: PrincipalKind;
  target: Owner | 'none';
  want: string;
  got: string;
  hole?: string;
}

interface Tally {
  requests: number;
  wronglyAllowed: Finding[];
  unexpected: Finding[];
  openHoles: Finding[];
  closedHoles: string[];
}

/** Where a principal's allowed request aims: the objects it may reach on a route of this scope. */
function reachOf(p: Principal, spec: RequestSpec): Owner {
  if (spec.scope === 'own' || p.kind === 'shareToken') return 'self';
  if (spec.scope === 'tenant') return p.user?.role === 'admin' ? 'peer' : 'self';
  return 'peer';
}

describe.each(MATRIX_DIALECTS)('authorization matrix on %s', (dialect) => {
  let w: World;
  let documented: Set<string>;

  beforeAll(async () => {
    w = await buildWorld(dialect);
    const doc = (await w.t.api('GET', '/openapi.json')).body as { paths: Record<string, object> };
    documented = new Set(
      Object.entries(doc.paths)
        .filter(([path]) => covered(path))
        .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)),
    );
  });
  afterAll(() => w?.t.close());

  it('has a table entry for every route of /openapi.json, and none for a route that is gone', () => {
    const missing = [...documented].filter((route) => !(route in AUTHORIZATION_TABLE));
    expect(missing, `routes with no entry in test/security/authorization-table.ts: ${missing}`).toEqual([]);
    const gone = Object.keys(AUTHORIZATION_TABLE).filter((key) => !documented.has(routeOf(key)));
    expect(gone, 'table entries for routes /openapi.json no longer has').toEqual([]);
    const unnamed = Object.keys(AUTHORIZATION_TABLE).filter((key) =>
      [...routeOf(key).matchAll(/\{(\w+)\}/g)].some(([, name]) => !REQUESTS[key]?.targets?.[name!]),
    );
    expect(unnamed, 'routes whose path parameters requests.ts does not fill').toEqual([]);
  });

  it('answers every route × principal as the table says, and lets nobody at another user’s or tenant’s objects', async () => {
    const started = performance.now();
    const tally: Tally = { requests: 0, wronglyAllowed: [], unexpected: [], openHoles: [], closedHoles: [] };
    const keys = Object.keys(AUTHORIZATION_TABLE).sort(
      (a, b) => Number(REQUESTS[a]?.last ?? false) - Number(REQUESTS[b]?.last ?? false),
    );

    for (const key of keys) {
      const spec = REQUESTS[key] ?? {};
      const row = AUTHORIZATION_TABLE[key]!;
      for (const kind of PRINCIPAL_KINDS) {
        const cell: Cell = row[kind];
        const want = expected(cell);
        const p = spec.consumesPrincipal ? await w.fresh(kind) : w.principals[kind];
        const passes = want === 'allow' || want === 'conflict-409';
        // Another tenant's admin aims at the first tenant; everyone else first at what it would reach.
        const owner: Owner = kind === 'otherTenantAdmin' ? 'stranger' : reachOf(p, spec);
        const primary = await attempt(key, spec, p, owner, want, owner !== 'stranger', tally);
        const holeText = typeof cell === 'string' ? undefined : cell.hole;
        if (holeText !== undefined) {
          if (primary) tally.openHoles.push({ ...primary, hole: holeText });
          else tally.closedHoles.push(`${key} × ${kind}`);
        } else if (primary) {
          tally.unexpected.push(primary);
        }
        if (kind === 'otherTenantAdmin' || !spec.targets) continue;
        // Then at another tenant's object, and at another user's when it reaches only its own: an allowed
        // principal finds nothing there (404, or a 200 that touched nothing), a refused one stays refused.
        const others: Owner[] = owner === 'self' && p.user ? ['peer', 'stranger'] : ['stranger'];
        for (const other of others) {
          const wantOther: Outcome | 'refused' = !passes
            ? 'refused'
            : spec.reached
              ? 'allow'
              : other === 'stranger' && key.endsWith('#for another user')
                ? 'invalid-400'
                : 'not-found-404';
          const finding = await attempt(key, spec, p, other, wantOther, false, tally);
          if (finding) tally.unexpected.push(finding);
        }
      }
    }

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const line = (f: Finding) =>
      `  ${f.key} × ${f.kind} (${f.target}): want ${f.want}, got ${f.got}${f.hole ? ` [${f.hole}]` : ''}`;
    const holes = new Set(tally.openHoles.map((f) => `${f.key} ${f.kind}`));
    const unmarked = tally.wronglyAllowed.filter((f) => !holes.has(`${f.key} ${f.kind}`));
    console.info(
      `authorization matrix (${dialect}): ${Object.keys(AUTHORIZATION_TABLE).length} routes × ` +
        `${PRINCIPAL_KINDS.length} principals, ${tally.requests} requests in ${seconds} s; ` +
        `wrongly allowed: ${tally.wronglyAllowed.length} (${unmarked.length} not marked as known holes); ` +
        `known holes still open: ${tally.openHoles.length}\n${[...unmarked, ...tally.openHoles].map(line).join('\n')}`,
    );
    expect(
      tally.unexpected.map((f) => `${f.key} × ${f.kind} (${f.target}): want ${f.want}, got ${f.got}`),
    ).toEqual([]);
    expect(tally.openHoles.map(line), 'known holes still open').toEqual([]);
    expect(
      tally.closedHoles,
      'these cells now answer as the table says: remove their hole() mark in authorization-table.ts',
    ).toEqual([]);
    // Some 1,500 requests: about 15 s on an idle two-core machine; the bound is for a busy one.
  }, 180_000);

  /**
   * One request of principal `p` to the route, naming objects of `owner`; returns what differs from `want`
   * (null: as expected). `reachable`: the object is one the principal may touch (for routes that say whether
   * they touched it).
   */
  async function attempt(
    key: string,
    spec: RequestSpec,
    p: Principal,
    owner: Owner,
    want: Outcome | 'refused',
    reachable: boolean,
    tally: Tally,
  ): Promise<Finding | null> {
    const [method, route] = routeOf(key).split(' ') as [string, string];
    const user = ownerUser(w, p, owner);
    const ids: Record<string, string> = {};
    for (const [name, kind] of Object.entries(spec.targets ?? {}))
      ids[name] = await makeTarget(w, kind, user, p);
    const path = route.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(ids[name]!));
    const body = spec.body?.({ ids, principal: p });
    const response = await w.t.api(method, path, {
      ...(p.token ? { token: p.token } : {}),
      ...(spec.form
        ? {
            raw: new URLSearchParams(body as Record<string, string>).toString(),
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          }
        : body === undefined
          ? {}
          : { body }),
    });
    tally.requests++;
    const target = spec.targets ? owner : 'none';
    const got = outcomeOf(response.status);
    const finding = (detail: string): Finding => ({ key, kind: p.kind, target, want, got: detail });
    const code = response.body?.error?.code ?? response.body?.error ?? '';
    const matches = want === 'refused' ? got !== 'allow' && !got.startsWith('status-') : got === want;
    if (!matches) {
      const found = finding(`${response.status} ${code}`.trim());
      if (got === 'allow') tally.wronglyAllowed.push(found);
      return found;
    }
    const shape = shapeProblem(route, response);
    if (shape) return finding(shape);
    if (got === 'allow' && spec.reached && spec.reached(response.body) !== reachable) {
      const found = finding(`200 ${reachable ? 'without touching its own object' : 'touching the object'}`);
      if (!reachable) tally.wronglyAllowed.push(found);
      return found;
    }
    if (got === 'allow' && Array.isArray(response.body?.items)) {
      const leak = leakIn(response.body.items, p, spec);
      if (leak) {
        const found = finding(`200 listing ${leak}`);
        tally.wronglyAllowed.push(found);
        return found;
      }
    }
    return null;
  }
});

/** What a listing shows that the principal must not see: another tenant's item, or another user's. */
function leakIn(items: Json[], p: Principal, spec: RequestSpec): string | null {
  for (const item of items) {
    if (typeof item?.tenantId === 'string' && item.tenantId !== p.user?.tenant)
      return `an item of tenant ${item.tenantId}`;
    const ownOnly =
      spec.ownItems === 'always' || (spec.ownItems === 'unlessAdmin' && p.user?.role !== 'admin');
    if (ownOnly && typeof item?.userId === 'number' && item.userId !== p.user?.id)
      return `an item of user ${item.userId}`;
  }
  return null;
}
