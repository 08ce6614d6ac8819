import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.ts';
import { startServer } from '../src/server.ts';
import { ADMIN_PASSWORD } from './support/harness.ts';

/** `tessera keys …` as an operator runs it: a child process on a data dir of its own. */
const BIN = fileURLToPath(new URL('../bin/tessera.js', import.meta.url));
const SECRET = 'cli-keys-secret-cli-keys-secret-0123456789';

describe('tessera keys', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tessera-cli-keys-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function tessera(args: string[]): Promise<{ code: number; stdout: string }> {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !key.startsWith('TESSERA_')),
    );
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [BIN, ...args],
        {
          env: {
            ...env,
            TESSERA_DATA_DIR: dir,
            TESSERA_SECRET: SECRET,
            TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD,
          },
        },
        (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
      );
    });
  }

  it('rotates keys and lists them; a server on the same data publishes both', async () => {
    const first = await tessera(['keys', 'rotate']);
    expect(first.code).toBe(0);
    const firstKid = /New signing key (\S+)/.exec(first.stdout)?.[1];
    const second = await tessera(['keys', 'rotate']);
    expect(second.stdout).toContain(`Retired (still published until their tokens expire): ${firstKid}`);
    const secondKid = /New signing key (\S+)/.exec(second.stdout)?.[1];

    const listed = await tessera(['keys', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${secondKid}.*'active'`));
    expect(listed.stdout).toMatch(new RegExp(`${firstKid}.*'retired'`));

    const config = loadConfig(
      { TESSERA_SECRET: SECRET },
      { port: 0, dataDir: dir, adminPassword: ADMIN_PASSWORD, logLevel: 'silent' },
    );
    const server = await startServer(config, { logger: false });
    try {
      const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as {
        keys: { kid: string }[];
      };
      expect(jwks.keys.map((k) => k.kid)).toEqual([secondKid, firstKid]);
    } finally {
      await server.close();
    }
  });
});
