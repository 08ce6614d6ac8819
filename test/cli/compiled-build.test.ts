import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '../../scripts/build-server.ts';
import { isStale } from '../../scripts/staleness.js';
import { spawnService } from '../support/spawned-service.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const CONSOLE_MARKER = '<!doctype html><title>console from the checkout</title>';

/** The parent's environment without any TESSERA_* variable, plus what a test sets. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('TESSERA_')));
  return { ...env, TESSERA_SECRET: 'compiled-test-secret-compiled-test-secret-01', ...extra };
}

/**
 * A checkout of its own, laid out as `npm start` leaves one: package.json, node_modules (a link to this
 * one's), a built console, and the server built by `scripts/build-server.ts --outdir` into dist/.
 */
let checkout: string;
let bundle: string;
beforeAll(async () => {
  checkout = mkdtempSync(path.join(tmpdir(), 'tessera-compiled-'));
  writeFileSync(path.join(checkout, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(path.join(root, 'node_modules'), path.join(checkout, 'node_modules'), 'dir');
  mkdirSync(path.join(checkout, 'console/dist'), { recursive: true });
  writeFileSync(path.join(checkout, 'console/dist/index.html'), CONSOLE_MARKER);
  await run(
    process.execPath,
    ['--import', 'tsx', 'scripts/build-server.ts', '--outdir', path.join(checkout, 'dist')],
    { cwd: root },
  );
  bundle = path.join(checkout, 'dist/tessera.js');
}, 60_000);
afterAll(() => rmSync(checkout, { recursive: true, force: true }));

describe('the compiled server (dist/tessera.js, run by plain node)', () => {
  it('runs with the service node flags wherever it is started: npm start, the tessera command', () => {
    const start = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start;
    const shebang = readFileSync(path.join(root, 'bin/tessera.js'), 'utf8').split('\n', 1)[0];
    const flags = SERVER_NODE_FLAGS.join(' ');
    expect(start).toBe(`node ${flags} bin/tessera.js serve`);
    expect(shebang).toBe(`#!/usr/bin/env -S node ${flags}`);
  });

  it('is one bundle with a source map that names the TypeScript sources', () => {
    expect(existsSync(bundle)).toBe(true);
    const map = JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as { sources: string[] };
    const sources = map.sources.map((source) => path.resolve(path.dirname(bundle), source));
    expect(sources).toContain(path.join(root, 'src/cli/main.ts'));
    expect(sources).toContain(path.join(root, 'src/http/routes/verify.ts'));
  });

  it('serves: prints the sign-in message, answers /healthz and finds the console from dist/', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tessera-compiled-data-'));
    const service = await spawnService(
      'compiled tessera serve',
      [bundle, 'serve', '--port', '0'],
      childEnv({ TESSERA_DATA_DIR: dataDir, TESSERA_LOG_LEVEL: 'warn' }),
      /Tessera is listening on (http:\/\/\S+)/,
    );
    try {
      const health = await fetch(`${service.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', database: 'sqlite' });
      const page = await fetch(`${service.url}/`, { headers: { accept: 'text/html' } });
      expect(await page.text()).toBe(CONSOLE_MARKER);
      expect(service.output()).toMatch(/Admin password \(shown only this once\): \S{20}/);
      expect(service.output()).toContain(`Sign in to the console at ${service.url}/ as "admin"`);
    } finally {
      await service.stop();
    }
    // The other commands work from the bundle too, on the data dir the server left.
    const created = await run(process.execPath, [bundle, 'admin', 'create-user', 'bob'], {
      env: childEnv({ TESSERA_DATA_DIR: dataDir }),
    });
    expect(created.stdout).toMatch(/^Created member bob \(id \d+\)\.\nPassword \(shown once\): \S{20}\n$/);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('has the same commands and options as the TypeScript sources', { timeout: 90_000 }, async () => {
    for (const args of [['--help'], ['serve', '--help'], ['token', 'create', '--help']]) {
      const compiled = await run(process.execPath, [bundle, ...args], { env: childEnv({}) });
      const sources = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
        cwd: root,
        env: childEnv({}),
      });
      expect(compiled.stdout).toBe(sources.stdout);
    }
  });
});

describe('staleness (bin/tessera.js runs dist/ only when no file under src/ is newer)', () => {
  const at = (file: string, seconds: number) => utimesSync(file, seconds, seconds);

  it('is stale when the output is missing, or a file or directory under the sources is newer', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tessera-stale-'));
    try {
      const output = path.join(dir, 'out.js');
      const sources = path.join(dir, 'src');
      mkdirSync(path.join(sources, 'deep'), { recursive: true });
      const source = path.join(sources, 'deep/a.ts');
      writeFileSync(source, '');
      expect(isStale(output, [sources])).toBe(true);

      writeFileSync(output, '');
      for (const file of [source, path.join(sources, 'deep'), sources]) at(file, 1_000);
      at(output, 2_000);
      expect(isStale(output, [sources])).toBe(false);

      at(source, 3_000);
      expect(isStale(output, [sources])).toBe(true);

      at(source, 1_000);
      at(path.join(sources, 'deep'), 3_000); // a file was added or deleted there
      expect(isStale(output, [sources])).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
