/**
 * Permissions are `<resource-type>:<action>` strings. The built-in catalog is below; a tenant may add its
 * own. `*` stands for "every permission": admins hold it by default, and session tokens carry it to mean
 * "whatever the signed-in user holds".
 */
export const ALL = '*';

export interface PermissionInfo {
  name: string;
  label: string;
  description: string;
  builtIn: boolean;
}

export const BUILT_IN_PERMISSIONS: readonly PermissionInfo[] = [
  ['subscription:execute', 'Execute subscription', 'Start a subscription job from an external application.'],
  ['semantic-model:refresh', 'Refresh semantic data input', 'Refresh a semantic data input model.'],
  ['reports:read', 'Read reports', 'View reports and their share tokens.'],
  ['reports:manage', 'Manage reports', 'Create, change and delete reports (admins).'],
  ['users:read', 'Read users', 'List users, departments and user types.'],
  ['users:write', 'Manage users', 'Create, change and delete users, departments and user types.'],
  [
    'tokens:manage',
    'Manage tokens',
    'Create, inspect, rotate and revoke tokens (admins: every token of the tenant).',
  ],
  ['settings:manage', 'Manage settings', 'Read and change settings and the permission catalog.'],
  ['audit:read', 'Read audit log', 'Read the audit log.'],
  ['clients:manage', 'Manage OAuth clients', 'Register OAuth clients, rotate their secrets and delete them.'],
  ['tokens:introspect', 'Introspect tokens', 'Ask /oauth/introspect whether a token is active.'],
].map(([name, label, description]) => ({
  name: name!,
  label: label!,
  description: description!,
  builtIn: true,
}));

export const PERMISSION_PATTERN = /^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$/;

export type Role = 'admin' | 'member';
export const ROLES: readonly Role[] = ['admin', 'member'];

/** What a user holds when no explicit list is set for them. */
export function roleDefaultPermissions(role: Role): string[] {
  return role === 'admin'
    ? [ALL]
    : ['subscription:execute', 'semantic-model:refresh', 'reports:read', 'tokens:manage'];
}

/** What a user holds now: their explicit list, or their role's defaults. */
export function rightsOf(user: { role: Role; permissions: readonly string[] | null }): string[] {
  return user.permissions ? [...user.permissions] : roleDefaultPermissions(user.role);
}

/** A set of permissions that understands {@link ALL}. */
export class PermissionSet {
  private readonly items: ReadonlySet<string>;
  constructor(permissions: Iterable<string>) {
    this.items = new Set(permissions);
  }
  get all(): boolean {
    return this.items.has(ALL);
  }
  has(permission: string): boolean {
    return this.items.has(ALL) || this.items.has(permission);
  }
  /** The permissions in `wanted` that this set lacks. */
  missing(wanted: Iterable<string>): string[] {
    return [...wanted].filter((p) => !this.has(p));
  }
  toArray(): string[] {
    return [...this.items];
  }
}

/**
 * A token's permissions at the moment of use: its own list narrowed to what its user holds now, so a
 * demoted user's tokens lose the permission at once. `*` on the token means "all of the user's".
 */
export function effectivePermissions(
  tokenPermissions: readonly string[],
  userPermissions: readonly string[],
): string[] {
  if (tokenPermissions.includes(ALL)) return [...userPermissions];
  const user = new PermissionSet(userPermissions);
  return tokenPermissions.filter((p) => user.has(p));
}

/**
 * Whether a token bound to `bound` resources may touch `resource`. An unbound token may touch any;
 * a binding ending in `:*` covers every resource under that prefix.
 */
export function resourceAllowed(bound: readonly string[], resource: string): boolean {
  if (bound.length === 0) return true;
  return bound.some((b) => b === resource || (b.endsWith(':*') && resource.startsWith(b.slice(0, -1))));
}
