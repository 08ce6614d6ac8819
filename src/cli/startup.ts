import path from 'node:path';
import type { Config } from '../config/config.ts';
import type { RunningServer } from '../server.ts';

/** What `tessera serve` prints: where it listens, warnings, and on first start how to sign in. */
export function printStartup(config: Config, server: RunningServer): void {
  const database = config.databaseUrl ? 'PostgreSQL' : `SQLite ${path.join(config.dataDir, 'tessera.db')}`;
  const lines = [``, `Tessera is listening on ${server.url}  (${database})`];
  for (const warning of server.warnings) lines.push(`WARNING: ${warning}`);
  const { bootstrap } = server;
  if (bootstrap.created) {
    lines.push(
      ``,
      `First start: created tenant "default" and administrator "admin".`,
      bootstrap.generated
        ? `  Admin password (shown only this once): ${bootstrap.password}`
        : `  Admin password: the value of TESSERA_ADMIN_PASSWORD`,
      `  Sign in to the console at ${server.url}/ as "admin" with that password, or with curl:`,
      `    curl -s -X POST ${server.url}/api/auth/login -H 'Content-Type: application/json' \\`,
      `      -d '{"username":"admin","password":"${bootstrap.generated ? bootstrap.password : '<TESSERA_ADMIN_PASSWORD>'}"}'`,
      `  Forgot it? npx tessera admin reset-password admin`,
    );
  } else {
    lines.push(
      `Console: ${server.url}/  (API sign-in: POST ${server.url}/api/auth/login; reset a password with: npx tessera admin reset-password <username>)`,
    );
  }
  lines.push(`API reference: ${server.url}/openapi.json`, ``);
  console.log(lines.join('\n'));
}
