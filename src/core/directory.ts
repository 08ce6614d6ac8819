import type { AuditLog } from './audit.ts';
import type { Clock } from './clock.ts';
import { TesseraError } from './errors.ts';
import type { DirectoryEntry, DirectoryKind } from './model.ts';
import { type Principal, requireAdmin } from './principal.ts';
import type { Store } from './store.ts';
import { cleanName } from './text.ts';

/** How a message names an entry of each kind. */
export const DIRECTORY_NOUN: Record<DirectoryKind, string> = {
  departments: 'department',
  user_types: 'user type',
};
const DIRECTORY_NOT_FOUND = {
  departments: 'DEPARTMENT_NOT_FOUND',
  user_types: 'USER_TYPE_NOT_FOUND',
} as const;

/** Departments and user types (seed 004): named entries users and tokens are bound to. */
export class DirectoryService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async list(principal: Principal, kind: DirectoryKind): Promise<DirectoryEntry[]> {
    requireAdmin(principal, 'users:read');
    return this.store.directory(kind).list(principal.tenantId);
  }

  async get(principal: Principal, kind: DirectoryKind, id: number): Promise<DirectoryEntry> {
    requireAdmin(principal, 'users:read');
    return this.findEntry(principal.tenantId, kind, id);
  }

  async create(
    principal: Principal,
    kind: DirectoryKind,
    input: { name: string; description?: string | null },
  ): Promise<DirectoryEntry> {
    requireAdmin(principal, 'users:write');
    const name = cleanName(input.name);
    await this.assertNameFree(principal.tenantId, kind, name, null);
    return this.store.transaction(async (tx) => {
      const entry = await tx.directory(kind).insert({
        tenantId: principal.tenantId,
        name,
        description: input.description ?? null,
        createdAt: this.clock.now(),
      });
      await this.audit.record(
        tx,
        principal,
        `${DIRECTORY_NOUN[kind].replace(' ', '_')}.create`,
        { type: kind, id: entry.id },
        { name },
      );
      return entry;
    });
  }

  async update(
    principal: Principal,
    kind: DirectoryKind,
    id: number,
    patch: { name?: string; description?: string | null },
  ): Promise<DirectoryEntry> {
    requireAdmin(principal, 'users:write');
    await this.findEntry(principal.tenantId, kind, id);
    const changes = { ...patch, ...(patch.name === undefined ? {} : { name: cleanName(patch.name) }) };
    if (changes.name !== undefined) {
      await this.assertNameFree(principal.tenantId, kind, changes.name, id);
    }
    return this.store.transaction(async (tx) => {
      const entry = await tx.directory(kind).update(principal.tenantId, id, changes);
      if (!entry) throw new TesseraError(DIRECTORY_NOT_FOUND[kind], `No ${DIRECTORY_NOUN[kind]} ${id}.`);
      await this.audit.record(
        tx,
        principal,
        `${DIRECTORY_NOUN[kind].replace(' ', '_')}.update`,
        { type: kind, id },
        changes,
      );
      return entry;
    });
  }

  async delete(principal: Principal, kind: DirectoryKind, id: number): Promise<void> {
    requireAdmin(principal, 'users:write');
    await this.findEntry(principal.tenantId, kind, id);
    await this.store.transaction(async (tx) => {
      if (await tx.directory(kind).inUse(principal.tenantId, id, this.clock.now())) {
        throw new TesseraError(
          'IN_USE',
          `This ${DIRECTORY_NOUN[kind]} is still assigned to users or active tokens.`,
        );
      }
      await tx.directory(kind).delete(principal.tenantId, id);
      await this.audit.record(tx, principal, `${DIRECTORY_NOUN[kind].replace(' ', '_')}.delete`, {
        type: kind,
        id,
      });
    });
  }

  private async findEntry(tenantId: string, kind: DirectoryKind, id: number): Promise<DirectoryEntry> {
    const entry = await this.store.directory(kind).get(tenantId, id);
    if (!entry)
      throw new TesseraError(DIRECTORY_NOT_FOUND[kind], `No ${DIRECTORY_NOUN[kind]} ${id} in your tenant.`);
    return entry;
  }

  private async assertNameFree(
    tenantId: string,
    kind: DirectoryKind,
    name: string,
    self: number | null,
  ): Promise<void> {
    const clash = (await this.store.directory(kind).list(tenantId)).find(
      (e) => e.name === name && e.id !== self,
    );
    if (clash)
      throw new TesseraError('NAME_TAKEN', `name: a ${DIRECTORY_NOUN[kind]} named ${name} exists`, {
        field: 'name',
      });
  }
}
