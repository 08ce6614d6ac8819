import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const dir = path.join(import.meta.dirname, 'peers');

/** The version of `name` that a package-lock.json or an installed package.json names; null if none. */
function version(file: string, name?: string): string | null {
  if (!existsSync(file)) return null;
  const json = JSON.parse(readFileSync(file, 'utf8')) as {
    version?: string;
    packages?: Record<string, { version?: string }>;
  };
  return (name ? json.packages?.[`node_modules/${name}`]?.version : json.version) ?? null;
}

/**
 * The peer servers (oidc-provider) live in bench/peers/, a package of their own, so that the service never
 * depends on them. Installs it from its lock file when it is missing or out of date with the lock.
 */
export function installPeers(log: (message: string) => void): void {
  const locked = version(path.join(dir, 'package-lock.json'), 'oidc-provider');
  const installed = version(path.join(dir, 'node_modules', 'oidc-provider', 'package.json'));
  if (locked !== null && installed === locked) return;
  log(
    installed === null
      ? 'the peer servers are not installed: running npm ci --prefix bench/peers (once)'
      : `bench/peers has oidc-provider ${installed}, its lock ${locked}: running npm ci --prefix bench/peers`,
  );
  // No package there has install scripts; --ignore-scripts keeps it that way. Output goes to stderr.
  execFileSync('npm', ['ci', '--prefix', dir, '--ignore-scripts', '--no-audit', '--no-fund'], {
    stdio: ['ignore', 2, 2],
  });
}
