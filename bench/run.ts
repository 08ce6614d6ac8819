/**
 * `npm run bench`: Tessera's verification throughput as a ratio to a bare Fastify route (warm, cold over a
 * million stored tokens, on SQLite and on PostgreSQL) and to two peers (@node-oauth/oauth2-server and
 * Better Auth's API-key plugin), its memory with a million tokens, what usage tracking costs, and its OAuth
 * token issuance and introspection as a ratio to oidc-provider (bench/oauth.ts), measured in one run on
 * loopback. Each server runs in its own child process pinned to one CPU (PostgreSQL too); autocannon runs
 * here, pinned to another. The peers are a package of their own (bench/peers), installed on first use.
 * Every row shows the goal issue 7 sets for it and whether this run met it. Options (flag or environment):
 *   --duration / BENCH_DURATION        seconds measured per scenario (10)
 *   --warmup / BENCH_WARMUP            seconds of load before each measurement (3)
 *   --connections / BENCH_CONNECTIONS  concurrent keep-alive connections (32)
 *   --tokens / BENCH_TOKENS            tokens stored for the cold scenarios (1000000)
 *   --cache-entries / BENCH_CACHE_ENTRIES  verification cache size in the cold scenarios (1000)
 *   --cpu-prof DIR / BENCH_CPU_PROF    write V8 CPU profiles of each server into DIR/<scenario>/
 *                                      (one per thread: the main thread is the one whose tid is 0;
 *                                      summarise them with bench/profile.ts)
 *   --only GROUPS / BENCH_ONLY         the baseline and only these groups, comma-separated: verify
 *                                      (SQLite), peers, postgres, oauth (default: all)
 *   --rounds / BENCH_ROUNDS            slices each measurement is cut into (4); see `measure`
 * Every scenario's ratio is to the baseline measured in slices alternating with its own (paired): a
 * neighbour that slows the machine for a while slows both sides of the ratio, not one.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { installPeers } from './install-peers.ts';
import { JSON_HEADERS, type LoadResult, runLoad } from './load.ts';
import { type Bench, oauthScenarios, type RequestSpec } from './oauth.ts';
import { type BenchPostgres, startBenchPostgres } from './postgres.ts';
import { type Child, type CpuShares, cpuMeter, pinProcesses, startChild, tempDir } from './processes.ts';
import {
  type Figure,
  goal,
  type Measurement,
  machine,
  markdown,
  type Report,
  relative,
  type SkippedScenario,
  writeReport,
} from './report.ts';
import { type Backend, type ColdRun, coldVerify, verifyBody, warmVerify } from './verify.ts';
import { betterAuthVerify, oauth2ServerAuthenticate } from './verify-peers.ts';

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
    rounds: { type: 'string' },
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
  tokens: setting('tokens', 'BENCH_TOKENS', 1_000_000),
  cacheEntries: setting('cache-entries', 'BENCH_CACHE_ENTRIES', 1000),
  rounds: setting('rounds', 'BENCH_ROUNDS', 4),
};
const profileDir = flags['cpu-prof'] ?? process.env.BENCH_CPU_PROF;
const GROUPS = ['verify', 'peers', 'postgres', 'oauth'] as const;
type Group = (typeof GROUPS)[number];
const only = (flags.only ?? process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
for (const group of only)
  if (!GROUPS.includes(group as Group))
    throw new Error(`BENCH_ONLY (--only) takes ${GROUPS.join(', ')} (comma-separated), not ${group}`);
const runs = (group: Group) => only.length === 0 || only.includes(group);

/** Issue 7's goals. */
const GOALS = {
  warm: 0.85,
  cold: 0.5,
  oauth2Server: 1,
  betterAuth: 25,
  seedSeconds: 60,
  residentMegabytes: 200,
  usageCostPercent: 10,
};

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
    // The bench reads the cache counters on /metrics.
    TESSERA_METRICS: 'open',
    ...extra,
  };
}

/** The bare Fastify route every ratio is taken to; it runs for the whole bench, idle between its slices. */
const baselineChild = await start('baseline', 'servers/baseline.ts', { ...process.env });
const baselineSpec: RequestSpec = {
  url: `${baselineChild.ready.url}/hello`,
  body: verifyBody('x'.repeat(55)),
  expect: (body) => body === '{"hello":"world"}',
};

/** One slice of load on a server, with the server's CPU use over it. */
async function slice(child: Child, spec: RequestSpec, seconds: number) {
  const stopMeter = cpuMeter([child.pid, ...(child.helpers?.() ?? [])]);
  const result = await runLoad({ ...spec, connections: settings.connections, durationSeconds: seconds });
  return { result, cpu: stopMeter(), seconds };
}

type Slice = Awaited<ReturnType<typeof slice>>;

