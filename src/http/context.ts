import type { FastifyRequest } from 'fastify';
import type { Tessera } from '../core/tessera.ts';
import type { Metrics } from './metrics.ts';

/** What every route plugin is given. */
export interface RouteContext {
  tessera: Tessera;
  metrics: Metrics;
  /** The URL clients reach this service at: TESSERA_PUBLIC_URL, or what the request was sent to. */
  baseUrl(request: FastifyRequest): string;
}
