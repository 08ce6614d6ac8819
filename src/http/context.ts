import type { Tessera } from '../core/tessera.ts';
import type { Metrics } from './metrics.ts';

/** What every route plugin is given. */
export interface RouteContext {
  tessera: Tessera;
  metrics: Metrics;
  /**
   * The URL clients reach this service at, for links: TESSERA_PUBLIC_URL, or the address it listens on. Never
   * taken from a request (its Host header is the client's to choose).
   */
  baseUrl(): string;
}
