/**
 * Builds the server into one JavaScript file, dist/tessera.js, which bin/tessera.js runs with plain node:
 * no TypeScript loader in the running service (tsx's loader costs a thread and ~34 MB of resident memory).
 *   node --import tsx scripts/build-server.ts [--if-stale] [--outdir DIR]
 * `--if-stale` builds only when a file under src/ is newer than the bundle (npm start's prestart step);
 * `--outdir` builds elsewhere, as DIR/tessera.js (tests build into a checkout of their own).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { isStale } from './staleness.js';

const root = path.resolve(import.meta.dirname, '..');
/** What the bundle is made of: a change under it makes the bundle stale (bin/tessera.js asks the same). */
export const SERVER_SOURCES = path.join(root, 'src');
/** The `tessera` command's code, bundled. */
export const SERVER_ENTRY = path.join(root, 'src/cli/main.ts');
/**
 * Node flags the service runs with: `npm start` and bin/tessera.js's shebang spell them out, the bench's
 * Tessera children take them from here, and a test checks the three agree. A young generation of 2 MB
 * semi-spaces instead of 16 MB: 26 MB less resident memory at idle and a lower peak under load, with no
 * throughput loss measured (warm and cold verification).
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=2'];

/** Where `npm run build` puts the bundle; bin/tessera.js runs it when it is fresh. */
export const SERVER_BUNDLE = path.join(root, 'dist/tessera.js');

/**
 * Bundles `entry` (TypeScript, with everything it imports from this checkout) into the ES module `outfile`
 * for Node 20, with a linked source map so that `--enable-source-maps` names the .ts files. Packages stay
 * imports, found in the node_modules above `outfile` (a `.js` outfile also needs a package.json above it
 * that says `"type": "module"`, as this checkout's does).
 */
export async function bundle(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

/** Whether `outfile` is missing or older than a file under src/. */
export function serverIsStale(outfile = SERVER_BUNDLE): boolean {
  return isStale(outfile, [SERVER_SOURCES]);
}

/** Builds the `tessera` command into `outfile` (dist/tessera.js unless told otherwise). */
export function buildServer(outfile = SERVER_BUNDLE): Promise<void> {
  return bundle(SERVER_ENTRY, outfile);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { 'if-stale': { type: 'boolean' }, outdir: { type: 'string' } } });
  const outfile = values.outdir ? path.resolve(values.outdir, 'tessera.js') : SERVER_BUNDLE;
  if (!values['if-stale'] || serverIsStale(outfile)) {
    console.log(`Building the server into ${path.relative(process.cwd(), outfile) || outfile}…`);
    await buildServer(outfile);
  }
}
