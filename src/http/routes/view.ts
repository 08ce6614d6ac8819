import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { SharePage } from '../../core/reports.ts';
import type { RouteContext } from '../context.ts';

/** Longer than any Tessera token; a longer "token" is refused without a lookup. */
const MAX_TOKEN_LENGTH = 200;

const STYLE =
  'html,body{height:100%;margin:0}body{display:flex;flex-direction:column;font:16px/1.5 system-ui,sans-serif;color:#1f2937}' +
  'h1{font-size:1rem;margin:0;padding:.5rem 1rem;border-bottom:1px solid #e5e7eb}' +
  'iframe{flex:1;width:100%;border:0}p{margin:2rem 1rem}';
// The page's only style, allowed by its hash: no inline style of anyone else's can run.
const STYLE_SOURCE = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function page(title: string, body: string): string {
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<style>${STYLE}</style></head><body>${body}</body></html>\n`
  );
}

function render(share: SharePage): { status: 200 | 404; html: string; frameSrc: string | null } {
  const { report, viewerSrc } = share;
  if (report === null) {
    return {
      status: 404,
      frameSrc: null,
      html: page(
        'Link no longer valid',
        '<h1>This link is no longer valid</h1><p>It may have expired or been revoked. Ask whoever shared it for a new one.</p>',
      ),
    };
  }
  const heading = `<h1>${escapeHtml(report.name)}</h1>`;
  if (viewerSrc === null) {
    return {
      status: 200,
      frameSrc: null,
      html: page(report.name, `${heading}<p>No viewer is configured for this report yet.</p>`),
    };
  }
  const frame = `<iframe src="${escapeHtml(viewerSrc)}" title="${escapeHtml(report.name)}" referrerpolicy="no-referrer" allowfullscreen></iframe>`;
  return { status: 200, frameSrc: new URL(viewerSrc).origin, html: page(report.name, heading + frame) };
}

/** The page's policy: nothing but its own style and the viewer's frame; framed only where the settings say. */
function contentSecurityPolicy(frameSrc: string | null, frameAncestors: string[]): string {
  return [
    "default-src 'none'",
    `style-src ${STYLE_SOURCE}`,
    ...(frameSrc === null ? [] : [`frame-src ${frameSrc}`]),
    `frame-ancestors ${["'self'", ...frameAncestors].join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * `GET /view/{token}` (seed 001): the embeddable page of a share link. It shows the report's name and loads
 * its viewer in a full-size iframe; an unknown, expired or revoked link gets a plain 404 page. The token is in
 * the path, so the request log shows `/view/[redacted]`, and the page is never cached.
 */
export const viewRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { tessera }) => {
  app.get(
    '/view/:token',
    {
      schema: {
        tags: ['reports'],
        summary: 'The embeddable page of a report share link (HTML, for an iframe); 404 page when invalid',
        params: Type.Object({ token: Type.String({ description: 'A report share token.' }) }),
        response: {
          200: { description: 'The report page', content: { 'text/html': { schema: Type.String() } } },
          404: {
            description: 'This link is no longer valid',
            content: { 'text/html': { schema: Type.String() } },
          },
        },
      },
    },
    async (request, reply) => {
      const presented = request.params.token;
      const share = await tessera.reports.openShareLink(
        presented.length > MAX_TOKEN_LENGTH ? '' : presented,
        request.ip,
      );
      const { status, html, frameSrc } = render(share);
      return reply
        .code(status)
        .header('Content-Type', 'text/html; charset=utf-8')
        .header('Content-Security-Policy', contentSecurityPolicy(frameSrc, share.frameAncestors))
        .header('Cache-Control', 'no-store')
        .header('Referrer-Policy', 'no-referrer')
        .header('X-Content-Type-Options', 'nosniff')
        .send(html);
    },
  );
};
