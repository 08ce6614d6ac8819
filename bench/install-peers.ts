import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const dir = path.join(import.meta.dirname, 'peers');

interface PackageJson {
  version?: string;
  dependencies?: Record<string, string>;
  packages?: Record<string, { version?: string }>;
}

const read = (file: string): PackageJson | null =>
  existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PackageJson) : null;

/** The direct dependencies of bench/peers whose installed version is not the one its lock names. */
function outOfDate(): string[] {
  const lock = read(path.join(dir, 'package-lock.json'));
  const manifest = read(path.join(dir, 'package.json'));
  return Object.keys(manifest?.dependencies ?? {}).filter((name) => {
    const locked = lock?.packages?.[`node_modules/${name}`]?.version;
    const installed = read(path.join(dir, 'node_modules', name, 'package.json'))?.version;
    return locked === undefined || installed !== locked;
  });
}

/**
 * The peer servers (oidc-provider, @node-oauth/oauth2-server, Better Auth) live in bench/peers/, a package
 * of their own, so that the service never depends on them. Installs it from its lock file when a package is
 * missing or out of date with the lock. One package there has an install script, better-sqlite3 (Better
 * Auth's SQLite driver), which compiles its native module; bench/peers/package.json's `allowScripts` names
 * it, and the first install takes a few minutes for that. Output goes to stderr.
 */
export function installPeers(log: (message: string) => void): void {
  const missing = outOfDate();
  if (missing.length === 0) return;
  log(`bench/peers needs ${missing.join(', ')}: running npm ci --prefix bench/peers (a few minutes, once)`);
  execFileSync('npm', ['ci', '--prefix', dir, '--no-audit', '--no-fund'], { stdio: ['ignore', 2, 2] });
}
