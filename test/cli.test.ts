import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.ts';
import { type Clock, DAY, ManualClock, systemClock } from '../src/core/clock.ts';
import { SETTINGS } from '../src/core/settings.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { openStore } from '../src/store/kysely/store.ts';
import { ADMIN_PASSWORD, type ApiResponse, START } from './support/harness.ts';

/** `tessera` as a user runs it: a real child process on a data dir of its own, with the server secret set. */
const BIN = fileURLToPath(new URL('../bin/tessera.js', import.meta.url));
const SECRET = 'cli-test-secret-cli-test-secret-0123456789';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tessera-cli-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The parent's environment without any TESSERA_* variable, so only what a test sets reaches the CLI. */
function childEnv(dir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('TESSERA_')));
  return { ...env, TESSERA_DATA_DIR: dir, TESSERA_SECRET: SECRET, ...extra };
}

function tessera(dir: string, args: string[], extra: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: childEnv(dir, extra) }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The service in this process on the same data dir (a manual clock unless told otherwise), with the verification cache off. */
async function serverOn(dir: string, clock: Clock = new ManualClock(START)) {
  const config = loadConfig(
    { TESSERA_SECRET: SECRET, TESSERA_CACHE_TTL_SECONDS: '0' },
    { port: 0, dataDir: dir, adminPassword: ADMIN_PASSWORD, logLevel: 'silent' },
  );
  const server: RunningServer = await startServer(config, { clock, logger: false });
  cleanups.push(() => server.close());
  const api = async (
    method: string,
    route: string,
    body?: unknown,
    token?: string,
  ): Promise<Pick<ApiResponse, 'status' | 'body'>> => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(server.url + route, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  const login = (username: string, password: string) =>
    api('POST', '/api/auth/login', { username, password });
  return { server, clock, api, login };
}

function match(text: string, pattern: RegExp): string {
  const found = pattern.exec(text);
  if (!found?.[1]) throw new Error(`no ${pattern} in:\n${text}`);
  return found[1];
}

describe('tessera CLI', () => {
  it('describes every command in its help', async () => {
    const dir = dataDir();
    const [top, admin, token, conf] = await Promise.all([
      tessera(dir, ['--help']),
      tessera(dir, ['admin', '--help']),
      tessera(dir, ['token', '--help']),
      tessera(dir, ['conf', '--help']),
    ]);
    expect(top.code).toBe(0);
    for (const command of ['serve', 'migrate', 'admin', 'token', 'conf'])
      expect(top.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    for (const command of ['create-user', 'reset-password']) expect(admin.stdout).toContain(command);
    for (const command of ['create', 'list', 'revoke'])
      expect(token.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    for (const command of ['list', 'get', 'set'])
      expect(conf.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    // --help only prints: it does not touch the data dir.
    expect(existsSync(path.join(dir, 'tessera.db'))).toBe(false);
  });

  it('migrates a fresh data dir, and again without harm', async () => {
    const dir = dataDir();
    const first = await tessera(dir, ['migrate']);
    expect(first).toMatchObject({ code: 0, stdout: expect.stringContaining('up to date') });
    const second = await tessera(dir, ['migrate']);
    expect(second.code).toBe(0);
    const store = await openStore({ sqlitePath: path.join(dir, 'tessera.db') });
    try {
      expect(await store.migrate()).toEqual([]);
      expect((await store.users.list('default', { limit: 1 })).items).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('refuses to start on an invalid environment value, naming the variable', async () => {
    const dir = dataDir();
    const [port, database] = await Promise.all([
      tessera(dir, ['migrate'], { TESSERA_PORT: 'abc' }),
      tessera(dir, ['migrate'], { TESSERA_DATABASE_URL: 'mysql://db/tessera' }),
    ]);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/TESSERA_PORT.*abc/);
    expect(port.stderr).not.toMatch(/\n\s+at /);
    expect(database.code).toBe(2);
    expect(database.stderr).toContain('TESSERA_DATABASE_URL');
    expect(existsSync(path.join(dir, 'tessera.db'))).toBe(false);
  });

  it('shows the generated admin password when a command is the first to touch the data dir', async () => {
    const dir = dataDir();
    const run = await tessera(dir, ['conf', 'get', 'authentication.token.refresh_token_lifespan']);
    // The value alone on stdout, for scripts; the one-time password on stderr.
    expect(run).toMatchObject({ code: 0, stdout: '60\n' });
    const password = match(run.stderr, /Admin password \(shown only this once\): (\S+)/);
    const { login } = await serverOn(dir);
    expect((await login('admin', password)).status).toBe(200);
  });

  it('creates a user, printing a generated password once, which signs in', async () => {
    const dir = dataDir();
    const created = await tessera(dir, [
      'admin',
      'create-user',
      'Alice',
      '--role',
      'admin',
      '--email',
      'alice@example.com',
    ]);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/Created admin alice \(id \d+\)/);
    const password = match(created.stdout, /Password \(shown once\): (\S+)/);

    const again = await tessera(dir, ['admin', 'create-user', 'alice']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('alice is taken');
    expect(again.stdout).not.toContain('Password');

    const { login } = await serverOn(dir);
    const session = await login('alice', password);
    expect(session.status).toBe(200);
    expect(session.body.user).toMatchObject({ username: 'alice', role: 'admin', email: 'alice@example.com' });
  });

  it('resets a password: the new one signs in and the old one no longer does', async () => {
    const dir = dataDir();
    const { api, login } = await serverOn(dir);
    const admin = (await login('admin', ADMIN_PASSWORD)).body.token;
    const old = 'old-password-123';
    expect((await api('POST', '/api/users', { username: 'carol', password: old }, admin)).status).toBe(201);

    const reset = await tessera(dir, ['admin', 'reset-password', 'carol']);
    expect(reset.code).toBe(0);
    const fresh = match(reset.stdout, /New password \(shown once\): (\S+)/);
    expect(fresh).not.toBe(old);
    expect((await login('carol', fresh)).status).toBe(200);
    expect((await login('carol', old)).status).toBe(401);
  });

  it('creates a token that verifies, lists it, and revokes it so that it is refused', async () => {
    const dir = dataDir();
    // The CLI stamps creation and revocation with the real time, so the service must read the same clock.
    const { api, login } = await serverOn(dir, systemClock);
    const admin = (await login('admin', ADMIN_PASSWORD)).body.token;
    expect(
      (await api('POST', '/api/users', { username: 'bob', password: 'bob-password-1' }, admin)).status,
    ).toBe(201);

    const created = await tessera(dir, [
      'token',
      'create',
      '--name',
      'nightly export',
      '--user',
      'bob',
      '--permissions',
      'subscription:execute,semantic-model:refresh',
      '--expires-in-days',
      '90',
    ]);
    expect(created.code).toBe(0);
    const id = match(created.stdout, /Created token ([0-9a-f-]{36})/);
    const token = match(created.stdout, /Token \(shown once, copy it now\): (tsr_api_\S+)/);

    const verify = () => api('POST', '/api/verify', { token, permission: 'semantic-model:refresh' });
    expect((await verify()).body).toMatchObject({
      valid: true,
      tokenId: id,
      permissions: ['subscription:execute', 'semantic-model:refresh'],
    });
    const inspected = (await api('GET', `/api/tokens/${id}`, undefined, admin)).body;
    expect(inspected).toMatchObject({ name: 'nightly export', kind: 'api', user: { username: 'bob' } });
    expect(Date.parse(inspected.expiresAt) - Date.parse(inspected.createdAt)).toBe(90 * DAY);

    const [listed, refused] = await Promise.all([
      tessera(dir, ['token', 'list']),
      tessera(dir, [
        'token',
        'create',
        '--name',
        'too much',
        '--user',
        'bob',
        '--permissions',
        'users:write',
      ]),
    ]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${id}.*nightly export.*active`));
    expect(listed.stdout).not.toContain(token);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/users:write/);

    const revoked = await tessera(dir, ['token', 'revoke', id]);
    expect(revoked).toMatchObject({ code: 0, stdout: expect.stringContaining('Revoked 1 token(s).') });
    expect((await verify()).body).toMatchObject({ valid: false, code: 'TOKEN_REVOKED' });
  });

  it('lists, reads and changes settings, refusing a bad key or value with a message naming the key', async () => {
    const dir = dataDir();
    const listed = await tessera(dir, ['conf', 'list']);
    expect(listed.code).toBe(0);
    for (const [key, def] of Object.entries(SETTINGS))
      expect(listed.stdout).toContain(`${key} = ${def.default}`);

    const lifespan = 'authentication.token.refresh_token_lifespan';
    const [set, badKey, badValue, badGet] = await Promise.all([
      tessera(dir, ['conf', 'set', lifespan, '180']),
      tessera(dir, ['conf', 'set', 'authentication.token.no_such_thing', '5']),
      tessera(dir, ['conf', 'set', 'feature_flags.enable_swagger', 'maybe']),
      tessera(dir, ['conf', 'get', 'no.such.key']),
    ]);
    expect(set).toMatchObject({ code: 0, stdout: `${lifespan} = 180\n` });
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toContain('authentication.token.no_such_thing');
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toMatch(/feature_flags\.enable_swagger: must be true or false/);
    expect(badGet.code).toBe(2);
    expect(badGet.stderr).toContain('no.such.key');

    const [got, flag] = await Promise.all([
      tessera(dir, ['conf', 'get', lifespan]),
      tessera(dir, ['conf', 'get', 'feature_flags.enable_swagger']),
    ]);
    expect(got).toMatchObject({ code: 0, stdout: '180\n' });
    expect(flag).toMatchObject({ code: 0, stdout: 'false\n' });
  });

  it('changes a lifespan on a running service without a restart', async () => {
    const dir = dataDir();
    const { api, login, clock } = await serverOn(dir);
    const admin = (await login('admin', ADMIN_PASSWORD)).body.token;
    const create = async (name: string) => {
      const response = await api(
        'POST',
        '/api/tokens',
        { name, permissions: ['subscription:execute'] },
        admin,
      );
      expect(response.status).toBe(201);
      return Date.parse(response.body.expiresAt);
    };
    expect(await create('before')).toBe(clock.now() + 30 * DAY);

    const set = await tessera(dir, ['conf', 'set', 'authentication.token.api_token_default_lifespan', '7']);
    expect(set.code).toBe(0);
    expect(await create('after')).toBe(clock.now() + 7 * DAY);
  });

  it('serves: prints where it listens and the first admin password, and answers health checks', async () => {
    const dir = dataDir();
    const child: ChildProcess = spawn(process.execPath, [BIN, 'serve'], {
      env: childEnv(dir, { TESSERA_PORT: '0', TESSERA_LOG_LEVEL: 'warn' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    });

    let stdout = '';
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    const banner = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (chunk) => {
        stdout += chunk;
        if (/listening on http:\/\/\S+/.test(stdout) && /API reference/.test(stdout)) resolve(stdout);
      });
      exited.then((code) => reject(new Error(`serve exited with ${code}:\n${stdout}\n${stderr}`)));
    });

    const url = match(banner, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    const password = match(banner, /Admin password \(shown only this once\): (\S+)/);
    expect(url).not.toMatch(/:0$/);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    expect(login.status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
