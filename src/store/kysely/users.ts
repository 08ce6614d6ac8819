import { type Kysely, PostgresAdapter, type Selectable, sql } from 'kysely';
import type { Page, User, UserQuery, UserWithSecret } from '../../core/model.ts';
import type { Role } from '../../core/permissions.ts';
import type { UserRepo } from '../../core/store.ts';
import type { Database } from '../schema.ts';
import { conflictAs } from './conflict.ts';
import { containsPattern, decodeCursor, encodeCursor, pageOf } from './cursor.ts';

type Row = Selectable<Database['users']>;

function toUser(row: Row): UserWithSecret {
  return {
    ...row,
    role: row.role as Role,
    permissions: row.permissions === null ? null : JSON.parse(row.permissions),
    sso: Boolean(row.sso),
  };
}

function withoutSecret({ passwordHash: _, ...user }: UserWithSecret): User {
  return user;
}

function toRow(patch: Partial<Omit<UserWithSecret, 'id' | 'tenantId'>>) {
  const { permissions, sso, ...rest } = patch;
  return {
    ...rest,
    ...(sso === undefined ? {} : { sso: sso ? 1 : 0 }),
    ...(permissions === undefined
      ? {}
      : { permissions: permissions === null ? null : JSON.stringify(permissions) }),
  };
}

export class KyselyUserRepo implements UserRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(user: Omit<UserWithSecret, 'id'>): Promise<User> {
    const insert = this.db
      .insertInto('users')
      .values({
        ...toRow(user),
        tenantId: user.tenantId,
        username: user.username,
        role: user.role,
        createdAt: user.createdAt,
        updatedAt: user.updatedAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const row = await conflictAs(insert, 'USERNAME_TAKEN', `username: ${user.username} is taken`, 'username');
    return withoutSecret(toUser(row));
  }

  async get(tenantId: string, id: number): Promise<UserWithSecret | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toUser(row);
  }

  async findByUsername(tenantId: string, username: string): Promise<UserWithSecret | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('username', '=', username)
      .executeTakeFirst();
    return row && toUser(row);
  }

  async list(tenantId: string, q: UserQuery): Promise<Page<User>> {
    let query = this.db.selectFrom('users').selectAll().where('tenantId', '=', tenantId);
    if (q.role) query = query.where('role', '=', q.role);
    if (q.departmentId !== undefined) query = query.where('departmentId', '=', q.departmentId);
    if (q.userTypeId !== undefined) query = query.where('userTypeId', '=', q.userTypeId);
    if (q.text) {
      const pattern = containsPattern(q.text);
      query = query.where((eb) =>
        eb.or(
          (['username', 'email', 'fullName'] as const).map(
            (c) => sql<boolean>`lower(${eb.ref(c)}) like ${pattern} escape '\\'`,
          ),
        ),
      );
    }
    if (q.cursor)
      query = query.where('id', '>', Number(decodeCursor('id', q.cursor, ['integer', 'integer'])[1]));
    const rows = await query
      .orderBy('id', 'asc')
      .limit(q.limit + 1)
      .execute();
    return pageOf(
      rows,
      q.limit,
      (r) => withoutSecret(toUser(r)),
      (r) => encodeCursor('id', r.id, r.id),
    );
  }

  async update(
    tenantId: string,
    id: number,
    patch: Partial<Omit<UserWithSecret, 'id' | 'tenantId'>>,
  ): Promise<User | undefined> {
    const update = this.db
      .updateTable('users')
      .set(toRow(patch))
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    const row = await conflictAs(
      update,
      'USERNAME_TAKEN',
      `username: ${patch.username} is taken`,
      'username',
    );
    return row && withoutSecret(toUser(row));
  }

  async delete(tenantId: string, id: number): Promise<boolean> {
    const result = await this.db
      .deleteFrom('users')
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async countAdmins(tenantId: string): Promise<number> {
    // In a PostgreSQL transaction, lock the admins' rows: two admins demoting or deleting each other at once
    // then take turns, and the second sees one admin left. (SQLite runs one write transaction at a time.)
    if (this.db.isTransaction && this.db.getExecutor().adapter instanceof PostgresAdapter) {
      const admins = await this.db
        .selectFrom('users')
        .select('id')
        .where('tenantId', '=', tenantId)
        .where('role', '=', 'admin')
        .orderBy('id')
        .forUpdate()
        .execute();
      return admins.length;
    }
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenantId', '=', tenantId)
      .where('role', '=', 'admin')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
