import { createVerifier, type Verifier } from '@tessera/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/harness.ts';
import { createToken, revokeToken, startRelay } from './fixtures.ts';

const TTL = 10_000;

describe('the SDK verifier answers from Tessera and caches yes and no', () => {
  let t: TestServer;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let verifier: Verifier;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
    relay = await startRelay(t.url);
  });
  afterAll(async () => {
    await relay?.close();
    await t?.close();
  });
  beforeEach(() => {
    // The SDK reads the same manual clock as the server: tokens expire and cache entries age together.
    verifier = createVerifier({
      baseUrl: relay.url,
      cacheTtlMs: TTL,
      maxEntries: 100,
      now: () => t.clock.now(),
    });
    relay.requests = 0;
  });

  it('answers valid with the identity Tessera gave, then the same from the cache without a request', async () => {
    const created = await createToken(t, { permissions: ['subscription:execute', 'semantic-model:refresh'] });
    const first = await verifier.verify(created.token, { permission: 'subscription:execute' });
    expect(first).toEqual({
      status: 'valid',
      valid: true,
      cached: false,
      identity: {
        tokenId: created.id,
        kind: 'api',
        userId: created.userId,
        tenantId: 'default',
        permissions: ['subscription:execute', 'semantic-model:refresh'],
        resources: [],
        departmentId: null,
        userTypeId: null,
        expiresAt: created.expiresAt,
      },
    });
    const second = await verifier.verify(created.token, { permission: 'subscription:execute' });
    expect(second).toEqual({ ...first, cached: true });
    expect(relay.requests).toBe(1);
    expect(verifier.stats).toMatchObject({ hits: 1, misses: 1 });
  });

  it('caches a refusal with its reason code', async () => {
    const created = await createToken(t, { permissions: ['subscription:execute'] });
    const first = await verifier.verify(created.token, { permission: 'semantic-model:refresh' });
    expect(first).toMatchObject({
      status: 'invalid',
      valid: false,
      code: 'PERMISSION_DENIED',
      cached: false,
    });
    expect(first.status === 'invalid' && first.message).toMatch(/permission/);
    const second = await verifier.verify(created.token, { permission: 'semantic-model:refresh' });
    expect(second).toMatchObject({ status: 'invalid', code: 'PERMISSION_DENIED', cached: true });
    expect(relay.requests).toBe(1);
  });

  it('keys the cache by token and request: a yes for one permission or resource is not a yes for another', async () => {
    const created = await createToken(t, { resources: ['subscription:7'] });
    expect((await verifier.verify(created.token, { resource: 'subscription:7' })).status).toBe('valid');
    expect(await verifier.verify(created.token, { resource: 'subscription:8' })).toMatchObject({
      code: 'RESOURCE_DENIED',
      cached: false,
    });
    expect(await verifier.verify(created.token, { permission: 'semantic-model:refresh' })).toMatchObject({
      code: 'PERMISSION_DENIED',
      cached: false,
    });
    expect(relay.requests).toBe(3);
  });

  it('asks again once the TTL has passed', async () => {
    const created = await createToken(t);
    await verifier.verify(created.token);
    t.clock.advance(TTL - 1);
    expect((await verifier.verify(created.token)).status === 'valid').toBe(true);
    expect(relay.requests).toBe(1);
    t.clock.advance(2);
    expect(await verifier.verify(created.token)).toMatchObject({ status: 'valid', cached: false });
    expect(relay.requests).toBe(2);
  });

  it('refuses a revoked token once the cached yes has aged out', async () => {
    const created = await createToken(t);
    expect((await verifier.verify(created.token)).status).toBe('valid');
    await revokeToken(t, created.id);
    // Within the TTL the process still trusts its cached answer: the documented cost of the cache.
    expect(await verifier.verify(created.token)).toMatchObject({ status: 'valid', cached: true });
    t.clock.advance(TTL + 1);
    expect(await verifier.verify(created.token)).toMatchObject({
      status: 'invalid',
      code: 'TOKEN_REVOKED',
      cached: false,
    });
    verifier.clear();
    expect(await verifier.verify(created.token)).toMatchObject({ code: 'TOKEN_REVOKED', cached: false });
  });

  it('never keeps a yes past the token expiry, whatever the TTL', async () => {
    const long = createVerifier({
      baseUrl: relay.url,
      cacheTtlMs: 90 * 86_400_000,
      now: () => t.clock.now(),
    });
    const created = await createToken(t, { expiresInDays: 1 });
    expect((await long.verify(created.token)).status).toBe('valid');
    t.clock.set(Date.parse(created.expiresAt) + 1);
    expect(await long.verify(created.token)).toMatchObject({ code: 'TOKEN_EXPIRED', cached: false });
    t.adminToken = await t.login('admin', ADMIN_PASSWORD); // the day also ended the admin's session
  });

  it('holds at most maxEntries answers, dropping the least recently used', async () => {
    const small = createVerifier({
      baseUrl: relay.url,
      cacheTtlMs: TTL,
      maxEntries: 2,
      now: () => t.clock.now(),
    });
    const [a, b, c] = [await createToken(t), await createToken(t), await createToken(t)];
    await small.verify(a.token);
    await small.verify(b.token);
    await small.verify(a.token); // a is now the most recently used
    await small.verify(c.token); // evicts b
    expect(relay.requests).toBe(3);
    expect((await small.verify(a.token)).status === 'valid' && relay.requests).toBe(3);
    expect(await small.verify(b.token)).toMatchObject({ status: 'valid', cached: false });
    expect(relay.requests).toBe(4);
  });

  it('sends one request for concurrent checks of the same token', async () => {
    const created = await createToken(t);
    const results = await Promise.all(Array.from({ length: 10 }, () => verifier.verify(created.token)));
    expect(results.every((result) => result.status === 'valid')).toBe(true);
    expect(relay.requests).toBe(1);
  });

  it('does not cache at all with cacheTtlMs 0', async () => {
    const uncached = createVerifier({ baseUrl: relay.url, cacheTtlMs: 0 });
    const created = await createToken(t);
    await uncached.verify(created.token);
    await uncached.verify(created.token);
    expect(relay.requests).toBe(2);
  });
});
