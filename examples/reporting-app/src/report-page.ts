import type { ReportData } from './report-data.ts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Headers for the report page: it carries a token in its URL, so it is never cached or sent as referrer. */
export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors *; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
};

/** The report as a small HTML page for a share link (`/v/report.html?token=…`), every value escaped. */
export function reportPage(report: ReportData): string {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency: report.currency });
  const rows = report.rows
    .map(
      (row) =>
        `<tr><td>${escapeHtml(row.region)}</td><td>${format.format(row.revenue)}</td><td>${format.format(row.target)}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(report.title)}</title></head>
<body><h1>${escapeHtml(report.title)}</h1><p>Report <code>${escapeHtml(report.id)}</code></p>
<table><thead><tr><th>Region</th><th>Revenue</th><th>Target</th></tr></thead><tbody>${rows}</tbody></table>
</body></html>
`;
}
