import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadResult } from './load.ts';
import type { CpuPlan, CpuShares } from './processes.ts';

/** What issue 7 asks of a figure, and whether this run met it. */
export interface Goal {
  /** Such as "≥ 0.85× baseline". */
  text: string;
  met: boolean;
}

/** What one measured run gives, before it is compared with anything. */
export interface Measurement extends LoadResult {
  scenario: string;
  /** CPU use during the measured run: a server below ~0.95 cores was not the bottleneck. Null off Linux. */
  cpu: CpuShares | null;
  notes: string[];
  goal?: Goal;
  /** The baseline's requests/s in the slices that alternated with this scenario's (none for the baseline). */
  baseline?: number;
}

/** A scenario's throughput as a multiple of its paired baseline (1 for the baseline itself). */
export const relative = (m: Measurement) => m.requestsPerSecond / (m.baseline ?? m.requestsPerSecond);

/** A figure that is not a request rate (seed time, memory, a cost in percent), with its goal if it has one. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  goal?: Goal;
  notes?: string;
}

/** A Tessera scenario's throughput as a ratio to a peer's doing the same job in the same run. */
export interface PeerComparison {
  peer: string;
  ratio: number;
  /** The ratio the issue asks for. */
  goal: number;
}

/** One measured scenario, with its throughput as a ratio to its paired baseline. */
export interface ScenarioResult extends Measurement {
  ratio: number;
  vsPeer?: PeerComparison;
}

/** A scenario that could not run (say, an endpoint the service does not have yet), and why. */
export interface SkippedScenario {
  scenario: string;
  skipped: string;
}

export interface Report {
  date: string;
  machine: { node: string; cpu: string; cores: number; platform: string; pinning: CpuPlan };
  settings: Record<string, number | string>;
  scenarios: (ScenarioResult | SkippedScenario)[];
  figures: Figure[];
}

/** The machine the figures came from: they mean little without it. */
export function machine(): Omit<Report['machine'], 'pinning'> {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m);
    if (line?.[1]) cpu = line[1].trim();
  } catch {
    // Not Linux: os.cpus() has the model too.
  }
  return {
    node: process.version,
    cpu,
    cores: os.cpus().length,
    platform: `${os.platform()} ${os.release()}`,
  };
}

const fixed = (n: number, digits: number) => n.toFixed(digits);
const goalCell = (goal: Goal | undefined) => (goal ? `${goal.text} ${goal.met ? '✓' : '✗ not met'}` : '');
const number = (n: number) =>
  n.toLocaleString('en-US', { maximumFractionDigits: Math.abs(n) >= 100 ? 0 : 1 });

/** Whether a figure meets an "at least" or "at most" goal, in the words the report shows. */
export function goal(text: string, value: number, bound: number, direction: 'min' | 'max'): Goal {
  return { text, met: direction === 'min' ? value >= bound : value <= bound };
}

/** The results as a Markdown table, with the machine and settings underneath. */
export function markdown(report: Report): string {
  const { machine: m } = report;
  const rows = report.scenarios.map((s) =>
    'skipped' in s
      ? [s.scenario, '—', '—', '—', '—', '—', '', '—', '—', s.skipped].join(' | ')
      : [
          s.scenario,
          Math.round(s.requestsPerSecond).toLocaleString('en-US'),
          fixed(s.p50Ms, 2),
          fixed(s.p99Ms, 2),
          `${fixed(s.ratio, 2)}×`,
          s.vsPeer ? `${fixed(s.vsPeer.ratio, 2)}×` : '',
          goalCell(s.goal),
          s.cpu === null ? 'n/a' : `${fixed(s.cpu.server, 2)} / ${fixed(s.cpu.loadGenerator, 2)}`,
          s.cpu === null ? 'n/a' : fixed((s.cpu.server * 1e6) / s.requestsPerSecond, 1),
          s.notes.join('; '),
        ].join(' | '),
  );
  const pinning =
    m.pinning.server === null
      ? 'not pinned (needs taskset and two CPUs)'
      : `server on CPU ${m.pinning.server}, load generator on CPU ${m.pinning.load}`;
  return [
    '| Scenario | Requests/s | p50 (ms) | p99 (ms) | × baseline | × peer | Goal | CPU server / load (cores) | Server CPU µs/request | Notes |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |',
    ...rows.map((r) => `| ${r} |`),
    '',
    ...(report.figures.length === 0
      ? []
      : [
          '| Figure | Value | Goal | Notes |',
          '| --- | ---: | --- | --- |',
          ...report.figures.map(
            (f) => `| ${f.name} | ${number(f.value)} ${f.unit} | ${goalCell(f.goal)} | ${f.notes ?? ''} |`,
          ),
          '',
        ]),
    `${report.date} · Node ${m.node} · ${m.cpu} · ${m.cores} cores · ${m.platform} · ${pinning}`,
    `Settings: ${Object.entries(report.settings)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
    '',
  ].join('\n');
}

/** Writes `latest.json` and `latest.md` into `dir`. */
export function writeReport(dir: string, report: Report): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(path.join(dir, 'latest.md'), `# Tessera benchmark\n\n${markdown(report)}`);
}
