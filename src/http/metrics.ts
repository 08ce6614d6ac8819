import { createHash, timingSafeEqual } from 'node:crypto';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { MetricsAccess } from '../config/config.ts';
import { TesseraError } from '../core/errors.ts';
import type { Verifier } from '../core/verifier.ts';

/** Who may read /metrics: nobody (off), anyone (open), or a scraper presenting `token` as a bearer token. */
export interface MetricsOptions {
  access: MetricsAccess;
  token?: string | undefined;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Prometheus metrics for one app: verifications by result, their latency, and cache hits and misses. */
export class Metrics {
  readonly registry = new Registry();
  private readonly results: Record<string, number> = {};
  private readonly latency: Histogram;
  private readonly access: MetricsAccess;
  /** The SHA-256 of the bearer token, compared in constant time whatever the presented length. */
  private readonly tokenDigest: Buffer | undefined;

  constructor(verifier: Verifier, options: MetricsOptions = { access: 'off' }) {
    this.access = options.access;
    this.tokenDigest = options.token ? digest(options.token) : undefined;
    collectDefaultMetrics({ register: this.registry, prefix: 'tessera_' });
    // Counted in a plain object and read at scrape time: cheaper per verification than a labelled inc().
    const results = this.results;
    new Counter({
      name: 'tessera_verifications_total',
      help: 'Token verifications, by result (VALID or the failure code).',
      labelNames: ['result'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [result, count] of Object.entries(results)) this.inc({ result }, count);
      },
    });
    this.latency = new Histogram({
      name: 'tessera_verification_duration_seconds',
      help: 'Time to verify a token, from checksum to answer.',
      buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1],
      registers: [this.registry],
    });
    new Counter({
      name: 'tessera_verification_cache_hits_total',
      help: 'Verifications answered from the in-process cache.',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(verifier.stats.hits);
      },
    });
    new Counter({
      name: 'tessera_verification_cache_misses_total',
      help: 'Verifications that read the store.',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(verifier.stats.misses);
      },
    });
  }

  /**
   * Lets a scrape through, or throws: ROUTE_NOT_FOUND while metrics are off, UNAUTHENTICATED without the
   * configured bearer token (fails closed when none is configured).
   */
  authorize(authorization: string | undefined): void {
    if (this.access === 'open') return;
    if (this.access === 'off')
      throw new TesseraError(
        'ROUTE_NOT_FOUND',
        'Metrics are turned off; set TESSERA_METRICS to open or token.',
      );
    const presented = /^Bearer +(\S+) *$/i.exec(authorization ?? '')?.[1];
    if (!presented || !this.tokenDigest || !timingSafeEqual(digest(presented), this.tokenDigest))
      throw new TesseraError(
        'UNAUTHENTICATED',
        'Metrics need the bearer token set in TESSERA_METRICS_TOKEN.',
      );
  }

  /** Starts timing one verification; call the result with its outcome. */
  startVerification(): (result: string) => void {
    const started = performance.now();
    return (result) => this.verified(result, started);
  }

  /** Counts one verification with its outcome; `started` is its `performance.now()` at the start. */
  verified(result: string, started: number): void {
    this.latency.observe((performance.now() - started) / 1000);
    this.results[result] = (this.results[result] ?? 0) + 1;
  }
}
