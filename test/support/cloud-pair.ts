import { expect } from 'vitest';
import type { ChildServer } from './child-server.ts';
import type { ApiResponse, TestServer } from './harness.ts';

/** Two real Tessera instances, one publishing to the other as its cloud (seed 001). */

/** Where share links point in these tests: distinct from the cloud's API URL, to show which one is used. */
export const PUBLIC_URL = 'http://share.example.test';

export const REPORT = {
  id: 'team:sales-dashboard',
  name: 'Sales dashboard',
  description: 'Revenue by region',
  viewerUrl: 'https://bi.example.test/render/{reportId}?token={token}',
};

/** The permissions the cloud's API token needs: share tokens, reading reports, registering new ones. */
export const CLOUD_PERMISSIONS = ['tokens:manage', 'reports:read', 'reports:manage'];

/** Creates an API token on the cloud for publishing; returns its id and string. */
export async function cloudApiToken(cloud: ChildServer): Promise<{ id: string; token: string }> {
  const created = await cloud.api('POST', '/api/tokens', {
    token: cloud.adminToken,
    body: { name: 'publisher', expiresInDays: 30, permissions: CLOUD_PERMISSIONS },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { id: created.body.id, token: created.body.token };
}

/**
 * The outbound rules these tests need: their cloud is another process on this machine, over plain http
 * (the default rules refuse both, as a deployment's should).
 */
export const LOOPBACK_CLOUD = {
  'outbound.allow_http': true,
  'outbound.allow_private_network': true,
};

/** The listing's warning when the cloud fails, whatever failed: it tells nothing of what the URL reaches. */
export const GENERIC_WARNING =
  'The cloud instance could not be asked for this report’s tokens; only local tokens are listed.';

/** Points the local instance at the cloud with these settings (merged over a working configuration). */
export async function configureCloud(
  local: TestServer,
  cloudUrl: string,
  apiToken: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const response = await local.api('PATCH', '/api/settings', {
    token: local.adminToken,
    body: {
      ...LOOPBACK_CLOUD,
      'cloud.enabled': true,
      'cloud.url': cloudUrl,
      'cloud.api_token': apiToken,
      'cloud.public_url': PUBLIC_URL,
      ...extra,
    },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

/** Creates the report on the local instance. */
export async function createLocalReport(local: TestServer, report: Record<string, unknown> = REPORT) {
  const response = await local.api('POST', '/api/reports', { token: local.adminToken, body: report });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

/** A local share token for the report. */
export async function createLocalShareToken(local: TestServer, reportId: string, name = 'local link') {
  const response = await local.api('POST', '/api/tokens', {
    token: local.adminToken,
    body: { type: 'report', reportId, name },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

export function publish(local: TestServer, reportId: string, body?: unknown): Promise<ApiResponse> {
  return local.api('POST', `/api/reports/${encodeURIComponent(reportId)}/_cloud-publish`, {
    token: local.adminToken,
    ...(body === undefined ? {} : { body }),
  });
}

export function listTokens(local: TestServer, reportId: string): Promise<ApiResponse> {
  return local.api('GET', `/api/reports/${encodeURIComponent(reportId)}/tokens`, { token: local.adminToken });
}
