import type { Kysely } from 'kysely';

/**
 * Report share tokens and mobile sessions (seeds 001 and 004): reports that share tokens bind to, and on
 * each token the report it shares, and for a sign-in session whether it is the console's or a mobile app's
 * and on which device.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('reports')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('viewer_url', 'text')
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('reports_pk', ['tenant_id', 'id'])
    .execute();

  // SQLite adds one column per ALTER TABLE.
  for (const column of ['report_id', 'session_type', 'device_name']) {
    await db.schema.alterTable('tokens').addColumn(column, 'text').execute();
  }
  await db.schema
    .createIndex('tokens_tenant_report')
    .on('tokens')
    .columns(['tenant_id', 'report_id'])
    .execute();
  await db.schema
    .createIndex('tokens_tenant_session_type')
    .on('tokens')
    .columns(['tenant_id', 'session_type'])
    .execute();
}
