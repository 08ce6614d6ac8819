import { redactTokens } from '../core/errors.ts';

/** What the HTTP layer may show of a request's URL (in a log, in an error) and which routes it is for. */

/** Query parameters whose values are credentials in some client's habits (RFC 6750's `access_token`…). */
const SECRET_PARAMS = /^\s*(token|access_token|refresh_token|client_secret|password)(\[\])?\s*$/i;

/**
 * Hides credentials in a URL, so that they never reach a log line: the values of `token=` and the other
 * parameters above (names compared decoded, as the query parser reads them: `?%74oken=` authenticates just
 * like `?token=`), a share link's path (`/view/<token>`, whole, in any case or encoding), and anything else
 * shaped like a token, wherever it is (`/api/tokens/tsr_…`, `?q=tsr_…`).
 */
export function redactUrl(url: string): string {
  return redactTokens(redactParams(url));
}

function redactParams(url: string): string {
  const start = url.indexOf('?');
  const path = start === -1 ? url : url.slice(0, start);
  const shown = /^([a-z]+:\/\/[^/]*)?\/+view\//i.test(decodeLeniently(path)) ? '/view/[redacted]' : path;
  if (start === -1) return shown;
  const params = url
    .slice(start + 1)
    .split('&')
    .map((param) => {
      const name = param.split('=', 1)[0] ?? '';
      return SECRET_PARAMS.test(decodeLeniently(name)) ? `${name}=[redacted]` : param;
    });
  return `${shown}?${params.join('&')}`;
}

function decodeLeniently(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

const SHOWN_PATH_MAX = 200;

/**
 * A request's path as an error message may show it: never the query string, a share link's token hidden
 * (as in the log), anything that looks like a Tessera token hidden, and at most 200 characters.
 */
export function shownPath(url: string): string {
  const path = redactUrl(url.split('?', 1)[0] ?? '').replace(/tsr(_|%5f)[^/]*/gi, 'tsr_[redacted]');
  return path.length > SHOWN_PATH_MAX ? `${path.slice(0, SHOWN_PATH_MAX)}…` : path;
}

/** The route families, each with its own error shape. */
export type RouteFamily = 'management' | 'oauth' | 'integration' | 'view';

const FAMILIES: [RegExp, RouteFamily][] = [
  [/^\/(oauth|apiops|\.well-known)(\/|$)/, 'oauth'],
  [/^\/integration\/v1(\/|$)/, 'integration'],
  [/^\/view(\/|$)/, 'view'],
];

/**
 * The family whose error shape answers a URL: OAuth (`/oauth`, `/apiops`, `/.well-known`), seed 003's
 * `/integration/v1`, the share page `/view`, and the management shape for everything else. Compared as the
 * router compares paths: case-sensitive, with percent-encoded letters and digits read as themselves.
 */
export function familyOf(url: string): RouteFamily {
  const path = (url.split('?', 1)[0] ?? '').replace(/%([0-9a-f]{2})/gi, (sequence, hex: string) => {
    const c = String.fromCharCode(Number.parseInt(hex, 16));
    return /[A-Za-z0-9._~-]/.test(c) ? c : sequence;
  });
  return FAMILIES.find(([prefix]) => prefix.test(path))?.[1] ?? 'management';
}
