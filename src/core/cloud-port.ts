import type { Report } from './model.ts';
import type { OutboundPolicy } from './outbound-policy.ts';

/** A report share token as `GET /api/reports/{id}/tokens` lists it (seed 001). Times are epoch ms. */
export interface ReportToken {
  id: string;
  type: 'report';
  reportId: string;
  /** The token string itself: share tokens are retrievable (kept encrypted). */
  token: string;
  /** True for a token held by the cloud instance. */
  cloud: boolean;
  /** The public share link: `<cloud public url>/view/<token>` for cloud tokens. */
  url?: string;
  name: string;
  createdAt: number;
  expiresAt: number;
  /** Where the token can be inspected and revoked: `/api/tokens/{id}` locally, an absolute URL on the cloud. */
  href: string;
}

/** Why the cloud's tokens are missing from a listing: the listing's `warning`. */
export interface CloudWarning {
  code: string;
  message: string;
}

/**
 * The cloud instance a Tessera publishes report share tokens to (seed 001), as the report service sees it.
 * Every call is bounded by the `cloud.timeout_ms` setting.
 */
export interface CloudPublisher {
  /** Whether the tenant has cloud publishing on and configured (`cloud.enabled`, `cloud.url`, `cloud.api_token`). */
  enabled(tenantId: string): Promise<boolean>;
  /** The cloud's active share tokens for a report; throws a TesseraError (`CLOUD_UNAVAILABLE`) on any failure. */
  tokens(tenantId: string, reportId: string): Promise<ReportToken[]>;
  /** Creates a share token on the cloud for the report, registering the report there first when it is new. */
  publish(
    tenantId: string,
    report: Report,
    input: { name?: string; expiresAt?: string },
  ): Promise<ReportToken>;
}

/** A request the core asks the outbound client to make (src/http/outbound/). */
export interface OutboundRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: URL;
  headers: Record<string, string>;
  /** A JSON body, already serialized. */
  body?: string;
  /** Bounds the whole exchange, connection and body included. */
  timeoutMs: number;
  /** The tenant's outbound rules, applied to the URL and to every address a host name resolves to. */
  policy: OutboundPolicy;
}

/**
 * What became of an outbound request. An answer of any status is `ok` (a redirect is an answer: it is never
 * followed); a failure says what kind, with a detail for the caller's own messages that never holds anything
 * the remote side sent.
 */
export type OutboundResult =
  | { ok: true; status: number; body: string }
  | { ok: false; failure: 'refused' | 'timeout' | 'unreachable' | 'too_large'; detail: string };

/** The one way the core calls another service over HTTP: the outbound client implements it. */
export interface OutboundHttp {
  request(request: OutboundRequest): Promise<OutboundResult>;
}
