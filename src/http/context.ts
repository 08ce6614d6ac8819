import type { FastifyRequest } from 'fastify';
import type { Tessera } from '../core/tessera.ts';
import type { Metrics } from './metrics.ts';

/** What every route plugin is given. */
export interface RouteContext {
  tessera: Tessera;
  metrics: Metrics;
  /**
   * The URL clients reach this service at, for links: TESSERA_PUBLIC_URL, or the address it listens on. Never
   * taken from the request (its Host header is the client's to choose); the parameter is not read.
   */
  baseUrl(request: FastifyRequest): string;
}
