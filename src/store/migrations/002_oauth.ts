import type { Kysely } from 'kysely';

/**
 * OAuth and the refresh-token family: registered clients, signing keys for JWT access tokens, and on each
 * token the client it was issued to, the refresh token it was minted from, and its rotation family.
 * Users gain a single-sign-on flag (they cannot trade a password for a refresh token).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // SQLite adds one column per ALTER TABLE.
  for (const column of ['client_id', 'source_id', 'family_id']) {
    await db.schema.alterTable('tokens').addColumn(column, 'text').execute();
  }
  await db.schema.createIndex('tokens_source').on('tokens').column('source_id').execute();
  await db.schema.createIndex('tokens_family').on('tokens').column('family_id').execute();
  await db.schema.createIndex('tokens_client').on('tokens').column('client_id').execute();
  await db.schema
    .alterTable('users')
    .addColumn('sso', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('oauth_clients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('secret_hint', 'text', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('access_token_lifespan', 'integer')
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('secret_rotated_at', 'bigint')
    .execute();
  await db.schema.createIndex('oauth_clients_tenant').on('oauth_clients').column('tenant_id').execute();

  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('alg', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('private_jwk', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('retired_at', 'bigint')
    .execute();
}
