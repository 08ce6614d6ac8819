import { type Static, type TSchema, Type } from 'typebox';
import { Value } from 'typebox/value';
import type { OutboundHttp, OutboundRequest, OutboundResult, ReportToken } from './cloud-port.ts';
import type { CloudRevoker } from './cloud-service.ts';
import { ERROR_CODES, type ErrorCode, TesseraError } from './errors.ts';
import type { Report } from './model.ts';
import { type OutboundPolicy, outboundPolicy } from './outbound-policy.ts';
import type { SettingsService } from './settings-service.ts';

/** A share token as the cloud's public API shows it (its listing and its `POST /api/tokens` answer). */
const CloudTokenJson = Type.Object({
  id: Type.String({ minLength: 1 }),
  token: Type.String({ minLength: 1 }),
  reportId: Type.Optional(Type.String()),
  cloud: Type.Optional(Type.Boolean()),
  name: Type.Optional(Type.String()),
  createdAt: Type.String(),
  expiresAt: Type.String(),
});
type CloudToken = Static<typeof CloudTokenJson>;

const CloudListingJson = Type.Object({ tokens: Type.Array(CloudTokenJson) });

/** The cloud's error body: `{ error: { code, message } }`. */
const CloudErrorJson = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.Optional(Type.String()) }),
});

/** Errors of the cloud about the caller's own input, passed on by code instead of as CLOUD_UNAVAILABLE. */
const INPUT_ERRORS = new Set(['VALIDATION_FAILED', 'EXPIRY_IN_PAST', 'EXPIRY_TOO_FAR']);

/** One tenant's cloud settings, read fresh on each call. */
interface CloudTarget {
  /** `cloud.url`: where the API is called. */
  base: string;
  /** `cloud.public_url` (or `cloud.url`): where share links point. */
  publicBase: string;
  apiToken: string;
  timeoutMs: number;
  /** The tenant's `outbound.*` rules, applied by the outbound client to the URL and every connection. */
  policy: OutboundPolicy;
  /** The URL to name in messages: `cloud.url` without any user or password in it. */
  label: string;
}

interface CloudAnswer {
  /** What was asked, for messages: `GET /api/reports/r/tokens`. */
  request: string;
  status: number;
  json: unknown;
}

/**
 * The cloud side of seed 001: another Tessera instance reached over its public API through the outbound
 * client, as the API token in `cloud.api_token`. Every request is bounded by `cloud.timeout_ms` and obeys the
 * `outbound.*` rules (OUTBOUND_REFUSED otherwise); every other failure (unreachable, timed out, an answer of
 * the wrong status or shape) becomes a CLOUD_UNAVAILABLE whose message names the cloud and what happened, and
 * never the API token nor anything the cloud's answer said.
 */
export class HttpCloudPublisher implements CloudRevoker {
  constructor(
    private readonly settings: SettingsService,
    private readonly http: OutboundHttp,
  ) {}

  async enabled(tenantId: string): Promise<boolean> {
    return (await this.target(tenantId)) !== null;
  }

  async tokens(tenantId: string, reportId: string): Promise<ReportToken[]> {
    const cloud = await this.required(tenantId);
    const answer = await this.call(cloud, 'GET', `/api/reports/${encodeURIComponent(reportId)}/tokens`);
    // The report was never published there: no cloud tokens, not an error.
    if (answer.status === 404 && errorCode(answer) === 'REPORT_NOT_FOUND') return [];
    const listing = expectBody(cloud, answer, [200], CloudListingJson, 'a token listing');
    // Only the cloud's own tokens: were the cloud publishing further, its cloud tokens are not ours to show.
    return listing.tokens
      .filter((t) => t.cloud !== true && (t.reportId === undefined || t.reportId === reportId))
      .map((t) => toReportToken(cloud, t, reportId));
  }

  async publish(
    tenantId: string,
    report: Report,
    input: { name?: string; expiresAt?: string },
  ): Promise<ReportToken> {
    const cloud = await this.required(tenantId);
    const body = {
      type: 'report',
      reportId: report.id,
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
    };
    let answer = await this.call(cloud, 'POST', '/api/tokens', body);
    if (errorCode(answer) === 'REPORT_NOT_FOUND') {
      await this.register(cloud, report);
      answer = await this.call(cloud, 'POST', '/api/tokens', body);
    }
    const refused = errorCode(answer);
    if (refused !== undefined && INPUT_ERRORS.has(refused)) {
      // The cloud's code, with this instance's own words for it: nothing the cloud wrote is passed on.
      const code = refused as ErrorCode;
      const field = fieldOf(code);
      throw new TesseraError(
        code,
        `${field ? `${field}: ` : ''}the cloud instance at ${cloud.label} refused it (${code}: ${ERROR_CODES[code].description})`,
        { field },
      );
    }
    return toReportToken(cloud, expectBody(cloud, answer, [200, 201], CloudTokenJson, 'a token'), report.id);
  }

  /**
   * Revokes one of the report's cloud tokens. Only a token the cloud lists for this report is revoked, so the
   * API token's `tokens:manage` cannot be turned against the cloud's other tokens (its own included).
   */
  async revoke(tenantId: string, reportId: string, tokenId: string): Promise<void> {
    const cloud = await this.required(tenantId);
    const notFound = () =>
      new TesseraError('TOKEN_NOT_FOUND', `The cloud has no active token ${tokenId} for report ${reportId}.`);
    if (!(await this.tokens(tenantId, reportId)).some((t) => t.id === tokenId)) throw notFound();
    const answer = await this.call(cloud, 'DELETE', `/api/tokens/${encodeURIComponent(tokenId)}`);
    if (answer.status === 404) throw notFound();
    if (answer.status < 200 || answer.status > 299) throw failed(cloud, answer);
  }

