import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStale } from './staleness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const consoleDir = path.join(root, 'console');
// TESSERA_CONSOLE_DIST: build elsewhere (each checkout or test run its own), as the server reads it too.
const builtIndex = path.join(
  path.resolve(process.env.TESSERA_CONSOLE_DIST ?? path.join(consoleDir, 'dist')),
  'index.html',
);
/** What the build reads: a change to any of these makes console/dist stale. */
const SOURCES = ['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json'].map((p) =>
  path.join(consoleDir, p),
);

/** Whether console/dist is missing or older than a console source or the installed packages. */
export function consoleIsStale(): boolean {
  return isStale(builtIndex, [...SOURCES, path.join(root, 'package-lock.json')]);
}

/**
 * Builds the console into console/dist with Vite, in a child process with NODE_ENV=production: Vite
 * follows NODE_ENV, and a test runner's NODE_ENV=test would otherwise produce React's development build.
 */
export function buildConsole(): void {
  const vitePackage = createRequire(import.meta.url).resolve('vite/package.json');
  const vite = path.join(path.dirname(vitePackage), 'bin/vite.js');
  execFileSync(
    process.execPath,
    [vite, 'build', '--config', path.join(consoleDir, 'vite.config.ts'), '--logLevel', 'warn'],
    {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: 'inherit',
    },
  );
}

/** `--if-stale`: build only when the sources changed since the last build (npm start's prestart step). */
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ifStale = process.argv.includes('--if-stale');
  if (!ifStale || consoleIsStale()) {
    console.log('Building the console into console/dist…');
    buildConsole();
  }
}
