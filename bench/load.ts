import autocannon from 'autocannon';

/** One load run: POST bodies (JSON by default) to a URL from a few keep-alive connections for a fixed time. */
export interface LoadSpec {
  url: string;
  /** Request headers; `{ 'content-type': 'application/json' }` when absent. */
  headers?: Record<string, string>;
  /** The request body: the same string every time, or a fresh one per request (e.g. a random token). */
  body: string | (() => string);
  /** A response body that fails this check counts as a mismatch (so a bench of errors cannot look fast). */
  expect: (body: string) => boolean;
  connections: number;
  durationSeconds: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  errors: number;
  non2xx: number;
  mismatches: number;
}

export const JSON_HEADERS: Record<string, string> = { 'content-type': 'application/json' };

/** The q-quantile of sorted values (nearest rank). */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** Runs autocannon in this process and returns the figures the report needs. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const { body } = spec;
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSeconds,
    verifyBody: spec.expect,
    requests: [
      {
        method: 'POST',
        headers: spec.headers ?? JSON_HEADERS,
        ...(typeof body === 'string'
          ? { body }
          : { setupRequest: (request) => ({ ...request, body: body() }) }),
      },
    ],
  });
  // autocannon's own latency histogram has 1 ms resolution, too coarse for loopback; keep the exact times.
  const latencies: number[] = [];
  instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  const result = await instance;
  const sorted = Float64Array.from(latencies).sort();
  return {
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    total: result.requests.total,
    errors: result.errors,
    non2xx: result.non2xx,
    mismatches: result.mismatches,
  };
}
