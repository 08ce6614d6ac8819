import { expect } from 'vitest';
import type { TestServer } from '../support/harness.ts';
import { type Json, unique } from './token-fixtures.ts';

/** Shared steps of the report and share-link suites (seed 001). */

/** A report id no other test in the run uses, with a `:` as real ids have. */
export const reportId = (prefix = 'team') => `${prefix}:${unique('dash')}`;

/** The path of a report, its id percent-encoded as a client library would. */
export const reportPath = (id: string, rest = '') => `/api/reports/${encodeURIComponent(id)}${rest}`;

/** POST /api/reports as the bootstrap admin (or `admin`); returns the 201 body. */
export async function createReport(
  t: TestServer,
  body: Record<string, unknown> = {},
  admin = t.adminToken,
): Promise<Json> {
  const response = await t.api('POST', '/api/reports', {
    token: admin,
    body: { id: reportId(), name: 'Sales dashboard', ...body },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

/** POST /api/tokens with `type: "report"`; returns the 201 body. */
export async function createShareToken(
  t: TestServer,
  id: string,
  body: Record<string, unknown> = {},
  token = t.adminToken,
): Promise<Json> {
  const response = await t.api('POST', '/api/tokens', {
    token,
    body: { type: 'report', reportId: id, ...body },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}
