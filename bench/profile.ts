/**
 * Summarises V8 CPU profiles (`npm run bench -- --cpu-prof DIR`): the functions with the most self time
 * and the most inclusive time, in percent of the profile's samples, so a hot path's costs can be compared
 * before and after a change. `--last S` keeps only the last S seconds (the measured load, not start-up).
 * Usage: `node --import tsx bench/profile.ts DIR/warm/*.0.*.cpuprofile [--top 40] [--last 5]`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

/** "name file:line", with the path cut to what a reader needs. */
function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url
    .replace(/^file:\/\//, '')
    .replace(/^.*node_modules\//, '~/')
    .replace(/^.*\/main\//, '');
  return `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
}

/** Self and inclusive sample counts per function label (a function counted once per stack in inclusive). */
export function summarise(
  profile: Profile,
  lastSeconds = Number.POSITIVE_INFINITY,
): { total: number; self: Map<string, number>; inclusive: Map<string, number> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const hits = new Map<number, number>();
  if (profile.samples) {
    // Only the samples of the last `lastSeconds` (the measured load, not start-up): times from timeDeltas.
    const times: number[] = [];
    let t = 0;
    for (const delta of profile.timeDeltas ?? []) {
      t += delta;
      times.push(t);
    }
    const from = (times.at(-1) ?? 0) - lastSeconds * 1e6;
    profile.samples.forEach((id, i) => {
      if ((times[i] ?? 0) >= from) hits.set(id, (hits.get(id) ?? 0) + 1);
    });
  } else for (const n of profile.nodes) hits.set(n.id, n.hitCount ?? 0);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  for (const [id, count] of hits) {
    total += count;
    const node = byId.get(id)!;
    self.set(label(node), (self.get(label(node)) ?? 0) + count);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = label(byId.get(at)!);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + count);
    }
  }
  return { total, self, inclusive };
}

function print(title: string, counts: Map<string, number>, total: number, top: number): void {
  console.log(`\n${title}`);
  const rows = [...counts].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [name, count] of rows)
    console.log(`${((100 * count) / total).toFixed(1).padStart(6)}%  ${name}`);
}

if (path.resolve(process.argv[1] ?? '') === import.meta.filename) {
  const { values, positionals } = parseArgs({
    options: { top: { type: 'string' }, last: { type: 'string' } },
    allowPositionals: true,
  });
  const top = Number(values.top ?? 40);
  for (const file of positionals) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
    const { total, self, inclusive } = summarise(profile, Number(values.last ?? Number.POSITIVE_INFINITY));
    console.log(`# ${file}: ${total} samples`);
    print('Self time', self, total, top);
    print('Inclusive time', inclusive, total, top);
  }
}
