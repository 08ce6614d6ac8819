import type { ErrorCode } from './result.ts';

/** How one verification request is sent: per-attempt timeout, retries, backoff. */
export interface TransportOptions {
  url: string;
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  maxBackoffMs: number;
  fetch: typeof fetch;
}

/** A parsed 200 answer, or why there is none (and after how many attempts). */
export type TransportOutcome =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; code: ErrorCode; message: string; attempts: number };

type Attempt =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; code: ErrorCode; message: string; retryable: boolean };

async function attempt(options: TransportOptions, payload: string): Promise<Attempt> {
  try {
    const response = await options.fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: payload,
      // Covers the whole exchange, body included: a server that sends headers and then stalls times out too.
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (response.status >= 500) {
      await response.body?.cancel();
      return {
        ok: false,
        code: 'SERVER_ERROR',
        message: `Tessera answered ${response.status}.`,
        retryable: true,
      };
    }
    if (response.status !== 200) {
      const text = await response.text();
      return {
        ok: false,
        code: 'BAD_RESPONSE',
        message: `Tessera answered ${response.status}: ${text.slice(0, 300)}`,
        retryable: false,
      };
    }
    const body: unknown = await response.json();
    if (
      typeof body !== 'object' ||
      body === null ||
      typeof (body as { valid?: unknown }).valid !== 'boolean'
    ) {
      return {
        ok: false,
        code: 'BAD_RESPONSE',
        message: 'Tessera answered without "valid".',
        retryable: false,
      };
    }
    return { ok: true, body: body as Record<string, unknown> };
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError') {
      return {
        ok: false,
        code: 'TIMEOUT',
        message: `Tessera did not answer within ${options.timeoutMs} ms.`,
        retryable: true,
      };
    }
    if (name === 'SyntaxError') {
      return {
        ok: false,
        code: 'BAD_RESPONSE',
        message: 'Tessera answered with invalid JSON.',
        retryable: false,
      };
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message ?? (error as Error).message;
    return {
      ok: false,
      code: 'NETWORK',
      message: `Tessera could not be reached (${detail}).`,
      retryable: true,
    };
  }
}

/** Exponential backoff with jitter: half the doubled delay fixed, half random, so retries spread out. */
export function backoffDelay(retry: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (retry - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/**
 * POSTs one verification, retrying network errors, timeouts and 5xx answers (only those) with backoff.
 * Never throws: a failure is an outcome the caller must treat as "not valid".
 */
export async function postVerification(
  options: TransportOptions,
  payload: string,
): Promise<TransportOutcome> {
  for (let attempts = 1; ; attempts++) {
    const outcome = await attempt(options, payload);
    if (outcome.ok) return outcome;
    if (!outcome.retryable || attempts > options.retries) {
      return { ok: false, code: outcome.code, message: outcome.message, attempts };
    }
    const delay = backoffDelay(attempts, options.backoffMs, options.maxBackoffMs);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
