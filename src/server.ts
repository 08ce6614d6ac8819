import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/config.ts';
import { makePrivateDir } from './config/data-dir.ts';
import { loadSecrets } from './config/secrets.ts';
import { type Clock, systemClock } from './core/clock.ts';
import type { OutboundHttp } from './core/cloud-port.ts';
import { createTessera, type Tessera } from './core/tessera.ts';
import { buildApp } from './http/app.ts';
import { OutboundClient } from './http/outbound/client.ts';
import { type KyselyStore, openStore } from './store/kysely/store.ts';
import { PgInvalidation } from './store/pg-invalidation.ts';

/** Opens the configured store (an SQLite file in the data dir unless TESSERA_DATABASE_URL is set) and migrates it. */
export async function openConfiguredStore(config: Config): Promise<KyselyStore> {
  if (!config.databaseUrl) makePrivateDir(config.dataDir);
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    sqlitePath: path.join(config.dataDir, 'tessera.db'),
  });
  await store.migrate();
  return store;
}

export interface RunningServer {
  app: FastifyInstance;
  tessera: Tessera;
  url: string;
  /** What the first start created: the admin password when it was generated or given, to print once. */
  bootstrap: { created: boolean; password?: string; generated: boolean };
  warnings: string[];
  close(): Promise<void>;
}

/**
 * Starts the whole service: store, migrations, first-start bootstrap, the core, the HTTP app, the usage
 * flusher; then listens. `close()` stops accepting requests, flushes usage and closes the store.
 */
export interface ServerOptions {
  clock?: Clock;
  /** false: no logging at all (tests). */
  logger?: boolean;
  /** Where log lines go (default stdout). */
  logStream?: NodeJS.WritableStream;
  /** The client for calls the service makes (cloud publishing); default an OutboundClient on the system's DNS. */
  outbound?: OutboundHttp;
}

export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  const secrets = loadSecrets(config);
  const store = await openConfiguredStore(config);
  const cacheTtlMs = config.cacheTtlSeconds * 1000;
  // Told once the app (and its logger) exists; a loss at start-up is reported by the retries that follow.
  let log: FastifyInstance['log'] | undefined;
  // Several nodes on one PostgreSQL: revocations reach the others over LISTEN/NOTIFY. A node that caches
  // nothing still tells the others, and has nothing to listen for.
  const invalidation =
    store.dialect === 'postgres' && config.databaseUrl
      ? await PgInvalidation.start({
          databaseUrl: config.databaseUrl,
          db: store.db,
          listen: cacheTtlMs > 0,
          onStateChange: (state, error) =>
            state === 'listening'
              ? log?.info('cache invalidation: listening again; dropped every cached token')
              : log?.warn(
                  { err: error },
                  'cache invalidation: lost the database connection; dropping cached tokens and reconnecting',
                ),
        })
      : undefined;
  const tessera = createTessera({
    store,
    clock: options.clock ?? systemClock,
    pepper: secrets.pepper,
    cipher: secrets.cipher,
    cache: { cacheTtlMs, cacheMaxEntries: config.cacheMaxEntries },
    ...(invalidation ? { invalidation } : {}),
    issuer: config.publicUrl?.replace(/\/$/, ''),
    outbound: options.outbound ?? new OutboundClient(),
  });
  const bootstrap = await tessera.auth.bootstrap(config.adminPassword);
  const logger =
    options.logger === false || config.logLevel === 'silent'
      ? false
      : { level: config.logLevel, ...(options.logStream ? { stream: options.logStream } : {}) };
  const app = await buildApp({
    tessera,
    publicUrl: config.publicUrl,
    trustProxy: config.trustProxy,
    metrics: { access: config.metrics, token: config.metricsToken },
    logger,
  });
  log = app.log;
  const flusher = setInterval(() => {
    tessera.usage.flush().catch((error) => app.log.error({ err: error }, 'usage flush failed; will retry'));
  }, config.usageFlushSeconds * 1000);
  flusher.unref();
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  // Without TESSERA_PUBLIC_URL the issuer is the URL as listened, known only now (port 0 picks one).
  if (!config.publicUrl) tessera.jwt.issuer = url;
  return {
    app,
    tessera,
    url,
    bootstrap,
    warnings: [...secrets.warnings, ...listenWarnings(config, url)],
    async close() {
      clearInterval(flusher);
      await app.close();
      // Every request has been answered: write all usage they recorded, so nodes' counts add up exactly.
      await tessera.usage
        .flush()
        .catch((error) =>
          app.log.error(
            { err: error, tokens: tessera.usage.pendingTokens },
            'usage flush on close failed; this usage is lost',
          ),
        );
      await invalidation?.close();
      await store.close();
    },
  };
}

/** Listening on every interface, links still need the address clients use: say so at start. */
function listenWarnings(config: Config, url: string): string[] {
  if (config.publicUrl || (config.host !== '0.0.0.0' && config.host !== '::')) return [];
  return [
    `Listening on all interfaces (${config.host}) without TESSERA_PUBLIC_URL: share links and usage examples point at ${url}. Set TESSERA_PUBLIC_URL to the URL clients reach this service at.`,
  ];
}
