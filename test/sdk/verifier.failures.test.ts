import { createVerifier } from '@tessera/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffDelay } from '../../packages/sdk/src/transport.ts';
import { generateToken } from '../../src/core/token-format.ts';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { closedPortUrl, createToken, startRelay, startSilentServer } from './fixtures.ts';

/** Small delays keep the suite quick; the backoff itself is not what these tests measure. */
const FAST = { backoffMs: 1, maxBackoffMs: 5 };

describe('the SDK fails closed when Tessera cannot answer', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
  });
  afterAll(() => t?.close());

  it('times out on a server that accepts the connection and never answers, retrying, then errors', async () => {
    const silent = await startSilentServer();
    try {
      const verifier = createVerifier({ baseUrl: silent.url, timeoutMs: 200, retries: 1, ...FAST });
      const result = await verifier.verify(generateToken('api'), { permission: 'subscription:execute' });
      expect(result).toMatchObject({ status: 'error', valid: false, code: 'TIMEOUT', attempts: 2 });
      expect(silent.requests).toBe(2);
    } finally {
      await silent.close();
    }
  });

  it('retries a refused connection and errors with NETWORK, never valid', async () => {
    const verifier = createVerifier({ baseUrl: await closedPortUrl(), retries: 2, ...FAST });
    const result = await verifier.verify(generateToken('api'));
    expect(result).toMatchObject({ status: 'error', valid: false, code: 'NETWORK', attempts: 3 });
    expect(result.status === 'error' && result.message).toMatch(/could not be reached/);
  });

  it('retries 5xx answers with backoff, then fails closed, and does not cache the failure', async () => {
    const relay = await startRelay(t.url, { failures: Number.POSITIVE_INFINITY, failStatus: 503 });
    try {
      const verifier = createVerifier({ baseUrl: relay.url, retries: 2, ...FAST });
      const created = await createToken(t);
      expect(await verifier.verify(created.token)).toMatchObject({
        status: 'error',
        code: 'SERVER_ERROR',
        attempts: 3,
      });
      expect(relay.requests).toBe(3);
      expect((await verifier.verify(created.token)).status).toBe('error');
      expect(relay.requests).toBe(6);
    } finally {
      await relay.close();
    }
  });

  it('recovers when a retry reaches a Tessera that is back', async () => {
    const relay = await startRelay(t.url, { failures: 2, failStatus: 502 });
    try {
      const verifier = createVerifier({ baseUrl: relay.url, retries: 2, ...FAST });
      const created = await createToken(t);
      expect(await verifier.verify(created.token)).toMatchObject({ status: 'valid', cached: false });
      expect(relay.requests).toBe(3);
    } finally {
      await relay.close();
    }
  });

  it('does not retry a 4xx: Tessera refused the question itself (here a permission over 100 characters)', async () => {
    const relay = await startRelay(t.url);
    try {
      const verifier = createVerifier({ baseUrl: relay.url, retries: 2, ...FAST });
      const created = await createToken(t);
      const result = await verifier.verify(created.token, { permission: 'x'.repeat(101) });
      expect(result).toMatchObject({ status: 'error', valid: false, code: 'BAD_RESPONSE', attempts: 1 });
      expect(result.status === 'error' && result.message).toMatch(/400.*permission/);
      expect(relay.requests).toBe(1);
    } finally {
      await relay.close();
    }
  });

  it('backs off exponentially with jitter: between half and all of a doubling delay, capped', () => {
    for (let retry = 1; retry <= 8; retry++) {
      const ceiling = Math.min(1_000, 50 * 2 ** (retry - 1));
      const delays = Array.from({ length: 50 }, () => backoffDelay(retry, 50, 1_000));
      expect(Math.min(...delays), `retry ${retry}`).toBeGreaterThanOrEqual(ceiling / 2);
      expect(Math.max(...delays), `retry ${retry}`).toBeLessThanOrEqual(ceiling);
      expect(new Set(delays).size, 'jittered').toBeGreaterThan(1);
    }
  });
});
