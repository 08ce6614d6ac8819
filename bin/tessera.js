#!/usr/bin/env -S node --max-semi-space-size=2
// Entry point for the `tessera` command; its node flags are SERVER_NODE_FLAGS (scripts/build-server.ts).
// It runs the compiled server, dist/tessera.js (built by `npm start` and `npm run build`), when that is
// at least as new as every file under src/; otherwise it runs the TypeScript sources through tsx's loader,
// so whoever edits src/ never runs stale code.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isStale } from '../scripts/staleness.js';

const root = path.resolve(import.meta.dirname, '..');
const bundle = path.join(root, 'dist/tessera.js');
if (isStale(bundle, [path.join(root, 'src')])) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
} else {
  await import(pathToFileURL(bundle).href);
}
