/**
 * The OAuth scenarios of `npm run bench`: access-token issuance from a refresh token, and introspection,
 * each as a ratio to oidc-provider (bench/peers/oidc-provider.ts) doing the nearest job in the same run.
 * An endpoint Tessera does not have yet makes its row say so instead of failing the run.
 */
import { randomBytes } from 'node:crypto';
import { JSON_HEADERS, type LoadSpec } from './load.ts';
import type { Child } from './processes.ts';
import {
  type Measurement,
  goal as meets,
  type PeerComparison,
  relative,
  type SkippedScenario,
} from './report.ts';

/** What the OAuth scenarios need from the orchestrator (bench/run.ts). */
export interface Bench {
  /** Starts a server child; `file` is relative to bench/. */
  start(name: string, file: string, env: NodeJS.ProcessEnv): Promise<Child>;
  measure(name: string, child: Child, spec: RequestSpec): Promise<Measurement>;
  /** A fresh Tessera environment; its admin password is TESSERA_ADMIN_PASSWORD. */
  tesseraEnv(extra: Record<string, string>): NodeJS.ProcessEnv;
  log(message: string): void;
}

export type RequestSpec = Omit<LoadSpec, 'connections' | 'durationSeconds'>;
export type OAuthRow = (Measurement & { vsPeer?: PeerComparison }) | SkippedScenario;

const GOALS = { issuance: 3, introspection: 5 };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const PEER_CLIENT_ID = 'bench-client';
const SETUP_TIMEOUT_MS = 15_000;
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const has = (text: string) => (body: string) => body.includes(text);
/** RFC 6749 §2.3.1: id and secret are form-encoded, then joined and base64-encoded. */
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** An endpoint the service does not have yet: the scenario is skipped, the run goes on. */
class Unavailable extends Error {}

interface Answer {
  status: number;
  body: string;
}

/** Sends one request of a spec; a server that does not answer in time fails the scenario, not the run. */
async function send(what: string, spec: RequestSpec): Promise<Answer> {
  const body = typeof spec.body === 'string' ? spec.body : spec.body();
  const headers = spec.headers ?? JSON_HEADERS;
  try {
    const signal = AbortSignal.timeout(SETUP_TIMEOUT_MS);
    const response = await fetch(spec.url, { method: 'POST', headers, body, signal });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    const { name, message, cause } = error as Error;
    if (name === 'TimeoutError') throw new Error(`${what}: no answer in ${SETUP_TIMEOUT_MS / 1000} s`);
    throw new Error(`${what}: ${message}${cause instanceof Error ? ` (${cause.message})` : ''}`);
  }
}

/**
 * Tessera's answer to a path it has no route for: its not-found handler (`ROUTE_NOT_FOUND`, or under /oauth
 * an RFC 6749 body saying "No endpoint …"), or Fastify's own. A 404 for a missing token is not one.
 */
const routeMissing = (answer: Answer) =>
  answer.status === 404 && /ROUTE_NOT_FOUND|No endpoint \w+ \S+|Route \w+:\S+ not found/.test(answer.body);

/** Sends a request that must succeed; a missing route throws Unavailable, any other failure an Error. */
async function must(what: string, spec: RequestSpec): Promise<Record<string, unknown>> {
  const answer = await send(what, spec);
  if (routeMissing(answer)) throw new Unavailable(what);
  if (answer.status >= 300 || !spec.expect(answer.body))
    throw new Error(`${what}: ${answer.status} ${answer.body.slice(0, 300)}`);
  return JSON.parse(answer.body) as Record<string, unknown>;
}

