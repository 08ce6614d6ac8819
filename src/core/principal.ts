import { TesseraError } from './errors.ts';
import { ALL, PermissionSet, type Role } from './permissions.ts';
import type { TokenKind } from './token-format.ts';

/** Who is calling: the user behind a verified session or token, with the permissions that token holds now. */
export interface Principal {
  tenantId: string;
  userId: number;
  role: Role;
  permissions: PermissionSet;
  tokenId: string;
  kind: TokenKind;
  ip: string | null;
  /**
   * The resources the presented token is bound to (`report:team:sales-dashboard`); empty: none. Absent for
   * principals not made by the verifier (the command line), so checks that need it read the token.
   */
  resources?: readonly string[];
  /** When the presented token expires; absent for principals not made by the verifier (the command line). */
  expiresAt?: number;
}

/** Who did something, for the audit log: a principal, or the command line (no user). */
export interface Actor {
  tenantId: string;
  userId: number | null;
  tokenId: string | null;
  ip: string | null;
}

export function cliActor(tenantId: string): Actor {
  return { tenantId, userId: null, tokenId: null, ip: null };
}

/** Throws FORBIDDEN unless the principal holds the permission. */
export function requirePermission(principal: Principal, permission: string): void {
  if (!principal.permissions.has(permission)) {
    throw new TesseraError(
      'FORBIDDEN',
      `This needs the ${permission} permission, which your credentials do not carry.`,
    );
  }
}

/** Throws FORBIDDEN unless the principal is an admin holding the permission. */
export function requireAdmin(principal: Principal, permission: string): void {
  if (principal.role !== 'admin') throw new TesseraError('FORBIDDEN', 'Only administrators may do this.');
  requirePermission(principal, permission);
}

/**
 * Nobody grants, sets or obtains more than they hold: throws PERMISSION_NOT_HELD, naming `field`, unless
 * the principal holds every one of `rights` at this moment (`*` needs `*`). `what` ends the message:
 * "you do not hold reports:manage, so you cannot {what}", e.g. "give them to a user".
 */
export function requireHolds(
  principal: Principal,
  rights: readonly string[],
  field: string,
  what: string,
): void {
  const missing = principal.permissions.missing(rights);
  if (missing.length === 0) return;
  const named = missing.includes(ALL) ? 'every permission (*)' : missing.join(', ');
  throw new TesseraError(
    'PERMISSION_NOT_HELD',
    `${field}: you do not hold ${named}, so you cannot ${what}.`,
    {
      field,
    },
  );
}

export function isAdmin(principal: Principal, permission: string): boolean {
  return principal.role === 'admin' && principal.permissions.has(permission);
}

/**
 * The command line acting with full rights on behalf of a user (an operator at the server's shell already
 * holds the database). Audited with token id `cli`.
 */
export function cliPrincipal(tenantId: string, userId: number): Principal {
  return {
    tenantId,
    userId,
    role: 'admin',
    permissions: new PermissionSet([ALL]),
    tokenId: 'cli',
    kind: 'ses',
    ip: null,
  };
}