/** Slices of one server added up: request rate over all of them, median p50, worst p99, mean CPU shares. */
function combine(slices: Slice[]): LoadResult & { cpu: CpuShares | null } {
  const seconds = slices.reduce((sum, s) => sum + s.seconds, 0);
  const sum = (pick: (r: LoadResult) => number) => slices.reduce((total, s) => total + pick(s.result), 0);
  const p50s = slices.map((s) => s.result.p50Ms).sort((a, b) => a - b);
  const cpus = slices.map((s) => s.cpu);
  const mean = (pick: (c: CpuShares) => number) =>
    cpus.reduce((total, c, i) => total + pick(c as CpuShares) * slices[i]!.seconds, 0) / seconds;
  return {
    requestsPerSecond: sum((r) => r.total) / seconds,
    p50Ms: p50s[Math.floor(p50s.length / 2)]!,
    p99Ms: Math.max(...slices.map((s) => s.result.p99Ms)),
    total: sum((r) => r.total),
    errors: sum((r) => r.errors),
    non2xx: sum((r) => r.non2xx),
    mismatches: sum((r) => r.mismatches),
    cpu: cpus.includes(null)
      ? null
      : {
          server: mean((c) => c.server),
          loadGenerator: mean((c) => c.loadGenerator),
          interrupts: mean((c) => c.interrupts),
          others: mean((c) => c.others),
        },
  };
}

/**
 * Warms the server up, then measures it in `rounds` slices, each followed by a slice of the baseline, so
 * the scenario carries its own paired baseline. The server's CPU use says whether it, not autocannon, was
 * the limit.
 */
async function measure(name: string, child: Child, spec: RequestSpec): Promise<Measurement> {
  const probe = typeof spec.body === 'string' ? spec.body : spec.body();
  const headers = spec.headers ?? JSON_HEADERS;
  const signal = AbortSignal.timeout(15_000);
  const answer = await (await fetch(spec.url, { method: 'POST', headers, body: probe, signal })).text();
  if (!spec.expect(answer)) throw new Error(`${name}: unexpected answer before the load: ${answer}`);
  log(`${name}: warming up for ${settings.warmupSeconds} s`);
  await runLoad({ ...spec, connections: settings.connections, durationSeconds: settings.warmupSeconds });
  const seconds = Math.max(1, Math.round(settings.durationSeconds / settings.rounds));
  log(`${name}: measuring ${settings.rounds} × ${seconds} s, each slice followed by one of the baseline`);
  const own: Slice[] = [];
  const paired: Slice[] = [];
  for (let round = 0; round < settings.rounds; round++) {
    own.push(await slice(child, spec, seconds));
    if (child !== baselineChild) paired.push(await slice(baselineChild, baselineSpec, seconds));
  }
  const { cpu, ...result } = combine(own);
  const notes: string[] = [];
  if (cpu && cpu.loadGenerator > 0.9) notes.push('load generator saturated: the server may be faster');
  if (cpu && cpu.others > 0.1) notes.push(`other processes busy ${cpu.others.toFixed(2)} cores`);
  if (result.errors + result.non2xx + result.mismatches > 0)
    notes.push(`${result.errors} errors, ${result.non2xx} non-2xx, ${result.mismatches} unexpected bodies`);
  const baseline = paired.length > 0 ? combine(paired).requestsPerSecond : undefined;
  if (baseline !== undefined)
    notes.push(`paired baseline ${Math.round(baseline).toLocaleString('en-US')} req/s`);
  return { scenario: name, ...result, cpu, notes, ...(baseline !== undefined ? { baseline } : {}) };
}

type Row = Measurement | SkippedScenario;
const bench: Bench = { start, measure, tesseraEnv, log };
const MB = 1024 * 1024;

/** Runs a scenario; a failure becomes its row (and a failed exit code), the run goes on. */
async function attempt<T>(scenario: string, run: () => Promise<T>): Promise<T | SkippedScenario> {
  try {
    return await run();
  } catch (error) {
    const reason = `failed: ${(error as Error).message}`;
    log(`${scenario}: ${reason}`);
    process.exitCode = 1;
    return { scenario, skipped: reason };
  }
}

const measured = (row: Row | undefined): row is Measurement => row !== undefined && !('skipped' in row);