const jsonPost = (url: string, body: unknown, bearer?: string): RequestSpec => ({
  url,
  headers: { ...JSON_HEADERS, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
  body: JSON.stringify(body),
  expect: () => true,
});

/** A Tessera child with a signed-in admin and a refresh token of the admin's (seed 003). */
async function tessera(bench: Bench, name: string) {
  const env = bench.tesseraEnv({});
  const child = await bench.start(name, 'servers/tessera.ts', env);
  try {
    const { url } = child.ready;
    const password = env.TESSERA_ADMIN_PASSWORD!;
    const login = await must(
      'POST /api/auth/login',
      jsonPost(`${url}/api/auth/login`, { username: 'admin', password }),
    );
    const refresh = await must(
      'POST /integration/v1/createRefreshToken/',
      jsonPost(`${url}/integration/v1/createRefreshToken/`, { username: 'admin', password, name: 'bench' }),
    );
    return {
      child,
      url,
      session: String(login.token),
      refreshToken: String(refresh.refresh_token),
      userId: Number(refresh.user_id),
    };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

/**
 * How this Tessera mints an access token from a refresh token: `POST /oauth/token`, or seed 003's
 * `createAPIAccessToken/` while that is missing. Returns the request and one token it minted.
 */
async function issuance(url: string, refreshToken: string, userId: number) {
  const oauth: RequestSpec = {
    url: `${url}/oauth/token`,
    headers: FORM,
    body: form({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    expect: has('"access_token"'),
  };
  try {
    const minted = await must('POST /oauth/token', oauth);
    return { spec: oauth, token: String(minted.access_token), note: '' };
  } catch (error) {
    if (!(error instanceof Unavailable)) throw error;
  }
  const seed: RequestSpec = {
    url: `${url}/integration/v1/createAPIAccessToken/`,
    headers: JSON_HEADERS,
    body: JSON.stringify({ refresh_token: refreshToken, user_id: userId }),
    expect: has('"api_access_token"'),
  };
  const minted = await must('POST /oauth/token and POST /integration/v1/createAPIAccessToken/', seed);
  const note = 'fallback: POST /integration/v1/createAPIAccessToken/ (POST /oauth/token not available yet)';
  return { spec: seed, token: String(minted.api_access_token), note };
}

/** The introspection caller: a client registered with `tokens:introspect` (Basic), else a Bearer token. */
async function introspector(url: string, session: string) {
  const permissions = ['tokens:introspect'];
  try {
    const client = await must(
      'POST /api/clients',
      jsonPost(`${url}/api/clients`, { name: 'bench-resource-server', permissions }, session),
    );
    return {
      authorization: basic(String(client.client_id), String(client.client_secret)),
      how: 'Basic client',
    };
  } catch (error) {
    if (!(error instanceof Unavailable)) throw error;
  }
  const created = await must(
    'POST /api/tokens',
    jsonPost(`${url}/api/tokens`, { name: 'bench-introspect', permissions, expiresInDays: 30 }, session),
  );
  return { authorization: `Bearer ${String(created.token)}`, how: 'Bearer tokens:introspect' };
}

async function tesseraIssuance(bench: Bench): Promise<Measurement> {
  const t = await tessera(bench, 'oauth-issuance');
  try {
    const { spec, note } = await issuance(t.url, t.refreshToken, t.userId);
    const path = new URL(spec.url).pathname;
    const result = await bench.measure(
      `Tessera access token from a refresh token (POST ${path})`,
      t.child,
      spec,
    );
    if (note) result.notes.unshift(note);
    return result;
  } finally {
    await t.child.stop();
  }
}

async function tesseraIntrospection(bench: Bench): Promise<Measurement> {
  const t = await tessera(bench, 'oauth-introspection');
  try {
    const { token, note } = await issuance(t.url, t.refreshToken, t.userId);
    const caller = await introspector(t.url, t.session);
    const spec: RequestSpec = {
      url: `${t.url}/oauth/introspect`,
      headers: { ...FORM, authorization: caller.authorization },
      body: form({ token }),
      expect: has('"active":true'),
    };
    await must('POST /oauth/introspect', spec);
    const name = `Tessera introspection (POST /oauth/introspect, ${caller.how})`;
    const result = await bench.measure(name, t.child, spec);
    if (note) result.notes.unshift(`token minted by ${note.replace('fallback: ', '')}`);
    return result;
  } finally {
    await t.child.stop();
  }
}

/** oidc-provider with one client_credentials client; gives its token request and the client's Basic header. */
async function peer(bench: Bench, name: string) {
  const secret = randomBytes(24).toString('base64url');
  const env = { ...process.env, BENCH_PEER_CLIENT_ID: PEER_CLIENT_ID, BENCH_PEER_CLIENT_SECRET: secret };
  const child = await bench.start(name, 'peers/oidc-provider.ts', env);
  const authorization = basic(PEER_CLIENT_ID, secret);
  const tokenRequest: RequestSpec = {
    url: `${child.ready.url}/token`,
    headers: { ...FORM, authorization },
    body: form({ grant_type: 'client_credentials', scope: 'api:read' }),
    expect: has('"access_token"'),
  };
  return { child, authorization, tokenRequest };
}

async function peerIssuance(bench: Bench): Promise<Measurement> {
  const p = await peer(bench, 'peer-issuance');
  try {
    const name = 'oidc-provider client_credentials (POST /token)';
    return await bench.measure(name, p.child, p.tokenRequest);
  } finally {
    await p.child.stop();
  }
}

async function peerIntrospection(bench: Bench): Promise<Measurement> {
  const p = await peer(bench, 'peer-introspection');
  try {
    const minted = await must('oidc-provider POST /token', p.tokenRequest);
    const spec: RequestSpec = {
      url: `${p.child.ready.url}/token/introspection`,
      headers: { ...FORM, authorization: p.authorization },
      body: form({ token: String(minted.access_token) }),
      expect: has('"active":true'),
    };
    return await bench.measure(
      'oidc-provider introspection (POST /token/introspection, Basic client)',
      p.child,
      spec,
    );
  } finally {
    await p.child.stop();
  }
}

/** Runs a Tessera scenario and compares it with the peer's; a missing endpoint or a failure becomes its row. */
async function compared(
  bench: Bench,
  scenario: string,
  run: () => Promise<Measurement>,
  peerResult: Measurement,
  goal: number,
): Promise<OAuthRow> {
  try {
    const result = await run();
    const ratio = relative(result) / relative(peerResult);
    return {
      ...result,
      vsPeer: { peer: peerResult.scenario, ratio, goal },
      goal: meets(`≥ ${goal}× peer`, ratio, goal, 'min'),
    };
  } catch (error) {
    const unavailable = error instanceof Unavailable;
    const reason = unavailable
      ? `skipped: endpoint not available yet (${error.message})`
      : `failed: ${(error as Error).message}`;
    bench.log(`${scenario}: ${reason}`);
    if (!unavailable) process.exitCode = 1;
    return { scenario, skipped: reason };
  }
}

/** The four OAuth rows: each peer run, then Tessera's counterpart with its ratio to it. */
export async function oauthScenarios(bench: Bench): Promise<OAuthRow[]> {
  const peerIssue = await peerIssuance(bench);
  const issue = await compared(
    bench,
    'Tessera access token from a refresh token',
    () => tesseraIssuance(bench),
    peerIssue,
    GOALS.issuance,
  );
  const peerIntrospect = await peerIntrospection(bench);
  const introspect = await compared(
    bench,
    'Tessera introspection (POST /oauth/introspect)',
    () => tesseraIntrospection(bench),
    peerIntrospect,
    GOALS.introspection,
  );
  return [peerIssue, issue, peerIntrospect, introspect];
}
