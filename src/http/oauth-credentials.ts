import type { FastifyRequest } from 'fastify';
import { invalid } from '../core/errors.ts';
import type { ClientCredentials } from '../core/oauth/client-auth.ts';

/** The OAuth form parameters the endpoints read; others are ignored (RFC 6749 §3.2). */
export interface OAuthForm {
  grant_type?: string;
  client_id?: string;
  client_secret?: string;
  scope?: string;
  refresh_token?: string;
  token?: string;
  token_type_hint?: string;
}

/** Form-urlencoding is undone on Basic credentials (RFC 6749 §2.3.1); a value that is not valid encoding is taken as sent. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/**
 * The client credentials of a request: `Authorization: Basic` (client_secret_basic) or `client_id` and
 * `client_secret` form fields (client_secret_post). Using both at once is a 400, as RFC 6749 §2.3 asks.
 */
export function clientCredentials(request: FastifyRequest, form: OAuthForm): ClientCredentials {
  const authorization = request.headers.authorization;
  const basic = authorization ? /^Basic\s+(\S+)\s*$/i.exec(authorization) : null;
  if (!basic?.[1]) return { clientId: form.client_id, clientSecret: form.client_secret };
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) throw invalid('Authorization', 'Basic credentials must be client_id:client_secret');
  const clientId = formDecode(decoded.slice(0, colon));
  const clientSecret = formDecode(decoded.slice(colon + 1));
  if (form.client_secret !== undefined)
    throw invalid(
      'client_secret',
      'send the client credentials in the Authorization header or the body, not both',
    );
  if (form.client_id !== undefined && form.client_id !== clientId)
    throw invalid('client_id', 'differs from the client id in the Authorization header');
  return { clientId, clientSecret };
}

/** The Bearer token of a request, if it presents one. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  return authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
}
