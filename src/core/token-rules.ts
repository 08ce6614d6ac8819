import type { PermissionCatalog } from './catalog.ts';
import { invalid, TesseraError } from './errors.ts';
import type { SessionType, UserWithSecret } from './model.ts';
import { ALL, PermissionSet, resourceAllowed, roleDefaultPermissions } from './permissions.ts';
import type { Principal } from './principal.ts';
import { mayReachReport, REPORT_PREFIX } from './report-access.ts';
import type { Store } from './store.ts';
import { checkText, cleanName } from './text.ts';
import type { TokenKind } from './token-format.ts';

const RESOURCE_PATTERN = /^[a-z][a-z0-9-]*:\S{1,200}$/;

/** What the calling token is bound to; its children stay within it. */
export interface CallerBindings {
  resources: readonly string[];
  departmentId: number | null;
  userTypeId: number | null;
}

/** Fields a token is issued with once its input has been checked. */
export interface TokenSpec {
  kind: TokenKind;
  name: string;
  description: string | null;
  permissions: string[];
  resources: string[];
  userId: number;
  departmentId: number | null;
  userTypeId: number | null;
  expiresAt: number;
  retrievable: boolean;
  parentId: string | null;
  clientId?: string | null;
  sourceId?: string | null;
  familyId?: string | null;
  reportId?: string | null;
  sessionType?: SessionType | null;
  deviceName?: string | null;
}

/**
 * A token that stands in for its user (a sign-in session, a refresh token): it carries whatever the user
 * holds (`*`), is bound to their department and user type, and cannot be shown again.
 */
export function standInSpec(
  user: Pick<UserWithSecret, 'id' | 'departmentId' | 'userTypeId'>,
  kind: TokenKind,
  name: string,
  expiresAt: number,
  extra: Partial<TokenSpec> = {},
): TokenSpec {
  return {
    kind,
    name,
    description: null,
    permissions: [ALL],
    resources: [],
    userId: user.id,
    departmentId: user.departmentId,
    userTypeId: user.userTypeId,
    expiresAt,
    retrievable: false,
    parentId: null,
    ...extra,
  };
}

/**
 * The rules every new token passes: a name, known permissions that both its user and the caller hold,
 * well-formed resources, and bindings that exist in the tenant.
 */
export class TokenRules {
  constructor(
    private readonly store: Store,
    private readonly catalog: PermissionCatalog,
  ) {}

  /** Checks a spec and returns it cleaned (trimmed name, permissions and resources without repeats). */
  async check(principal: Principal, user: UserWithSecret, spec: TokenSpec): Promise<TokenSpec> {
    const name = cleanName(spec.name);
    if (spec.description) checkText('description', spec.description);
    const permissions = [...new Set(spec.permissions)];
    const resources = [...new Set(spec.resources)];
    // `*` ("everything the user holds") is for personal tokens, which stand in for the user's password.
    if (permissions.includes(ALL) && (spec.kind !== 'pat' || permissions.length > 1)) {
      throw invalid('permissions', 'list the permissions one by one; * is only for personal tokens, alone');
    }
    if (permissions.length === 0 && resources.length === 0) {
      throw invalid('permissions', 'choose at least one permission (or bind the token to a resource)');
    }
    const badResource = resources.find((r) => !RESOURCE_PATTERN.test(r));
    if (badResource !== undefined)
      throw invalid('resources', `${badResource} is not <type>:<id>, e.g. report:team:sales-dashboard`);
    const userPermissions = user.permissions ?? roleDefaultPermissions(user.role);
    const explicit = permissions.filter((p) => p !== ALL);
    await this.catalog.assertKnown(principal.tenantId, explicit, 'permissions');
    const userMissing = new PermissionSet(userPermissions).missing(explicit);
    if (userMissing.length > 0) {
      throw new TesseraError(
        'PERMISSION_NOT_HELD',
        `permissions: user ${user.username} does not hold ${userMissing.join(', ')}`,
        {
          field: 'permissions',
        },
      );
    }
    // A `*` token carries all the user holds, so the caller must hold all of that too.
    const callerMissing = principal.permissions.missing(
      permissions.includes(ALL) ? userPermissions : explicit,
    );
    if (callerMissing.length > 0) {
      throw new TesseraError(
        'PERMISSION_NOT_HELD',
        `permissions: you do not hold ${callerMissing.join(', ')}`,
        { field: 'permissions' },
      );
    }
    await this.assertReports(principal, resources);
    await this.assertWithinCaller(principal, { ...spec, resources });
    await this.assertEntry(principal.tenantId, 'departments', spec.departmentId, 'departmentId');
    await this.assertEntry(principal.tenantId, 'user_types', spec.userTypeId, 'userTypeId');
    return { ...spec, name, permissions, resources };
  }

  /**
   * `report:` bindings are checked against the reports: `report:<id>` must name a report of the tenant that the
   * caller may read (`reports:read`, and within the caller's own token's bindings), and `report:<prefix>:*`
   * needs the same reach over the whole prefix. A report that does not exist and one the caller may not read
   * are refused alike. Other types (`subscription:42`) are the applications' own resources, which Tessera
   * does not know: they are taken as given, since a binding only ever narrows what a token may touch.
   */
  private async assertReports(principal: Principal, resources: readonly string[]): Promise<void> {
    const reports = resources.filter((r) => r.startsWith(REPORT_PREFIX));
    if (reports.length === 0) return;
    for (const resource of reports) {
      const reachable =
        principal.permissions.has('reports:read') && (await mayReachReport(this.store, principal, resource));
      const id = resource.slice(REPORT_PREFIX.length);
      const exists =
        reachable &&
        (resource.endsWith(':*') || (await this.store.reports.get(principal.tenantId, id)) !== undefined);
      if (!exists) throw invalid('resources', `${resource} names no report you may read in this tenant`);
    }
  }

  /**
   * The bindings of the token making this call: none for a sign-in session (it stands in for its user) or
   * the command line. A token made (or rotated) with a bound token is bound at least as narrowly.
   */
  async callerBindings(principal: Principal): Promise<CallerBindings | null> {
    if (principal.kind === 'ses') return null;
    const token = await this.store.tokens.get(principal.tenantId, principal.tokenId);
    return token
      ? { resources: token.resources, departmentId: token.departmentId, userTypeId: token.userTypeId }
      : null;
  }

  private async assertWithinCaller(principal: Principal, spec: TokenSpec): Promise<void> {
    const bound = await this.callerBindings(principal);
    if (!bound) return;
    if (bound.resources.length > 0) {
      const outside =
        spec.resources.length === 0
          ? '(none: any resource)'
          : spec.resources.find((r) => !resourceAllowed(bound.resources, r));
      if (outside !== undefined)
        throw new TesseraError(
          'PERMISSION_NOT_HELD',
          `resources: your token is bound to ${bound.resources.join(', ')}, so a token it makes must be bound within them, not to ${outside}`,
          { field: 'resources' },
        );
    }
    for (const field of ['departmentId', 'userTypeId'] as const) {
      if (bound[field] !== null && spec[field] !== bound[field])
        throw new TesseraError(
          'PERMISSION_NOT_HELD',
          `${field}: your token is bound to ${bound[field]}, so a token it makes must be bound to it too`,
          { field },
        );
    }
  }

  private async assertEntry(
    tenantId: string,
    kind: 'departments' | 'user_types',
    id: number | null,
    field: string,
  ): Promise<void> {
    if (id === null) return;
    if (!(await this.store.directory(kind).get(tenantId, id)))
      throw invalid(field, `no ${kind.replace('_', ' ')} entry ${id} in this tenant`);
  }
}
