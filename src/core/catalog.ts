import type { AuditLog } from './audit.ts';
import type { Clock } from './clock.ts';
import { TesseraError } from './errors.ts';
import { BUILT_IN_PERMISSIONS, PERMISSION_PATTERN, type PermissionInfo } from './permissions.ts';
import { type Principal, requireAdmin } from './principal.ts';
import type { Store } from './store.ts';

/** A tenant's catalog as read at `readAt`, with its names ready for the checks the token endpoint makes. */
interface CachedCatalog {
  items: readonly PermissionInfo[];
  names: ReadonlySet<string>;
  /** The names in catalog order, joined by spaces (the `scope` of a user holding `*`). */
  scope: string;
  readAt: number;
}

/**
 * The permission catalog: the built-in permissions plus those a tenant added. Every token issuance reads
 * it, so each node keeps a tenant's catalog for `cacheTtlMs` (the same bound as the token and settings
 * caches); an addition made through this service is seen at once here, one made elsewhere within the TTL.
 */
export class PermissionCatalog {
  private readonly cache = new Map<string, CachedCatalog>();
  /** Bumped by every local change, so a read that raced it is not cached. */
  private generation = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly cacheTtlMs = 0,
  ) {}

  async list(tenantId: string): Promise<PermissionInfo[]> {
    return [...(await this.read(tenantId)).items];
  }

  /** The names in the tenant's catalog. */
  async names(tenantId: string): Promise<ReadonlySet<string>> {
    return (await this.read(tenantId)).names;
  }

  /** Every name in the tenant's catalog, space-separated, in catalog order. */
  async scope(tenantId: string): Promise<string> {
    return (await this.read(tenantId)).scope;
  }

  /** Throws UNKNOWN_PERMISSION naming `field` if any permission is not in the tenant's catalog. */
  async assertKnown(tenantId: string, permissions: readonly string[], field: string): Promise<void> {
    if (permissions.length === 0) return;
    const known = await this.names(tenantId);
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
    // Read afresh: another node may have added it within the cache TTL.
    this.forget(principal.tenantId);
    if ((await this.names(principal.tenantId)).has(info.name)) {
      throw new TesseraError('PERMISSION_EXISTS', `name: the catalog already has ${info.name}`, {
        field: 'name',
      });
    }
    const entry = { name: info.name, label: info.label, description: info.description ?? '' };
    try {
      await this.store.transaction(async (tx) => {
        await tx.permissions.insert(principal.tenantId, entry, this.clock.now());
        await this.audit.record(tx, principal, 'permission.create', { type: 'permission', id: info.name });
      });
    } finally {
      this.forget(principal.tenantId);
    }
    return { ...entry, builtIn: false };
  }

  /** Drops a tenant's cached catalog; a read already under way when this runs is not cached either. */
  private forget(tenantId: string): void {
    this.generation++;
    this.cache.delete(tenantId);
  }

  private async read(tenantId: string): Promise<CachedCatalog> {
    const now = this.clock.now();
    const cached = this.cache.get(tenantId);
    if (cached && now - cached.readAt < this.cacheTtlMs) return cached;
    const generation = this.generation;
    const items = [...BUILT_IN_PERMISSIONS, ...(await this.store.permissions.list(tenantId))];
    const names = items.map((p) => p.name);
    const fresh: CachedCatalog = { items, names: new Set(names), scope: names.join(' '), readAt: now };
    if (this.cacheTtlMs > 0 && generation === this.generation) this.cache.set(tenantId, fresh);
    return fresh;
  }
}
