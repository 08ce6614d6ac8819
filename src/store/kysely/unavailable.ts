import type { PostgresPool, PostgresPoolClient } from 'kysely';
import { StoreUnavailableError } from '../../core/store-unavailable.ts';
import { preparedName } from './prepared.ts';

// SQLSTATE codes that mean "the server went away or will not take us", not "this query was wrong":
// class 08 (connection exception), admin/crash shutdown, starting up or in recovery, too many connections.
const LOST_SQLSTATE = /^(08...|57P0[1-4]|53300)$/;
const LOST_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
// node-postgres reports a dropped socket and a client that already lost its socket with these messages.
const LOST_MESSAGE = /Connection terminated|not queryable|timeout exceeded when trying to connect/i;

/** True when a driver error says the connection failed rather than the query. */
export function isConnectionLoss(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (LOST_SQLSTATE.test(code) || LOST_ERRNO.has(code))) return true;
  return LOST_MESSAGE.test(error.message);
}

function mapped(error: unknown): unknown {
  return isConnectionLoss(error) ? new StoreUnavailableError({ cause: error }) : error;
}

/**
 * Wraps node-postgres's pool for Kysely so that a lost or refused connection surfaces as a
 * {@link StoreUnavailableError} (the HTTP layer's 503), while a failing query keeps its own error.
 * Any failure to get a connection at all counts as unavailable. Texts marked with `keepPrepared` run as
 * named prepared statements.
 */
export function withUnavailableErrors(pool: PostgresPool): PostgresPool {
  // Kysely keys its connection objects by client, so each pooled client keeps one wrapper.
  const wrappers = new WeakMap<PostgresPoolClient, PostgresPoolClient>();
  const wrap = (client: PostgresPoolClient): PostgresPoolClient => {
    let wrapper = wrappers.get(client);
    if (!wrapper) {
      wrapper = {
        query: ((...args: Parameters<PostgresPoolClient['query']>) => {
          const [text, values] = args as unknown[];
          const name = typeof text === 'string' ? preparedName(text) : undefined;
          const query = client.query as (...a: unknown[]) => unknown;
          const result = name ? query.call(client, { name, text, values }) : query.apply(client, args);
          // A cursor query returns the cursor itself; only promises carry errors to map.
          return result instanceof Promise ? result.catch((error) => Promise.reject(mapped(error))) : result;
        }) as PostgresPoolClient['query'],
        release: () => client.release(),
      };
      wrappers.set(client, wrapper);
    }
    return wrapper;
  };
  return {
    async connect() {
      try {
        return wrap(await pool.connect());
      } catch (error) {
        throw new StoreUnavailableError({ cause: error });
      }
    },
    end: () => pool.end(),
  };
}
