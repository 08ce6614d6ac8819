import { type CreateTableBuilder, type Kysely, PostgresAdapter } from 'kysely';

/** An auto-incrementing integer primary key, spelled the way each engine wants it. */
function withSerialId(table: CreateTableBuilder<string, never>, postgres: boolean) {
  return postgres
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** The first schema: tenants, users and their directory, tokens, settings, the permission catalog, audit. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const serialId = (table: CreateTableBuilder<string, never>) => withSerialId(table, postgres);

  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await serialId(db.schema.createTable('users'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('full_name', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('permissions', 'text')
    .addColumn('department_id', 'integer')
    .addColumn('user_type_id', 'integer')
    .addColumn('preferred_language', 'text')
    .addColumn('password_hash', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('users_tenant_username', ['tenant_id', 'username'])
    .execute();

  for (const table of ['departments', 'user_types']) {
    await serialId(db.schema.createTable(table))
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint(`${table}_tenant_name`, ['tenant_id', 'name'])
      .execute();
  }

  await db.schema
    .createTable('tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .addColumn('hint', 'text', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull())
    .addColumn('resources', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .addColumn('department_id', 'integer')
    .addColumn('user_type_id', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('last_used_at', 'bigint')
    .addColumn('last_used_ip', 'text')
    .addColumn('use_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('ciphertext', 'text')
    .addColumn('parent_id', 'text')
    .execute();
  await db.schema
    .createIndex('tokens_tenant_created')
    .on('tokens')
    .columns(['tenant_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('tokens_tenant_expires')
    .on('tokens')
    .columns(['tenant_id', 'expires_at'])
    .execute();
  await db.schema.createIndex('tokens_tenant_user').on('tokens').columns(['tenant_id', 'user_id']).execute();
  await db.schema.createIndex('tokens_parent').on('tokens').column('parent_id').execute();

  await db.schema
    .createTable('settings')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('settings_pk', ['tenant_id', 'key'])
    .execute();

  await db.schema
    .createTable('permissions')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('permissions_pk', ['tenant_id', 'name'])
    .execute();

  await serialId(db.schema.createTable('audit_events'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_user_id', 'integer')
    .addColumn('actor_token_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('details', 'text')
    .execute();
  await db.schema.createIndex('audit_tenant_id').on('audit_events').columns(['tenant_id', 'id']).execute();
}
