/** The console address of a report's page; ids contain `:` and may contain other reserved characters. */
export const reportHref = (id: string) => `/reports/${encodeURIComponent(id)}`;

const escapeAttribute = (value: string) => value.replaceAll('&', '&amp;').replaceAll('"', '&quot;');

/** The HTML that embeds a share link in another page (seed 001's "Embed Code"). */
export function embedCode(url: string): string {
  return `<iframe src="${escapeAttribute(url)}" width="100%" height="600"></iframe>`;
}
