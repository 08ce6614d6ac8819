import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, startCluster, until, verify } from './cluster.ts';

/**
 * Two server processes on one real PostgreSQL, each caching tokens for 60 s: a revocation on one node is
 * refused on the other through LISTEN/NOTIFY, long before the cache TTL could explain it.
 */
describe('revocation across nodes', () => {
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  // Far below the 60 s TTL; the notification itself takes milliseconds (see the README).
  const DEADLINE_MS = 5000;

  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('a token revoked on node A is refused on node B, which had it cached as valid', async () => {
    const { a, b } = cluster;
    const { id, token } = await createToken(a);
    expect((await verify(b, token)).body).toMatchObject({ valid: true, tokenId: id });
    expect((await verify(b, token)).body).toMatchObject({ valid: true }); // now from B's cache

    expect((await a.api('DELETE', `/api/tokens/${id}`, { token: a.adminToken })).status).toBe(204);

    await until(async () => (await verify(b, token)).body.valid === false, DEADLINE_MS, 'B refuses');
    expect((await verify(b, token)).body).toMatchObject({ valid: false, code: 'TOKEN_REVOKED' });
  });

  it('a node does not announce again what it heard from another (no ping-pong)', async () => {
    const { a, b, postgres } = cluster;
    const heard: string[] = [];
    postgres.admin.on('notification', (message) => heard.push(message.payload ?? ''));
    await postgres.admin.query('listen tessera_cache');
    try {
      const first = await createToken(a);
      const second = await createToken(a);
      await verify(b, first.token);
      expect((await a.api('DELETE', `/api/tokens/${first.id}`, { token: a.adminToken })).status).toBe(204);
      await until(async () => (await verify(b, first.token)).body.valid === false, DEADLINE_MS, 'B refuses');
      // B has handled the first message; an echo of it would come before A's next one.
      expect((await a.api('DELETE', `/api/tokens/${second.id}`, { token: a.adminToken })).status).toBe(204);
      await until(async () => heard.length >= 2, DEADLINE_MS, 'two messages heard');
      expect(heard).toHaveLength(2);
      const senders = new Set(heard.map((payload) => payload.split(' ')[0]));
      expect(senders.size).toBe(1);
    } finally {
      await postgres.admin.query('unlisten tessera_cache');
    }
  });

  it('works both ways, and for a bulk revocation too large for one notification', async () => {
    const { a, b } = cluster;
    // 200 hashes of 43 characters do not fit one 8000-byte payload: they go out in two messages.
    const tokens: { id: string; token: string }[] = [];
    for (let i = 0; i < 200; i += 20) {
      tokens.push(
        ...(await Promise.all(Array.from({ length: 20 }, (_, j) => createToken(b, `bulk ${i + j}`)))),
      );
    }
    for (let i = 0; i < tokens.length; i += 50) {
      const answers = await Promise.all(tokens.slice(i, i + 50).map((t) => verify(a, t.token)));
      expect(answers.every((r) => r.body.valid === true)).toBe(true);
    }

    const revoke = await b.api('POST', '/api/tokens/_revoke', {
      token: b.adminToken,
      body: { ids: tokens.map((t) => t.id) },
    });
    expect(revoke.status).toBe(200);

    const stillValid = async () => {
      const answers = await Promise.all(tokens.map((t) => verify(a, t.token)));
      return answers.filter((r) => r.body.valid !== false).length;
    };
    await until(async () => (await stillValid()) === 0, DEADLINE_MS, 'A refuses all 200');
  });

  it('a role change on one node makes the other re-read every token (one "all" message)', async () => {
    const { a, b } = cluster;
    const created = await a.api('POST', '/api/users', {
      token: a.adminToken,
      body: { username: `runner${Date.now()}`, password: 'runner password 123', role: 'admin' },
    });
    expect(created.status).toBe(201);
    const userId = created.body.id;
    const issued = await a.api('POST', '/api/tokens', {
      token: a.adminToken,
      body: { name: 'as runner', permissions: ['settings:manage'], expiresInDays: 30, userId },
    });
    expect(issued.status).toBe(201);
    const check = () =>
      b.api('POST', '/api/verify', { body: { token: issued.body.token, permission: 'settings:manage' } });
    expect((await check()).body).toMatchObject({ valid: true });

    // Demoted: a member does not hold settings:manage, so the token loses it at its next use.
    const demoted = await a.api('PATCH', `/api/users/${userId}`, {
      token: a.adminToken,
      body: { role: 'member' },
    });
    expect(demoted.status).toBe(200);
    await until(async () => (await check()).body.valid === false, DEADLINE_MS, 'B sees the demotion');
    expect((await check()).body).toMatchObject({ valid: false, code: 'PERMISSION_DENIED' });
  });
});
