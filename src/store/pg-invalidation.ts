import { randomUUID } from 'node:crypto';
import { type QueryExecutorProvider, sql } from 'kysely';
import type pg from 'pg';
import type { CacheChange, CacheInvalidation } from '../core/cache-invalidation.ts';

/** The NOTIFY channel every node listens on. */
export const INVALIDATION_CHANNEL = 'tessera_cache';
/** PostgreSQL refuses payloads of 8000 bytes or more; keep a margin. */
const MAX_PAYLOAD_BYTES = 7900;
/** More hashes than this many messages hold are sent as one "drop everything". */
const MAX_MESSAGES = 16;
/** An unsent change is retried this long: the longest cache TTL a node may have (TESSERA_CACHE_TTL_SECONDS). */
const MAX_AGE_MS = 3600_000;

export interface PgInvalidationOptions {
  databaseUrl: string;
  /** The store's connection pool: notifications go out on it (after the change committed). */
  db: QueryExecutorProvider;
  /** Told when listening is lost (with the error) and when it is back, for the log. */
  onStateChange?: (state: 'listening' | 'reconnecting', error?: unknown) => void;
  /** Reconnect backoff, doubling from min to max; caches are dropped again at every attempt. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** How often the listening connection is checked (a silent network loss sends no error). */
  heartbeatMs?: number;
  /**
   * false: only publish, for a process that caches nothing (TESSERA_CACHE_TTL_SECONDS=0, or a command-line
   * run that revokes and exits: `close()` sends what is queued). Default true.
   */
  listen?: boolean;
}

interface Outgoing {
  message: string;
  at: number;
}

/**
 * Cache invalidation over PostgreSQL LISTEN/NOTIFY. A dedicated connection LISTENs; changes are NOTIFYed
 * through the store's pool as `<node id> <hash>,<hash>…` or `<node id> all`, coalesced per event-loop
 * turn and split under PostgreSQL's payload limit. A node ignores its own messages. When the listening
 * connection is lost it reconnects with backoff and hands subscribers `'all'` at the loss, at every
 * failed attempt and once more when listening again: changes missed meanwhile cannot outlive that.
 */
export class PgInvalidation implements CacheInvalidation {
  readonly nodeId = randomUUID();
  state: CacheInvalidation['state'] = 'reconnecting';
  private readonly listeners: ((change: CacheChange) => void)[] = [];
  private client: pg.Client | undefined;
  private attempt = 0;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private pendingHashes = new Set<string>();
  private pendingAll = false;
  private batchScheduled = false;
  private outgoing: Outgoing[] = [];
  private sending: Promise<void> | undefined;
  private sendRetry: NodeJS.Timeout | undefined;

  private constructor(
    private readonly pgModule: typeof pg,
    private readonly options: PgInvalidationOptions,
  ) {}

  /** Connects and starts listening; if that fails now it keeps trying in the background. */
  static async start(options: PgInvalidationOptions): Promise<PgInvalidation> {
    const { default: pgModule } = await import('pg');
    const invalidation = new PgInvalidation(pgModule, options);
    if (options.listen === false) invalidation.state = 'publishing';
    else await invalidation.connect();
    return invalidation;
  }

  subscribe(listener: (change: CacheChange) => void): void {
    this.listeners.push(listener);
  }