/** One backend's warm and cold rows, with their goals, and its figures (seed time, memory, usage cost). */
async function verification(backend: Backend, figures: Figure[]): Promise<Row[]> {
  const { label } = backend;
  const warm = await attempt(`Tessera verify, warm, ${label}`, () =>
    warmVerify(bench, backend, { usageTracking: true }),
  );
  const untracked = await attempt(`Tessera verify, warm, usage tracking off, ${label}`, () =>
    warmVerify(bench, backend, { usageTracking: false }),
  );
  const cold = await attempt(`Tessera verify, cold, ${label}`, () => coldVerify(bench, backend, settings));
  const coldRow = 'skipped' in cold ? cold : (cold as ColdRun).result;
  const coldUntracked = 'skipped' in cold ? undefined : (cold as ColdRun).untracked;
  for (const [row, bound] of [
    [warm, GOALS.warm],
    [coldRow, GOALS.cold],
  ] as const) {
    if (measured(row)) row.goal = goal(`≥ ${bound}× baseline`, relative(row), bound, 'min');
  }
  /** What usage tracking costs: the tracked row's paired ratio against the untracked one's. */
  const usageCost = (which: 'warm' | 'cold', tracked: Row, off: Row | undefined, notes: string) => {
    if (!measured(tracked) || !measured(off)) return;
    const cost = 100 * (1 - relative(tracked) / relative(off));
    figures.push({
      name: `Usage tracking cost (${which}, tracking on vs off), ${label}`,
      value: cost,
      unit: '%',
      goal: goal(`< ${GOALS.usageCostPercent}%`, cost, GOALS.usageCostPercent, 'max'),
      notes: `${notes}${cost < 0 ? ' (negative: noise alone)' : ''}`,
    });
  };
  usageCost('warm', warm, untracked, "from the two rows' paired ratios");
  if (!('skipped' in cold)) {
    const seedSeconds = cold.seedMs / 1000;
    figures.push({
      name: `Seeding ${cold.seeded.toLocaleString('en-US')} tokens, ${label}`,
      value: seedSeconds,
      unit: 's',
      ...(label === 'SQLite'
        ? { goal: goal(`< ${GOALS.seedSeconds} s`, seedSeconds, GOALS.seedSeconds, 'max') }
        : {}),
      notes: 'real tokens with keyed hashes, multi-row inserts (bench/servers/seed.ts)',
    });
    if (cold.peakResidentBytes !== null) {
      const mb = cold.peakResidentBytes / MB;
      const end = cold.residentBytes === null ? '' : `; ${Math.round(cold.residentBytes / MB)} MB at its end`;
      figures.push({
        name: `Server resident memory (VmRSS), highest while the cold run loaded it, ${cold.seeded.toLocaleString('en-US')} tokens stored, ${label}`,
        value: mb,
        unit: 'MB',
        goal: goal(`< ${GOALS.residentMegabytes} MB`, mb, GOALS.residentMegabytes, 'max'),
        notes: `sampled every 250 ms${end}`,
      });
    }
  }
  usageCost(
    'cold',
    coldRow,
    coldUntracked,
    'every cold request is a token not used lately: one row update each at the next flush',
  );
  return [warm, untracked, coldRow, ...(coldUntracked ? [coldUntracked] : [])];
}

/** The peers' rows, each with Tessera's warm verification (SQLite) as a multiple of it. */
async function peers(tesseraWarm: Row | undefined): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [scenario, run, bound] of [
    ['@node-oauth/oauth2-server authenticate', oauth2ServerAuthenticate, GOALS.oauth2Server],
    ['Better Auth verifyApiKey', betterAuthVerify, GOALS.betterAuth],
  ] as const) {
    const row = await attempt(scenario, () => run(bench));
    if (measured(row) && measured(tesseraWarm)) {
      const ratio = relative(tesseraWarm) / relative(row);
      row.notes.unshift(`Tessera warm (SQLite) is ${ratio.toFixed(2)}× this`);
      row.goal = goal(`Tessera warm ≥ ${bound}× this`, ratio, bound, 'min');
    }
    rows.push(row);
  }
  return rows;
}

const figures: Figure[] = [];
const base = await measure('Fastify baseline (POST /hello)', baselineChild, baselineSpec);
const rows: Row[] = [base];
if (runs('verify')) rows.push(...(await verification({ label: 'SQLite' }, figures)));
if (runs('peers')) {
  const tesseraWarm = rows.find(
    (r) => measured(r) && r.scenario.startsWith('Tessera verify, warm (1 cached token), SQLite'),
  );
  rows.push(...(await peers(tesseraWarm)));
}
if (runs('postgres')) {
  const postgres = await attempt<BenchPostgres>('PostgreSQL', () => startBenchPostgres(cpus.server));
  if ('skipped' in postgres) rows.push(postgres);
  else {
    rows.push(...(await verification({ label: 'PostgreSQL', postgres }, figures)));
    postgres.stop();
  }
}
if (runs('oauth')) rows.push(...(await oauthScenarios(bench)));
await baselineChild.stop();

const scenarios = rows.map((m) => ('skipped' in m ? m : { ...m, ratio: relative(m) }));
const report: Report = {
  date: new Date().toISOString(),
  machine: { ...host, pinning: cpus },
  settings: { ...settings, only: only.join(',') || 'all' },
  scenarios,
  figures,
};
writeReport(path.join(here, 'results'), report);
console.log(markdown(report));
log(`wrote ${path.join('bench', 'results', 'latest.{json,md}')}`);
