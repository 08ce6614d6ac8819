import { createVerifier, tokenShape } from '@tessera/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateToken } from '../../src/core/token-format.ts';
import { startTestServer, type TestServer } from '../support/harness.ts';
import { closedPortUrl, createToken, startRelay } from './fixtures.ts';

/** Changes one character of the secret: same shape, wrong checksum. */
function typo(token: string): string {
  const at = 20;
  const swapped = token[at] === 'a' ? 'b' : 'a';
  return token.slice(0, at) + swapped + token.slice(at + 1);
}

describe('the SDK refuses what is not a Tessera token before any request', () => {
  let t: TestServer;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
    relay = await startRelay(t.url);
  });
  afterAll(async () => {
    await relay?.close();
    await t?.close();
  });
  beforeEach(() => {
    relay.requests = 0;
  });

  it('agrees with the server on every kind of token it generates', () => {
    for (const kind of ['api', 'pat', 'shr', 'rt', 'at', 'ses'] as const) {
      const token = generateToken(kind);
      expect(tokenShape(token), token).toBe('tessera');
      expect(tokenShape(typo(token)), typo(token)).toBe('malformed');
    }
    // A client secret is never a bearer token.
    expect(tokenShape(generateToken('cs'))).toBe('malformed');
  });

  it('answers TOKEN_MALFORMED for a typo, a random string or an empty one, with no request', async () => {
    const verifier = createVerifier({ baseUrl: relay.url });
    const created = await createToken(t);
    const bad = [
      '',
      'hello',
      typo(created.token),
      `${created.token}x`,
      created.token.slice(0, -1),
      'Bearer x',
    ];
    for (const token of bad) {
      expect(await verifier.verify(token), token).toMatchObject({
        status: 'invalid',
        valid: false,
        code: 'TOKEN_MALFORMED',
      });
    }
    expect(relay.requests).toBe(0);
    expect(verifier.stats.localRejections).toBe(bad.length);
    expect((await verifier.verify(created.token)).status).toBe('valid');
    expect(relay.requests).toBe(1);
  });

  it('does not need Tessera to refuse a malformed token: a closed port is never dialled', async () => {
    const verifier = createVerifier({ baseUrl: await closedPortUrl(), retries: 0 });
    expect(await verifier.verify(typo(generateToken('api')))).toMatchObject({ code: 'TOKEN_MALFORMED' });
    // The same verifier does dial for a well-formed token, and fails closed.
    expect(await verifier.verify(generateToken('api'))).toMatchObject({ status: 'error', code: 'NETWORK' });
  });

  it('passes a JWT-shaped string on to Tessera, which checks its signature', async () => {
    const verifier = createVerifier({ baseUrl: relay.url });
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    expect(tokenShape(jwt)).toBe('jwt');
    expect(await verifier.verify(jwt)).toMatchObject({ status: 'invalid', code: 'TOKEN_MALFORMED' });
    expect(relay.requests).toBe(1);
  });

  it('refuses a token of a kind the caller does not accept from its prefix, with no request', async () => {
    const verifier = createVerifier({ baseUrl: relay.url });
    const created = await createToken(t);
    expect(await verifier.verify(created.token, { kinds: ['shr'] })).toMatchObject({
      status: 'invalid',
      code: 'KIND_DENIED',
    });
    expect(relay.requests).toBe(0);
    expect((await verifier.verify(created.token, { kinds: ['api', 'pat'] })).status).toBe('valid');
  });
});
