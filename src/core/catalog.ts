import type { AuditLog } from './audit.ts';
import type { Clock } from './clock.ts';
import { TesseraError } from './errors.ts';
import { BUILT_IN_PERMISSIONS, PERMISSION_PATTERN, type PermissionInfo } from './permissions.ts';
import { type Principal, requireAdmin } from './principal.ts';
import type { Store } from './store.ts';

/** The permission catalog: the built-in permissions plus those a tenant added. */
export class PermissionCatalog {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async list(tenantId: string): Promise<PermissionInfo[]> {
    return [...BUILT_IN_PERMISSIONS, ...(await this.store.permissions.list(tenantId))];
  }

  /** Throws UNKNOWN_PERMISSION naming `field` if any permission is not in the tenant's catalog. */
  async assertKnown(tenantId: string, permissions: readonly string[], field: string): Promise<void> {
    if (permissions.length === 0) return;
    const known = new Set((await this.list(tenantId)).map((p) => p.name));
    const unknown = permissions.filter((p) => !known.has(p));
    if (unknown.length > 0) {
      throw new TesseraError(
        'UNKNOWN_PERMISSION',
        `${field}: unknown permission ${unknown.join(', ')}; see GET /api/permissions.`,
        {
          field,
        },
      );
    }
  }

  async add(
    principal: Principal,
    info: { name: string; label: string; description?: string },
  ): Promise<PermissionInfo> {
    requireAdmin(principal, 'settings:manage');
    if (!PERMISSION_PATTERN.test(info.name)) {
      throw new TesseraError(
        'VALIDATION_FAILED',
        'name: must look like <resource-type>:<action>, e.g. invoices:export',
        {
          field: 'name',
        },
      );
    }
    if ((await this.list(principal.tenantId)).some((p) => p.name === info.name)) {
      throw new TesseraError('PERMISSION_EXISTS', `name: the catalog already has ${info.name}`, {
        field: 'name',
      });
    }
    const entry = { name: info.name, label: info.label, description: info.description ?? '' };
    await this.store.transaction(async (tx) => {
      await tx.permissions.insert(principal.tenantId, entry, this.clock.now());
      await this.audit.record(tx, principal, 'permission.create', { type: 'permission', id: info.name });
    });
    return { ...entry, builtIn: false };
  }
}
