/** A path id (subscription, semantic model or report): one URL segment of letters, digits and `. _ : -`. */
export const idParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,200}$' } },
  required: ['id'],
} as const;

/** The route generic of a route with an `:id`. */
export interface IdRoute {
  Params: { id: string };
}
