import type { Kysely } from 'kysely';
import type { AuditEvent, AuditQuery, NewAuditEvent, Page } from '../../core/model.ts';
import type { PermissionInfo } from '../../core/permissions.ts';
import type { AuditRepo, PermissionRepo, SettingsRepo, TenantRepo } from '../../core/store.ts';
import type { Database } from '../schema.ts';
import { conflictAs } from './conflict.ts';
import { decodeCursor, encodeCursor, pageOf } from './cursor.ts';

/** The small repositories: tenants, settings, the tenant's own permissions, and the audit log. */

export class KyselyTenantRepo implements TenantRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async ensure(id: string, name: string, at: number): Promise<boolean> {
    const result = await this.db
      .insertInto('tenants')
      .values({ id, name, createdAt: at })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async exists(id: string): Promise<boolean> {
    return (
      (await this.db.selectFrom('tenants').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
    );
  }
}

export class KyselySettingsRepo implements SettingsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async all(tenantId: string): Promise<Record<string, unknown>> {
    const rows = await this.db
      .selectFrom('settings')
      .select(['key', 'value'])
      .where('tenantId', '=', tenantId)
      .execute();
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value)]));
  }

  async set(tenantId: string, values: Record<string, unknown>, at: number): Promise<void> {
    for (const [key, value] of Object.entries(values)) {
      const json = JSON.stringify(value);
      await this.db
        .insertInto('settings')
        .values({ tenantId, key, value: json, updatedAt: at })
        .onConflict((oc) => oc.columns(['tenantId', 'key']).doUpdateSet({ value: json, updatedAt: at }))
        .execute();
    }
  }
}

export class KyselyPermissionRepo implements PermissionRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async list(tenantId: string): Promise<PermissionInfo[]> {
    const rows = await this.db
      .selectFrom('permissions')
      .select(['name', 'label', 'description'])
      .where('tenantId', '=', tenantId)
      .orderBy('name')
      .execute();
    return rows.map((r) => ({ ...r, builtIn: false }));
  }

  async insert(tenantId: string, info: Omit<PermissionInfo, 'builtIn'>, at: number): Promise<void> {
    await conflictAs(
      this.db
        .insertInto('permissions')
        .values({
          tenantId,
          name: info.name,
          label: info.label,
          description: info.description,
          createdAt: at,
        })
        .execute(),
      'PERMISSION_EXISTS',
      `name: the catalog already has ${info.name}`,
      'name',
    );
  }
}

export class KyselyAuditRepo implements AuditRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(event: NewAuditEvent): Promise<void> {
    await this.db
      .insertInto('auditEvents')
      .values({ ...event, details: event.details === null ? null : JSON.stringify(event.details) })
      .execute();
  }

  async insertFoldable(event: NewAuditEvent): Promise<number> {
    const row = await this.db
      .insertInto('auditEvents')
      .values({ ...event, details: event.details === null ? null : JSON.stringify(event.details) })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async updateDetails(tenantId: string, id: number, details: Record<string, unknown>): Promise<void> {
    await this.db
      .updateTable('auditEvents')
      .set({ details: JSON.stringify(details) })
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  async list(tenantId: string, q: AuditQuery): Promise<Page<AuditEvent>> {
    let query = this.db.selectFrom('auditEvents').selectAll().where('tenantId', '=', tenantId);
    if (q.action) query = query.where('action', '=', q.action);
    if (q.actorUserId !== undefined) query = query.where('actorUserId', '=', q.actorUserId);
    if (q.targetId) query = query.where('targetId', '=', q.targetId);
    if (q.since !== undefined) query = query.where('at', '>=', q.since);
    if (q.until !== undefined) query = query.where('at', '<', q.until);
    if (q.cursor)
      query = query.where('id', '<', Number(decodeCursor('id', q.cursor, ['integer', 'integer'])[1]));
    const rows = await query
      .orderBy('id', 'desc')
      .limit(q.limit + 1)
      .execute();
    return pageOf(
      rows,
      q.limit,
      (r) => ({ ...r, details: r.details === null ? null : JSON.parse(r.details) }),
      (r) => encodeCursor('id', r.id, r.id),
    );
  }
}
