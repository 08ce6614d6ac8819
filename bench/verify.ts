/**
 * The verification scenarios of `npm run bench`, on SQLite or PostgreSQL: warm (one token, cached), with
 * usage tracking on or off (bench/servers/tessera.ts's BENCH_USAGE_TRACKING), and cold (a million stored
 * tokens, random ones asked, a cache far too small to hold them), after which the server's resident memory
 * is read. Ratios and goals are worked out by bench/run.ts.
 */
import { readFileSync } from 'node:fs';
import { JSON_HEADERS } from './load.ts';
import type { Bench } from './oauth.ts';
import type { BenchPostgres } from './postgres.ts';
import { type Child, residentBytes, residentPeak } from './processes.ts';
import type { Measurement } from './report.ts';

export const PERMISSION = 'subscription:execute';
export const isValid = (body: string) => body.includes('"valid":true');
export const verifyBody = (token: string) => `{"token":"${token}","permission":"${PERMISSION}"}`;

/** Where a Tessera child keeps its data: its own SQLite file, or a fresh database on one PostgreSQL. */
export interface Backend {
  label: 'SQLite' | 'PostgreSQL';
  postgres?: BenchPostgres;
}

export interface ColdRun {
  result: Measurement;
  /** The same store and load with usage tracking off. */
  untracked: Measurement;
  seeded: number;
  seedMs: number;
  /** The server's VmRSS after the measured load, with every token stored; null off Linux. */
  residentBytes: number | null;
  /** The highest VmRSS sampled (every 250 ms) while the cold scenario ran; null off Linux. */
  peakResidentBytes: number | null;
}

async function post<T>(url: string, body: unknown, bearer?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...JSON_HEADERS, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Signs in as admin and creates one token the way a user would, over HTTP. */
async function createToken(url: string, password: string): Promise<string> {
  const session = await post<{ token: string }>(`${url}/api/auth/login`, { username: 'admin', password });
  const created = await post<{ token: string }>(
    `${url}/api/tokens`,
    { name: 'bench', permissions: [PERMISSION], expiresInDays: 30 },
    session.token,
  );
  return created.token;
}

/** Tessera's verification cache counters, from /metrics. */
async function cacheCounters(url: string): Promise<{ hits: number; misses: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const read = (name: string) => Number(text.match(new RegExp(`^${name} (\\d+)`, 'm'))?.[1] ?? Number.NaN);
  return {
    hits: read('tessera_verification_cache_hits_total'),
    misses: read('tessera_verification_cache_misses_total'),
  };
}

/** Runs one Tessera scenario and adds the cache hit rate of its measured part to its notes. */
async function withCacheNote(url: string, run: () => Promise<Measurement>) {
  const before = await cacheCounters(url);
  const result = await run();
  const after = await cacheCounters(url);
  const hits = after.hits - before.hits;
  const lookups = hits + after.misses - before.misses;
  result.notes.push(`cache hits ${((100 * hits) / lookups).toFixed(1)}%`);
  return result;
}

/** A Tessera environment on the backend: a fresh data dir, and a fresh database on PostgreSQL. */
async function environment(bench: Bench, backend: Backend, extra: Record<string, string> = {}) {
  const database: Record<string, string> = backend.postgres
    ? { TESSERA_DATABASE_URL: await backend.postgres.createDatabase() }
    : {};
  return bench.tesseraEnv({ ...database, ...extra });
}

/** Starts Tessera on the backend; on PostgreSQL the database's processes count as the server's CPU. */
async function startTessera(bench: Bench, backend: Backend, name: string, env: NodeJS.ProcessEnv) {
  const child: Child = await bench.start(name, 'servers/tessera.ts', env);
  const { postgres } = backend;
  if (postgres) child.helpers = () => postgres.pids();
  return child;
}

/** Warm verification: one token, asked again and again, so every request after the first is a cache hit. */
export async function warmVerify(
  bench: Bench,
  backend: Backend,
  options: { usageTracking: boolean },
): Promise<Measurement> {
  const extra: Record<string, string> = options.usageTracking ? {} : { BENCH_USAGE_TRACKING: 'off' };
  const env = await environment(bench, backend, extra);
  const tracking = options.usageTracking ? '' : ', usage tracking off';
  const name = `Tessera verify, warm (1 cached token${tracking}), ${backend.label}`;
  const child = await startTessera(
    bench,
    backend,
    `warm-${backend.label}${options.usageTracking ? '' : '-untracked'}`,
    env,
  );
  try {
    const { url } = child.ready;
    const body = verifyBody(await createToken(url, env.TESSERA_ADMIN_PASSWORD!));
    return await withCacheNote(url, () =>
      bench.measure(name, child, { url: `${url}/api/verify`, body, expect: isValid }),
    );
  } finally {
    await child.stop();
  }
}

/**
 * Cold verification: `tokens` tokens stored by bench/servers/seed-store.ts (its own process, timed), then
 * a fresh server with a cache of `cacheEntries` asked for random ones of them; its resident memory is read
 * at the end, while it still runs. Then the same with usage tracking off, on the same store: every cold
 * request uses a token no other request used lately, so each costs a row update at the next usage flush.
 */
export async function coldVerify(
  bench: Bench,
  backend: Backend,
  settings: { tokens: number; cacheEntries: number },
): Promise<ColdRun> {
  const env = await environment(bench, backend, {
    BENCH_SEED: String(settings.tokens),
    TESSERA_CACHE_MAX_ENTRIES: String(settings.cacheEntries),
  });
  bench.log(`cold, ${backend.label}: seeding ${settings.tokens.toLocaleString('en-US')} tokens`);
  const seeder = await bench.start(`seed-${backend.label}`, 'servers/seed-store.ts', env);
  const { tokensFile, seeded = 0, seedMs = 0 } = seeder.ready;
  await seeder.stop();
  bench.log(`cold, ${backend.label}: seeded ${seeded} tokens in ${(seedMs / 1000).toFixed(1)} s`);
  const tokens = readFileSync(tokensFile!, 'utf8').split('\n').filter(Boolean);
  const random = () => verifyBody(tokens[Math.floor(Math.random() * tokens.length)]!);
  const count = tokens.length.toLocaleString('en-US');
  const run = async (tracking: boolean) => {
    const extra = tracking ? { BENCH_KEEP_DATA: '1' } : { BENCH_USAGE_TRACKING: 'off' };
    const name = `cold-${backend.label}${tracking ? '' : '-untracked'}`;
    const child = await startTessera(bench, backend, name, { ...env, ...extra });
    try {
      const { url } = child.ready;
      const what = `${count} stored, random ones asked, cache ${settings.cacheEntries}${tracking ? '' : ', usage tracking off'}`;
      const sampler = residentPeak(child.pid);
      const result = await withCacheNote(url, () =>
        bench.measure(`Tessera verify, cold (${what}), ${backend.label}`, child, {
          url: `${url}/api/verify`,
          body: random,
          expect: isValid,
        }),
      );
      return { result, resident: residentBytes(child.pid), peak: sampler.stop() };
    } finally {
      await child.stop();
    }
  };
  const tracked = await run(true);
  const untracked = await run(false);
  return {
    result: tracked.result,
    untracked: untracked.result,
    seeded,
    seedMs,
    residentBytes: tracked.resident,
    peakResidentBytes: tracked.peak,
  };
}
