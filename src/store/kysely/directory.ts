import type { Kysely } from 'kysely';
import type { DirectoryEntry, DirectoryKind } from '../../core/model.ts';
import type { DirectoryRepo } from '../../core/store.ts';
import type { Database } from '../schema.ts';
import { conflictAs } from './conflict.ts';

const TABLES = { departments: 'departments', user_types: 'userTypes' } as const;
const REFERENCES = { departments: 'departmentId', user_types: 'userTypeId' } as const;

/** Departments and user types: two tables of the same shape, served by one repository. */
export class KyselyDirectoryRepo implements DirectoryRepo {
  private readonly table: 'departments' | 'userTypes';
  private readonly reference: 'departmentId' | 'userTypeId';

  constructor(
    private readonly db: Kysely<Database>,
    kind: DirectoryKind,
  ) {
    this.table = TABLES[kind];
    this.reference = REFERENCES[kind];
  }

  insert(entry: Omit<DirectoryEntry, 'id'>): Promise<DirectoryEntry> {
    return conflictAs(
      this.db.insertInto(this.table).values(entry).returningAll().executeTakeFirstOrThrow(),
      'NAME_TAKEN',
      `name: ${entry.name} is taken`,
      'name',
    );
  }

  get(tenantId: string, id: number): Promise<DirectoryEntry | undefined> {
    return this.db
      .selectFrom(this.table)
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  list(tenantId: string): Promise<DirectoryEntry[]> {
    return this.db
      .selectFrom(this.table)
      .selectAll()
      .where('tenantId', '=', tenantId)
      .orderBy('name')
      .execute();
  }

  update(
    tenantId: string,
    id: number,
    patch: { name?: string; description?: string | null },
  ): Promise<DirectoryEntry | undefined> {
    return conflictAs(
      this.db
        .updateTable(this.table)
        .set(patch)
        .where('tenantId', '=', tenantId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst(),
      'NAME_TAKEN',
      `name: ${patch.name} is taken`,
      'name',
    );
  }

  async delete(tenantId: string, id: number): Promise<boolean> {
    const result = await this.db
      .deleteFrom(this.table)
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async inUse(tenantId: string, id: number, now?: number): Promise<boolean> {
    const user = await this.db
      .selectFrom('users')
      .select('id')
      .where('tenantId', '=', tenantId)
      .where(this.reference, '=', id)
      .limit(1)
      .executeTakeFirst();
    // Revoked and expired tokens keep their binding for the record, but do not hold the entry.
    let tokens = this.db
      .selectFrom('tokens')
      .select('id')
      .where('tenantId', '=', tenantId)
      .where(this.reference, '=', id)
      .where('revokedAt', 'is', null);
    if (now !== undefined) tokens = tokens.where('expiresAt', '>', now);
    const token = await tokens.limit(1).executeTakeFirst();
    return user !== undefined || token !== undefined;
  }
}
