/**
 * Bench children that are Tessera itself run the way `npm start` runs the service: bundled by the server
 * build (scripts/build-server.ts) and started with plain `node`, without tsx's loader and its thread. Each
 * is bundled once per bench run. The peers and the baseline stay on tsx: their loader is not what is measured.
 */
import { existsSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { bundle, SERVER_NODE_FLAGS } from '../scripts/build-server.ts';

const BUNDLED = new Set(['tessera.ts', 'seed-store.ts']);
const bundles = new Map<string, Promise<string>>();
const nodeModules = path.resolve(import.meta.dirname, '../node_modules');

/** Bundles `file` into `outdir` as an .mjs file, with a link to this checkout's node_modules beside it. */
async function bundleInto(file: string, outdir: string): Promise<string> {
  const outfile = path.join(outdir, path.basename(file).replace(/\.ts$/, '.mjs'));
  await bundle(file, outfile);
  const link = path.join(outdir, 'node_modules');
  if (!existsSync(link)) symlinkSync(nodeModules, link, 'dir');
  return outfile;
}

/**
 * The node arguments that run the bench server `file`: the service's node flags and its bundle (built on
 * first use into a directory `outdir` makes) for Tessera's children, `--import tsx <file>` for the others.
 */
export async function childArgs(file: string, outdir: () => string): Promise<string[]> {
  if (!BUNDLED.has(path.basename(file))) return ['--import', 'tsx', file];
  let built = bundles.get(file);
  if (!built) {
    built = bundleInto(file, outdir());
    bundles.set(file, built);
  }
  return [...SERVER_NODE_FLAGS, await built];
}
