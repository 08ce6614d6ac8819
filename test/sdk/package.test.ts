import { execFile } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { createToken, type Json } from './fixtures.ts';

/**
 * `@tessera/sdk` as npm publishes it: `npm pack` (its `prepack` builds dist/ with tsc) on a copy of the
 * package, the tarball unpacked into a fresh project the way `npm install` lays it out, then used from
 * plain Node.js (no tsx, no export conditions) and type-checked by a consumer's tsc.
 */

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SDK = path.join(REPO, 'packages/sdk');
const TSC = path.join(REPO, 'node_modules/typescript/bin/tsc');
/** What `npm install @tessera/sdk` would put beside it: its dependencies, and the peers a consumer brings. */
const BESIDE = ['lru-cache', 'fastify-plugin', 'fastify', 'express', '@types/node', '@types/express'];
/** Hoisted by npm in a real install; the SDK's Express types augment it. */
const HOISTED_TYPES = ['@types/express-serve-static-core'];

const run = promisify(execFile);
/** The environment of a fresh shell: nothing from the npm or vitest process that runs this test. */
const cleanEnv = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('npm_') && key !== 'NODE_OPTIONS'),
  ),
  npm_config_update_notifier: 'false',
};

/** Uses all three entry points with plain Node.js against a real Tessera and prints what it saw. */
const CONSUMER_JS = `
import { createVerifier } from '@tessera/sdk';
import { tesseraExpress } from '@tessera/sdk/express';
import { tesseraPlugin } from '@tessera/sdk/fastify';
import express from 'express';
import Fastify from 'fastify';

const token = process.env.TOKEN;
const verifier = createVerifier({ baseUrl: process.env.TESSERA_URL });
const valid = await verifier.verify(token, { permission: 'subscription:execute' });
const denied = await verifier.verify(token, { permission: 'semantic-model:refresh' });
const malformed = await verifier.verify('tsr_not-a-real-token');

const fastifyApp = Fastify();
await fastifyApp.register(tesseraPlugin, { verifier });
fastifyApp.get('/run', { onRequest: fastifyApp.requireToken({ permission: 'subscription:execute' }) },
  async (request) => request.tessera);
const fastifyUrl = (await fastifyApp.listen({ port: 0, host: '127.0.0.1' })) + '/run';
const fastifyOk = await fetch(fastifyUrl, { headers: { authorization: 'Bearer ' + token } });
const fastifyNone = await fetch(fastifyUrl);

const expressApp = express();
expressApp.get('/run', tesseraExpress(verifier).requireToken({ permission: 'subscription:execute' }),
  (req, res) => res.json(req.tessera));
const server = await new Promise((resolve) => { const s = expressApp.listen(0, '127.0.0.1', () => resolve(s)); });
const expressUrl = 'http://127.0.0.1:' + server.address().port + '/run';
const expressOk = await fetch(expressUrl, { headers: { TOKEN: token } });
const expressNone = await fetch(expressUrl + '?token=tsr_not-a-real-token');
server.close();
await fastifyApp.close();

console.log(JSON.stringify({
  resolved: [import.meta.resolve('@tessera/sdk'), import.meta.resolve('@tessera/sdk/fastify'),
    import.meta.resolve('@tessera/sdk/express')],
  valid, denied, malformed,
  fastify: [fastifyOk.status, await fastifyOk.json(), fastifyNone.status, await fastifyNone.json()],
  express: [expressOk.status, await expressOk.json(), expressNone.status, await expressNone.json()],
}));
`;

/** Type-checks against the packed .d.ts; the @ts-expect-error lines fail the check if the types were any. */
const CONSUMER_TS = `
import { createVerifier, type TokenIdentity, type VerifyResult } from '@tessera/sdk';
import { tesseraExpress } from '@tessera/sdk/express';
import { tesseraPlugin } from '@tessera/sdk/fastify';
import express from 'express';
import Fastify from 'fastify';

const verifier = createVerifier({ baseUrl: 'http://127.0.0.1:8080', cacheTtlMs: 5_000 });
const result: VerifyResult = await verifier.verify('tsr_x', { permission: 'subscription:execute' });
if (result.status === 'valid') {
  const permissions: string[] = result.identity.permissions;
  console.log(permissions);
}
// @ts-expect-error baseUrl is required
createVerifier({ cacheTtlMs: 5_000 });
// @ts-expect-error a result is valid, invalid or error
if (result.status === 'ok') console.log(result);

const app = Fastify();
await app.register(tesseraPlugin, { verifier });
app.get('/', { onRequest: app.requireToken({ permission: 'x' }) }, async (request) => {
  const identity: TokenIdentity | null = request.tessera;
  return identity;
});
const tessera = tesseraExpress(verifier);
express().get('/reports/:id', tessera.requireToken({ resource: (req) => 'report:' + req.params.id }), (req, res) => {
  const identity: TokenIdentity | undefined = req.tessera ?? res.locals.tessera;
  res.json(identity);
});
`;

const CONSUMER_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    types: ['node'],
    skipLibCheck: true,
  },
  files: ['consumer.ts'],
};

