import { TesseraError } from './errors.ts';
import type { Report } from './model.ts';
import { resourceAllowed } from './permissions.ts';
import { isAdmin, type Principal } from './principal.ts';
import type { Store } from './store.ts';

/** The resource name a token is bound to for a report: `report:<id>`. */
export const REPORT_PREFIX = 'report:';
export const reportResource = (id: string) => `${REPORT_PREFIX}${id}`;

/**
 * Whether the calling token's bindings let it touch a report resource (`report:<id>`, or a `report:<prefix>:*`
 * binding): a sign-in session stands in for its user and is bound to nothing; a share token reaches only its
 * own report.
 */
export async function mayReachReport(store: Store, principal: Principal, resource: string): Promise<boolean> {
  if (principal.kind === 'ses') return true;
  const bound =
    principal.resources ?? (await store.tokens.get(principal.tenantId, principal.tokenId))?.resources ?? [];
  if (principal.kind === 'shr' && bound.length === 0) return false;
  return resourceAllowed(bound, resource);
}

/**
 * Share links are bearer secrets that open a report to anyone holding them: made (here or on the cloud) and
 * rotated only by an administrator holding reports:manage at that moment.
 */
export function requireShareLinkRight(principal: Principal, report: Pick<Report, 'id'>): void {
  if (isAdmin(principal, 'reports:manage')) return;
  throw new TesseraError(
    'FORBIDDEN',
    `reportId: share links to ${report.id} are made by administrators holding reports:manage.`,
    { field: 'reportId' },
  );
}
