import { type Static, type TSchema, Type } from 'typebox';
import { Value } from 'typebox/value';
import type { ReportToken } from './cloud-port.ts';
import type { CloudRevoker } from './cloud-service.ts';
import { type ErrorCode, TesseraError } from './errors.ts';
import type { Report } from './model.ts';
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

/** Errors of the cloud about the caller's own input, passed on as they are instead of as CLOUD_UNAVAILABLE. */
const INPUT_ERRORS = new Set(['VALIDATION_FAILED', 'EXPIRY_IN_PAST', 'EXPIRY_TOO_FAR']);

/** One tenant's cloud settings, read fresh on each call. */
interface CloudTarget {
  /** `cloud.url`: where the API is called. */
  base: string;
  /** `cloud.public_url` (or `cloud.url`): where share links point. */
  publicBase: string;
  apiToken: string;
  timeoutMs: number;
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
 * The cloud side of seed 001: another Tessera instance reached over its public API with `fetch`, as the API
 * token in `cloud.api_token`. Every request is bounded by `cloud.timeout_ms`; every failure (unreachable,
 * timed out, refused, an answer of the wrong shape) becomes a CLOUD_UNAVAILABLE whose message names the cloud
 * and what happened, and never the API token.
 */
export class HttpCloudPublisher implements CloudRevoker {
  constructor(private readonly settings: SettingsService) {}

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
    const refused = cloudError(answer);
    if (refused && INPUT_ERRORS.has(refused.code)) {
      throw new TesseraError(
        refused.code as ErrorCode,
        `The cloud instance at ${cloud.label} refused it: ${quote(cloud, refused.message)}`,
        { field: fieldOf(refused.code) },
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

  private async call(cloud: CloudTarget, method: string, path: string, body?: unknown): Promise<CloudAnswer> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(cloud.base + path, {
        method,
        headers: {
          authorization: `Bearer ${cloud.apiToken}`,
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        // A redirect is an answer to report, not to follow with the API token to wherever it points.
        redirect: 'manual',
        // Bounds the whole exchange, the body included: a cloud that sends headers and then stalls times out too.
        signal: AbortSignal.timeout(cloud.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw unavailable(cloud, `${describeFailure(error, cloud.timeoutMs)} on ${method} ${path}`);
    }
    let json: unknown;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { request: `${method} ${path}`, status: response.status, json };
  }
}

function toReportToken(cloud: CloudTarget, t: CloudToken, reportId: string): ReportToken {
  const createdAt = Date.parse(t.createdAt);
  const expiresAt = Date.parse(t.expiresAt);
  if (!Number.isFinite(createdAt) || !Number.isFinite(expiresAt))
    throw unavailable(cloud, `answered a token with unreadable dates (${t.createdAt}, ${t.expiresAt})`);
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

function cloudError(answer: CloudAnswer): { code: string; message: string } | undefined {
  if (answer.status < 400 || !Value.Check(CloudErrorJson, answer.json)) return undefined;
  return { code: answer.json.error.code, message: answer.json.error.message ?? '' };
}

function errorCode(answer: CloudAnswer): string | undefined {
  return cloudError(answer)?.code;
}

/** The cloud's own words, shortened and scrubbed of the API token should they ever echo it. */
function quote(cloud: CloudTarget, text: string): string {
  return text.slice(0, 300).split(cloud.apiToken).join('[redacted]');
}

/** `answered 401 (UNAUTHENTICATED: No valid credentials were presented.) to GET /api/...`. */
function failed(cloud: CloudTarget, answer: CloudAnswer): TesseraError {
  const error = cloudError(answer);
  const detail = error ? ` (${quote(cloud, `${error.code}: ${error.message}`)})` : '';
  return unavailable(cloud, `answered ${answer.status}${detail} to ${answer.request}`);
}

function unavailable(cloud: CloudTarget, what: string): TesseraError {
  return new TesseraError('CLOUD_UNAVAILABLE', `The cloud instance at ${cloud.label} ${what}.`);
}

/** What went wrong with a request that got no answer: a timeout, or the network's error code. */
function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return `timed out after ${timeoutMs} ms`;
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const detail =
    typeof cause?.code === 'string'
      ? cause.code
      : typeof cause?.message === 'string'
        ? cause.message
        : error instanceof Error
          ? error.message
          : String(error);
  return `could not be reached (${detail})`;
}

function fieldOf(code: string): string | undefined {
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