describe('@tessera/sdk as published: npm pack, then plain Node.js and tsc in a fresh project', () => {
  let t: TestServer;
  let tmp: string;
  let app: string;
  let entries: string[];

  beforeAll(async () => {
    t = await startTestServer('sqlite');
    tmp = mkdtempSync(path.join(tmpdir(), 'tessera-sdk-pack-'));

    // A copy of the package (without any dist/ of this checkout), so the test builds its own.
    const copy = path.join(tmp, 'sdk');
    cpSync(SDK, copy, {
      recursive: true,
      filter: (source) => !/^(dist|node_modules)(\/|$)/.test(path.relative(SDK, source)),
    });
    symlinkSync(path.join(REPO, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
    await run('npm', ['pack', '--pack-destination', tmp], { cwd: copy, env: cleanEnv });
    const tarball = path.join(tmp, readdirSync(tmp).find((name) => name.endsWith('.tgz')) ?? 'missing.tgz');
    entries = (await run('tar', ['-tzf', tarball])).stdout
      .split('\n')
      .filter(Boolean)
      .map((entry) => entry.replace(/^package\//, ''));

    app = path.join(tmp, 'app');
    const installed = path.join(app, 'node_modules/@tessera/sdk');
    mkdirSync(installed, { recursive: true });
    await run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
    for (const name of [...BESIDE, ...HOISTED_TYPES]) {
      mkdirSync(path.dirname(path.join(app, 'node_modules', name)), { recursive: true });
      symlinkSync(path.join(REPO, 'node_modules', name), path.join(app, 'node_modules', name), 'dir');
    }
    writeFileSync(path.join(app, 'package.json'), '{ "type": "module", "private": true }\n');
    writeFileSync(path.join(app, 'consumer.mjs'), CONSUMER_JS);
    writeFileSync(path.join(app, 'consumer.ts'), CONSUMER_TS);
    writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify(CONSUMER_TSCONFIG));
  }, 90_000);

  afterAll(async () => {
    await t?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('ships compiled JavaScript, declarations, the sources their maps point to, README and LICENSE, no tests', () => {
    for (const entry of ['index', 'fastify', 'express']) {
      expect(entries).toContain(`dist/${entry}.js`);
      expect(entries).toContain(`dist/${entry}.d.ts`);
    }
    expect(entries).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE']));
    const unexpected = entries.filter(
      (entry) =>
        !/^(dist\/|src\/|package\.json$|README\.md$|LICENSE$)/.test(entry) || /test|spec/.test(entry),
    );
    expect(unexpected).toEqual([]);
    for (const map of entries.filter((entry) => entry.endsWith('.d.ts.map'))) {
      const { sources } = JSON.parse(readFileSync(path.join(app, 'node_modules/@tessera/sdk', map), 'utf8'));
      for (const source of sources)
        expect(entries).toContain(path.posix.join(path.posix.dirname(map), source));
    }
  });

  it('keeps the TSDoc in the declarations', () => {
    const dist = path.join(app, 'node_modules/@tessera/sdk/dist');
    expect(readFileSync(path.join(dist, 'verifier.d.ts'), 'utf8')).toContain(
      '* Creates a verifier for one Tessera: checksum first',
    );
    expect(readFileSync(path.join(dist, 'fastify.d.ts'), 'utf8')).toContain('* The Fastify plugin:');
  });

  it('verifies a real token from plain Node.js through all three entry points', async () => {
    const created = await createToken(t);
    const { stdout } = await run(process.execPath, ['consumer.mjs'], {
      cwd: app,
      env: { ...cleanEnv, TESSERA_URL: t.url, TOKEN: created.token },
    });
    const seen: Json = JSON.parse(stdout);
    expect(seen.resolved.map((url: string) => path.relative(app, fileURLToPath(url)))).toEqual([
      'node_modules/@tessera/sdk/dist/index.js',
      'node_modules/@tessera/sdk/dist/fastify.js',
      'node_modules/@tessera/sdk/dist/express.js',
    ]);
    expect(seen.valid).toMatchObject({ status: 'valid', identity: { tokenId: created.id } });
    expect(seen.denied).toMatchObject({ status: 'invalid', code: 'PERMISSION_DENIED' });
    expect(seen.malformed).toMatchObject({ status: 'invalid', code: 'TOKEN_MALFORMED' });
    for (const framework of [seen.fastify, seen.express]) {
      expect(framework[0]).toBe(200);
      expect(framework[1]).toMatchObject({ tokenId: created.id, permissions: ['subscription:execute'] });
      expect(framework[2]).toBe(401);
      expect(framework[3].error.code).toMatch(/^TOKEN_/);
    }
  });

  it('type-checks a consumer against the packed declarations with tsc', async () => {
    const checked = await run(process.execPath, [TSC, '-p', app], { cwd: app, env: cleanEnv }).then(
      () => 'clean',
      (error: { stdout: string }) => error.stdout,
    );
    expect(checked).toBe('clean');
  });
});
