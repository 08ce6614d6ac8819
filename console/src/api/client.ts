import createClient, { type Middleware } from 'openapi-fetch';
import { sessionStore } from '../auth/session.ts';
import { ApiError, toApiError } from './errors.ts';
import type { paths } from './schema';

/**
 * Sends the session token, and turns a 401 on a signed-in request into "your session has expired": the
 * server answers 401 once the session is past its lifespan or was revoked elsewhere.
 */
const auth: Middleware = {
  onRequest({ request }) {
    const token = sessionStore.token();
    if (token && !request.headers.has('Authorization'))
      request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ request, response }) {
    const sent = request.headers.get('Authorization');
    if (response.status === 401 && sent && sent === `Bearer ${sessionStore.token()}`) {
      sessionStore.signOut('expired');
    }
    return response;
  },
};

/** The typed client for Tessera's public API, generated from /openapi.json (`npm run gen:api`). */
export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? '' });
api.use(auth);

/**
 * The data of an openapi-fetch result, or an ApiError carrying the server's code and message. Queries and
 * mutations call this so that every failure reaches the screen the same way.
 */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<NonNullable<T>> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (error) {
    throw toApiError(error);
  }
  if (result.error !== undefined || !result.response.ok) {
    throw toApiError(result.error ?? new Error(`HTTP ${result.response.status}`), result.response.status);
  }
  return result.data as NonNullable<T>;
}

export { ApiError };