  /** Creates the report on the cloud; another publisher having just done so is as good. */
  private async register(cloud: CloudTarget, report: Report): Promise<void> {
    const answer = await this.call(cloud, 'POST', '/api/reports', {
      id: report.id,
      name: report.name,
      ...(report.description !== null ? { description: report.description } : {}),
      ...(report.viewerUrl !== null ? { viewerUrl: report.viewerUrl } : {}),
    });
    if (answer.status >= 200 && answer.status <= 299) return;
    if (errorCode(answer) === 'REPORT_EXISTS') return;
    throw failed(cloud, answer);
  }

  private async target(tenantId: string): Promise<CloudTarget | null> {
    const settings = await this.settings.get(tenantId);
    const base = settings['cloud.url'];
    if (!settings['cloud.enabled'] || base === '') return null;
    const apiToken = await this.settings.secret(tenantId, 'cloud.api_token');
    if (apiToken === '') return null;
    return {
      base,
      publicBase: settings['cloud.public_url'] || base,
      apiToken,
      timeoutMs: settings['cloud.timeout_ms'],
      policy: outboundPolicy(settings),
      label: withoutCredentials(base),
    };
  }

  private async required(tenantId: string): Promise<CloudTarget> {
    const cloud = await this.target(tenantId);
    if (cloud) return cloud;
    throw new TesseraError(
      'CLOUD_DISABLED',
      'Cloud publishing is off or not configured: set cloud.enabled, cloud.url and cloud.api_token.',
    );
  }

  private async call(cloud: CloudTarget, method: OutboundRequest['method'], path: string, body?: unknown) {
    const request = `${method} ${path}`;
    let url: URL;
    try {
      url = new URL(cloud.base + path);
    } catch {
      throw new TesseraError('OUTBOUND_REFUSED', `cloud.url ${cloud.label} is not a URL; set it again.`);
    }
    const result = await this.http.request({
      method,
      url,
      headers: {
        authorization: `Bearer ${cloud.apiToken}`,
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      timeoutMs: cloud.timeoutMs,
      policy: cloud.policy,
    });
    if (!result.ok) throw failure(cloud, result, request);
    let json: unknown;
    try {
      json = result.body === '' ? null : JSON.parse(result.body);
    } catch {
      json = undefined;
    }
    return { request, status: result.status, json } satisfies CloudAnswer;
  }
}

function toReportToken(cloud: CloudTarget, t: CloudToken, reportId: string): ReportToken {
  const createdAt = Date.parse(t.createdAt);
  const expiresAt = Date.parse(t.expiresAt);
  if (!Number.isFinite(createdAt) || !Number.isFinite(expiresAt))
    throw unavailable(cloud, 'answered a token with unreadable dates');
  return {
    id: t.id,
    type: 'report',
    reportId,
    token: t.token,
    cloud: true,
    url: `${cloud.publicBase}/view/${encodeURIComponent(t.token)}`,
    name: t.name ?? '',
    createdAt,
    expiresAt,
    href: `${cloud.base}/api/tokens/${encodeURIComponent(t.id)}`,
  };
}

/** The body of a successful answer, checked against its schema before anything in it is trusted. */
function expectBody<T extends TSchema>(
  cloud: CloudTarget,
  answer: CloudAnswer,
  statuses: number[],
  schema: T,
  what: string,
): Static<T> {
  if (!statuses.includes(answer.status)) throw failed(cloud, answer);
  if (!Value.Check(schema, answer.json))
    throw unavailable(cloud, `answered ${answer.status} to ${answer.request}, but not with ${what}`);
  return answer.json as Static<T>;
}

/** The code of the cloud's error answer, to act on; its message is never read. */
function errorCode(answer: CloudAnswer): string | undefined {
  if (answer.status < 400 || !Value.Check(CloudErrorJson, answer.json)) return undefined;
  return answer.json.error.code;
}

/** `answered 401 to GET /api/...`: the status only, never what the cloud wrote. */
function failed(cloud: CloudTarget, answer: CloudAnswer): TesseraError {
  return unavailable(cloud, `answered ${answer.status} to ${answer.request}`);
}

/** A request that got no answer: refused by the outbound rules, timed out, unreachable or too large. */
function failure(
  cloud: CloudTarget,
  result: Extract<OutboundResult, { ok: false }>,
  request: string,
): TesseraError {
  if (result.failure === 'refused') {
    return new TesseraError('OUTBOUND_REFUSED', `cloud.url ${cloud.label} is refused: ${result.detail}.`);
  }
  return unavailable(cloud, `${result.detail} on ${request}`);
}

function unavailable(cloud: CloudTarget, what: string): TesseraError {
  return new TesseraError('CLOUD_UNAVAILABLE', `The cloud instance at ${cloud.label} ${what}.`);
}

function fieldOf(code: ErrorCode): string | undefined {
  return code === 'EXPIRY_IN_PAST' || code === 'EXPIRY_TOO_FAR' ? 'expiresAt' : undefined;
}

function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.href.replace(/\/$/, '');
  } catch {
    return url;
  }
}