  publish(change: CacheChange): void {
    if (this.closed) return;
    if (change === 'all') this.pendingAll = true;
    else for (const hash of change) this.pendingHashes.add(hash);
    if (this.batchScheduled) return;
    this.batchScheduled = true;
    // Revocations from one request (or many at once) leave as few messages as possible.
    setImmediate(() => {
      this.batchScheduled = false;
      this.enqueue();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.enqueue();
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.sendRetry);
    clearInterval(this.heartbeatTimer);
    await this.sending;
    if (this.outgoing.length > 0) await this.send().catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private enqueue(): void {
    const at = Date.now();
    const hashes = [...this.pendingHashes];
    const all = this.pendingAll;
    this.pendingHashes.clear();
    this.pendingAll = false;
    const messages = all ? [] : this.split(hashes);
    if (all || messages.length > MAX_MESSAGES) messages.splice(0, messages.length, `${this.nodeId} all`);
    for (const message of messages) this.outgoing.push({ message, at });
    if (messages.length > 0 && !this.sending && !this.sendRetry) this.startSending();
  }

  /** Hashes in messages under the payload limit (hashes are base64url: one byte per character). */
  private split(hashes: string[]): string[] {
    const messages: string[] = [];
    let current = '';
    for (const hash of hashes) {
      if (current && current.length + 1 + hash.length > MAX_PAYLOAD_BYTES) {
        messages.push(current);
        current = '';
      }
      current = current ? `${current},${hash}` : `${this.nodeId} ${hash}`;
    }
    if (current) messages.push(current);
    return messages;
  }

  private startSending(): void {
    this.sending = this.send()
      .then(
        () => undefined,
        () => {
          // The database is unreachable: try again shortly (the change was committed, others must hear it).
          if (!this.closed) this.sendRetry = setTimeout(() => this.startSending(), 500).unref();
        },
      )
      .finally(() => {
        this.sending = undefined;
        if (!this.closed && !this.sendRetry && this.outgoing.length > 0) this.startSending();
      });
  }

  private async send(): Promise<void> {
    this.sendRetry = undefined;
    const stale = Date.now() - MAX_AGE_MS;
    this.outgoing = this.outgoing.filter((o) => o.at > stale);
    const batch = this.outgoing.splice(0, this.outgoing.length);
    if (batch.length === 0) return;
    try {
      const messages = batch.map((o) => o.message);
      await sql`select pg_notify(${INVALIDATION_CHANNEL}, m) from unnest(${messages}::text[]) as m`.execute(
        this.options.db,
      );
    } catch (error) {
      this.outgoing.unshift(...batch);
      throw error;
    }
  }

  private async connect(): Promise<void> {
    this.retryTimer = undefined;
    if (this.closed) return;
    const client = new this.pgModule.Client({
      connectionString: this.options.databaseUrl,
      keepAlive: true,
      connectionTimeoutMillis: 5000,
    });
    this.client = client;
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    client.on('notification', (message) => {
      if (message.channel === INVALIDATION_CHANNEL && message.payload) this.receive(message.payload);
    });
    try {
      await client.connect();
      await client.query(`listen ${INVALIDATION_CHANNEL}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.client !== client) return;
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.attempt = 0;
    this.state = 'listening';
    const every = this.options.heartbeatMs ?? 5000;
    this.heartbeatTimer = setInterval(() => {
      client
        .query({ text: 'select 1', query_timeout: every } as pg.QueryConfig)
        .catch((error) => this.lost(client, error));
    }, every).unref();
    // What other nodes changed while this one was not listening was missed: drop everything once more.
    this.deliver('all');
    this.options.onStateChange?.('listening');
  }

  private lost(client: pg.Client, error: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    clearInterval(this.heartbeatTimer);
    client.end().catch(() => undefined);
    if (this.closed) return;
    if (this.state === 'listening') {
      this.state = 'reconnecting';
      this.options.onStateChange?.('reconnecting', error);
    }
    this.deliver('all');
    const min = this.options.reconnectMinMs ?? 100;
    const delay = Math.min(this.options.reconnectMaxMs ?? 1000, min * 2 ** this.attempt++);
    this.retryTimer = setTimeout(() => void this.connect(), delay).unref();
  }

  private receive(payload: string): void {
    const space = payload.indexOf(' ');
    if (space < 0 || payload.slice(0, space) === this.nodeId) return;
    const body = payload.slice(space + 1);
    this.deliver(body === 'all' ? 'all' : body.split(','));
  }

  private deliver(change: CacheChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
