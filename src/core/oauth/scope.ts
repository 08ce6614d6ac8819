import type { PermissionCatalog } from '../catalog.ts';
import { TesseraError } from '../errors.ts';
import { ALL } from '../permissions.ts';

/**
 * Parses an OAuth `scope` parameter (space-separated permissions) and checks each against the tenant's
 * catalog. Undefined or blank: no narrowing. An unknown scope is INVALID_SCOPE.
 */
export async function parseScope(
  catalog: PermissionCatalog,
  tenantId: string,
  scope: string | undefined,
): Promise<string[] | undefined> {
  const wanted = [...new Set((scope ?? '').split(' ').filter((s) => s !== ''))];
  if (wanted.length === 0) return undefined;
  const known = await catalog.names(tenantId);
  const unknown = wanted.filter((s) => !known.has(s));
  if (unknown.length > 0)
    throw new TesseraError('INVALID_SCOPE', `scope: unknown scope ${unknown.join(', ')}`, { field: 'scope' });
  return wanted;
}

/**
 * The `scope` string answered for a set of permissions: listed as they are, with `*` ("everything the
 * user holds") spelled out as the user's permissions, and a user holding `*` as the whole catalog.
 */
export async function describeScope(
  catalog: PermissionCatalog,
  tenantId: string,
  permissions: readonly string[],
  userPermissions: readonly string[],
): Promise<string> {
  const list = permissions.includes(ALL) ? userPermissions : permissions;
  return list.includes(ALL) ? catalog.scope(tenantId) : list.join(' ');
}

/** Throws INVALID_SCOPE naming the `missing` scopes, which `holder` ("client cli_…", "user alice") lacks. */
export function assertScopeHeld(missing: string[], holder: string): void {
  if (missing.length > 0) {
    throw new TesseraError('INVALID_SCOPE', `scope: ${holder} may not have ${missing.join(', ')}`, {
      field: 'scope',
    });
  }
}
