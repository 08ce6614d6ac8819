import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from './support/harness.ts';

const run = promisify(execFile);

/** The first shell block under "Quickstart with curl" in the README, exactly as a reader would paste it. */
function quickstartScript(): string {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Quickstart with curl'));
  const match = /```sh\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error('README has no quickstart shell block');
  return match[1];
}

describe('the README quickstart', () => {
  let t: TestServer;
  let cwd: string;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
    cwd = mkdtempSync(path.join(tmpdir(), 'tessera-readme-'));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('works as written: sign in, create, verify, revoke, see it fail', async () => {
    const script = quickstartScript()
      .replace('BASE=http://127.0.0.1:8080', `BASE=${t.url}`)
      .replace('<the printed password>', ADMIN_PASSWORD);
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { cwd });
    const lines = stdout.trim().split('\n');
    expect(
      lines.some((l) => l.includes('"valid":true') && l.includes('"permissions":["subscription:execute"]')),
    ).toBe(true);
    expect(lines).toContain('204');
    expect(lines.at(-1)).toContain('"code":"TOKEN_REVOKED"');
  });
});
