import { lookup as systemLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { OutboundHttp, OutboundRequest, OutboundResult } from '../../core/cloud-port.ts';
import { addressRefusal, hostOf, type OutboundPolicy, urlRefusal } from '../../core/outbound-policy.ts';

/** Resolves a host name to every address it has, as `dns.lookup(name, { all: true })` does. */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export interface OutboundClientOptions {
  /** How host names are resolved. Default: the system's resolver, as any other program on the machine. */
  resolve?: Resolver;
  /** The largest answer body read, in bytes; a larger one is a `too_large` failure. Default 1 MiB. */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 1024 * 1024;

const systemResolver: Resolver = (hostname) => systemLookup(hostname, { all: true, verbatim: true });

/** A destination the policy refuses, raised from inside the connection's DNS lookup. */
class RefusedDestination extends Error {}

/**
 * The one client for requests the service makes to other services (DESIGN.md "Trust boundaries"). It
 * - refuses a URL that is not https (unless `outbound.allow_http`), that carries a user name or password, or
 *   whose host is a loopback, private, link-local or other non-public address (unless
 *   `outbound.allow_private_network`);
 * - resolves host names itself, in the lookup every connection makes, and refuses the connection when any
 *   address the name has is refused: the address checked is the address connected to, so a name that
 *   resolves elsewhere on the next lookup (DNS rebinding) gains nothing;
 * - follows no redirect (a 3xx is an answer like any other), opens a fresh connection for each request,
 *   bounds the whole exchange by the request's timeout and the body by `maxBytes`;
 * - reports failures by kind, with details of its own making: nothing the remote side sent but the status
 *   and the body of a complete answer, which the caller parses and never echoes.
 */
export class OutboundClient implements OutboundHttp {
  private readonly resolve: Resolver;
  private readonly maxBytes: number;

  constructor(options: OutboundClientOptions = {}) {
    this.resolve = options.resolve ?? systemResolver;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  request(request: OutboundRequest): Promise<OutboundResult> {
    const { url, policy } = request;
    const refused = urlRefusal(url, policy);
    if (refused) return Promise.resolve({ ok: false, failure: 'refused', detail: refused });
    return new Promise((resolve) => {
      let settled = false;
      const finish = (result: OutboundResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outgoing.destroy();
        resolve(result);
      };
      const timer = setTimeout(
        () => finish({ ok: false, failure: 'timeout', detail: `timed out after ${request.timeoutMs} ms` }),
        request.timeoutMs,
      );
      const outgoing = (url.protocol === 'https:' ? https : http).request(
        {
          method: request.method,
          protocol: url.protocol,
          hostname: hostOf(url),
          port: url.port === '' ? undefined : Number(url.port),
          path: `${url.pathname}${url.search}`,
          headers: {
            'user-agent': 'tessera',
            ...request.headers,
            ...(request.body !== undefined
              ? { 'content-length': String(Buffer.byteLength(request.body)) }
              : {}),
          },
          // A connection of its own: every request resolves and checks its destination again.
          agent: false,
          lookup: this.guardedLookup(policy),
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > this.maxBytes) {
              finish({
                ok: false,
                failure: 'too_large',
                detail: `answered more than ${this.maxBytes} bytes`,
              });
            } else {
              chunks.push(chunk);
            }
          });
          response.on('end', () =>
            finish({
              ok: true,
              status: response.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          response.on('error', (error) => finish(unreachable(error)));
          response.on('close', () =>
            finish({ ok: false, failure: 'unreachable', detail: 'closed the connection mid-answer' }),
          );
        },
      );
      outgoing.on('error', (error) =>
        finish(
          error instanceof RefusedDestination
            ? { ok: false, failure: 'refused', detail: error.message }
            : unreachable(error),
        ),
      );
      outgoing.end(request.body);
    });
  }

  /** The DNS lookup of every connection: resolves the name and refuses it if any of its addresses is refused. */
  private guardedLookup(policy: OutboundPolicy): LookupFunction {
    return (hostname, options, callback) => {
      this.resolve(hostname).then(
        (found) => {
          const family = options.family === 4 || options.family === 6 ? options.family : undefined;
          const addresses = family === undefined ? found : found.filter((a) => a.family === family);
          const first = addresses[0];
          if (!first) {
            callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
            return;
          }
          for (const { address } of addresses) {
            const refused = addressRefusal(address, policy);
            if (refused) {
              callback(new RefusedDestination(`${hostname} resolves to ${address}, ${refused}`), '');
              return;
            }
          }
          if (options.all) callback(null, addresses);
          else callback(null, first.address, first.family);
        },
        (error: NodeJS.ErrnoException) => callback(error, ''),
      );
    };
  }
}

/** A failure to connect or to read, named by its error code (ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED…). */
function unreachable(error: unknown): OutboundResult {
  const code = (error as { code?: unknown } | null)?.code;
  return {
    ok: false,
    failure: 'unreachable',
    detail: `could not be reached (${typeof code === 'string' ? code : 'connection failed'})`,
  };
}
