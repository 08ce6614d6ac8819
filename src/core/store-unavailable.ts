/**
 * The database could not be reached (connection refused, lost or timed out): the answer is unknown, so
 * a caller must treat it as a refusal, never as "valid". The store throws it in place of its driver's
 * connection errors; the HTTP layer answers 503 `DATABASE_UNAVAILABLE` with a `Retry-After`.
 */
export class StoreUnavailableError extends Error {
  readonly code = 'DATABASE_UNAVAILABLE';
  /** Seconds after which a retry may succeed (the reconnect backoff is shorter). */
  readonly retryAfterSeconds = 1;

  constructor(options?: { cause?: unknown }) {
    super('The database cannot be reached right now, so this could not be checked; retry shortly.', options);
    this.name = 'StoreUnavailableError';
  }
}
