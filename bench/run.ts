/**
 * `npm run bench`: Tessera's verification throughput as a ratio to a bare Fastify route, and its OAuth
 * token issuance and introspection as a ratio to oidc-provider (bench/oauth.ts), measured in one run on
 * loopback. Each server runs in its own child process pinned to one CPU; autocannon runs here, pinned to
 * another. The peers are a package of their own (bench/peers), installed on first use. Options (flag or
 * environment variable):
 *   --duration / BENCH_DURATION        seconds measured per scenario (10)
 *   --warmup / BENCH_WARMUP            seconds of load before each measurement (3)
 *   --connections / BENCH_CONNECTIONS  concurrent keep-alive connections (32)
 *   --tokens / BENCH_TOKENS            tokens stored for the cold scenario (20000)
 *   --cache-entries / BENCH_CACHE_ENTRIES  verification cache size in the cold scenario (1000)
 *   --cpu-prof DIR / BENCH_CPU_PROF    write V8 CPU profiles of each server into DIR/<scenario>/
 *                                      (one per thread: the main thread is the one whose tid is 0)
 *   --only verify|oauth / BENCH_ONLY   run the baseline and only these scenarios (default: all)
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { installPeers } from './install-peers.ts';
import { JSON_HEADERS, runLoad } from './load.ts';
import { type Bench, oauthScenarios, type RequestSpec } from './oauth.ts';
import { type Child, cpuMeter, pinProcesses, startChild, tempDir } from './processes.ts';
import { type Measurement, machine, markdown, type Report, writeReport } from './report.ts';

const here = import.meta.dirname;
const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    tokens: { type: 'string' },
    'cache-entries': { type: 'string' },
    'cpu-prof': { type: 'string' },
    only: { type: 'string' },
  },
});

function setting(flag: keyof typeof flags, variable: string, fallback: number): number {
  const raw = flags[flag] ?? process.env[variable];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${variable} (--${flag}) must be a positive integer`);
  return value;
}

const settings = {
  durationSeconds: setting('duration', 'BENCH_DURATION', 10),
  warmupSeconds: setting('warmup', 'BENCH_WARMUP', 3),
  connections: setting('connections', 'BENCH_CONNECTIONS', 32),
  tokens: setting('tokens', 'BENCH_TOKENS', 20_000),
  cacheEntries: setting('cache-entries', 'BENCH_CACHE_ENTRIES', 1000),
};
const profileDir = flags['cpu-prof'] ?? process.env.BENCH_CPU_PROF;
const only = flags.only ?? process.env.BENCH_ONLY ?? '';
if (!['', 'verify', 'oauth'].includes(only)) throw new Error('BENCH_ONLY (--only) must be verify or oauth');
const PERMISSION = 'subscription:execute';
const isValid = (body: string) => body.includes('"valid":true');
const verifyBody = (token: string) => `{"token":"${token}","permission":"${PERMISSION}"}`;

const log = (message: string) => process.stderr.write(`bench: ${message}\n`);
installPeers(log);
const host = machine();
const cpus = pinProcesses();

/** Starts a server child (`file` relative to bench/), pinned, profiled when asked. */
function start(name: string, file: string, env: NodeJS.ProcessEnv): Promise<Child> {
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir, name)}`] : [];
  return startChild(path.join(here, file), env, { cpu: cpus.server, nodeArgs });
}

/** Tessera's environment: a fresh SQLite data dir, silent logs, fixed secrets; no TESSERA_* leaks in. */
function tesseraEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([key]) => !key.startsWith('TESSERA_'));
  return {
    ...Object.fromEntries(inherited),
    TESSERA_DATA_DIR: tempDir('tessera-bench-'),
    TESSERA_HOST: '127.0.0.1',
    TESSERA_PORT: '0',
    TESSERA_LOG_LEVEL: 'silent',
    TESSERA_SECRET: randomBytes(32).toString('base64url'),
    TESSERA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    TESSERA_ADMIN_PASSWORD: randomBytes(12).toString('base64url'),
    ...extra,
  };
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

/** Warms the server up, then measures it; the server's CPU use says whether it, not autocannon, was the limit. */
async function measure(name: string, child: Child, spec: RequestSpec): Promise<Measurement> {
  const load = { ...spec, connections: settings.connections };
  const probe = typeof spec.body === 'string' ? spec.body : spec.body();
  const headers = spec.headers ?? JSON_HEADERS;
  const signal = AbortSignal.timeout(15_000);
  const answer = await (await fetch(spec.url, { method: 'POST', headers, body: probe, signal })).text();
  if (!spec.expect(answer)) throw new Error(`${name}: unexpected answer before the load: ${answer}`);
  log(`${name}: warming up for ${settings.warmupSeconds} s`);
  await runLoad({ ...load, durationSeconds: settings.warmupSeconds });
  log(`${name}: measuring for ${settings.durationSeconds} s`);
  const stopMeter = cpuMeter(child.pid);
  const result = await runLoad({ ...load, durationSeconds: settings.durationSeconds });
  const cpu = stopMeter();
  const notes: string[] = [];
  if (cpu && cpu.loadGenerator > 0.9) notes.push('load generator saturated: the server may be faster');
  if (cpu && cpu.others > 0.1) notes.push(`other processes busy ${cpu.others.toFixed(2)} cores`);
  if (result.errors + result.non2xx + result.mismatches > 0)
    notes.push(`${result.errors} errors, ${result.non2xx} non-2xx, ${result.mismatches} unexpected bodies`);
  return { scenario: name, ...result, cpu, notes };
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

async function baseline() {
  const child = await start('baseline', 'servers/baseline.ts', { ...process.env });
  try {
    const expected = '{"hello":"world"}';
    return await measure('Fastify baseline (POST /hello)', child, {
      url: `${child.ready.url}/hello`,
      body: verifyBody('x'.repeat(55)),
      expect: (body) => body === expected,
    });
  } finally {
    await child.stop();
  }
}

async function warm() {
  const env = tesseraEnv({});
  const child = await start('warm', 'servers/tessera.ts', env);
  try {
    const { url } = child.ready;
    const body = verifyBody(await createToken(url, env.TESSERA_ADMIN_PASSWORD!));
    return await withCacheNote(url, () =>
      measure('Tessera verify, warm (1 cached token)', child, {
        url: `${url}/api/verify`,
        body,
        expect: isValid,
      }),
    );
  } finally {
    await child.stop();
  }
}

async function cold() {
  const env = tesseraEnv({
    BENCH_SEED: String(settings.tokens),
    TESSERA_CACHE_MAX_ENTRIES: String(settings.cacheEntries),
  });
  log(`cold: seeding ${settings.tokens} tokens`);
  const child = await start('cold', 'servers/tessera.ts', env);
  try {
    const { url, tokensFile, seedMs = 0 } = child.ready;
    const tokens = readFileSync(tokensFile!, 'utf8').split('\n');
    log(`cold: seeded ${tokens.length} tokens in ${(seedMs / 1000).toFixed(1)} s`);
    const random = () => verifyBody(tokens[Math.floor(Math.random() * tokens.length)]!);
    const name = `Tessera verify, cold (${tokens.length} random tokens, cache ${settings.cacheEntries})`;
    const result = await withCacheNote(url, () =>
      measure(name, child, { url: `${url}/api/verify`, body: random, expect: isValid }),
    );
    result.notes.push(`seeded in ${(seedMs / 1000).toFixed(1)} s`);
    return result;
  } finally {
    await child.stop();
  }
}

const bench: Bench = { start, measure, tesseraEnv, log };
const measured = [
  await baseline(),
  ...(only === 'oauth' ? [] : [await warm(), await cold()]),
  ...(only === 'verify' ? [] : await oauthScenarios(bench)),
];
const base = (measured[0] as Measurement).requestsPerSecond;
const scenarios = measured.map((m) => ('skipped' in m ? m : { ...m, ratio: m.requestsPerSecond / base }));
const report: Report = {
  date: new Date().toISOString(),
  machine: { ...host, pinning: cpus },
  settings,
  scenarios,
};
writeReport(path.join(here, 'results'), report);
console.log(markdown(report));
log(`wrote ${path.join('bench', 'results', 'latest.{json,md}')}`);
