import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Verifier } from '../core/verifier.ts';

/** Prometheus metrics for one app: verifications by result, their latency, and cache hits and misses. */
export class Metrics {
  readonly registry = new Registry();
  private readonly results: Record<string, number> = {};
  private readonly latency: Histogram;

  constructor(verifier: Verifier) {
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
