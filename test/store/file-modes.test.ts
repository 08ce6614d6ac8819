import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { startServer } from '../../src/server.ts';
import { openStore } from '../../src/store/kysely/store.ts';
import { ADMIN_PASSWORD } from '../support/harness.ts';

const modeOf = (file: string) => statSync(file).mode & 0o777;

/**
 * The data dir holds the SQLite database (token hashes, users, settings) and the generated secrets: only
 * the service's user may read them, whatever the umask the service was started under. The umask is set to
 * 0 (the widest) for each test and restored after it.
 */
describe('the data dir and its files are private to the service user (SQLite)', () => {
  let umask: number;
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'tessera-modes-'));
    umask = process.umask(0);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  const serve = (dataDir: string) =>
    startServer(
      loadConfig({ TESSERA_LOG_LEVEL: 'silent' }, { port: 0, dataDir, adminPassword: ADMIN_PASSWORD }),
      { logger: false },
    );

  it('creates the dir 0700 and the database, its -wal and -shm and the generated secrets 0600', async () => {
    const dataDir = path.join(root, 'nested', 'data');
    const server = await serve(dataDir);
    try {
      expect(modeOf(dataDir).toString(8)).toBe('700');
      for (const file of ['tessera.db', 'tessera.db-wal', 'tessera.db-shm', 'secret', 'encryption.key'])
        expect(modeOf(path.join(dataDir, file)).toString(8), file).toBe('600');
      // A fresh data dir has nothing to warn about.
      expect(server.warnings.filter((w) => w.includes('open to other users'))).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('opens a store in a new dir (as the CLI and the tests do) with the same modes', async () => {
    const dir = path.join(root, 'store');
    const store = await openStore({ sqlitePath: path.join(dir, 'tessera.db') });
    try {
      await store.migrate();
      expect(modeOf(dir).toString(8)).toBe('700');
      for (const file of ['tessera.db', 'tessera.db-wal', 'tessera.db-shm'])
        expect(modeOf(path.join(dir, file)).toString(8), file).toBe('600');
    } finally {
      await store.close();
    }
  });

  it('warns at start about an existing dir or file open to other users, and leaves its mode alone', async () => {
    const dataDir = path.join(root, 'old');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755);
    writeFileSync(path.join(dataDir, 'secret'), 'an-older-secret-an-older-secret-0123456789\n', {
      mode: 0o644,
    });
    const server = await serve(dataDir);
    try {
      const warnings = server.warnings.filter((w) => w.includes('open to other users'));
      expect(warnings).toEqual([
        `${dataDir} is open to other users (mode 0755); restrict it with: chmod 0700 ${dataDir}`,
        `${path.join(dataDir, 'secret')} is open to other users (mode 0644); restrict it with: chmod 0600 ${path.join(dataDir, 'secret')}`,
      ]);
      // A deliberate mode is the administrator's to change; what this start created is private.
      expect(modeOf(dataDir).toString(8)).toBe('755');
      expect(modeOf(path.join(dataDir, 'tessera.db')).toString(8)).toBe('600');
    } finally {
      await server.close();
    }
  });
});
