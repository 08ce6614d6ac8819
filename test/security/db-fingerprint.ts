import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Store } from '../../src/core/store.ts';
import type { KyselyStore } from '../../src/store/kysely/store.ts';

/**
 * A hash of everything the database holds, read through the service's own store: two equal fingerprints
 * mean no row was added, removed or changed. Left out, because they change by design without a write
 * being asked for: usage counters (flushed in the background from any verified request), failed-sign-in
 * audit events (a refused password is recorded and folded into one event), and the migrations' own tables.
 */

// Rows come through the store's camel-case plugin on one dialect or the other: both spellings.
const USAGE_COLUMNS = new Set([
  'last_used_at',
  'last_used_ip',
  'use_count',
  'lastUsedAt',
  'lastUsedIp',
  'useCount',
]);

export async function dbFingerprint(service: Store): Promise<Fingerprint> {
  const store = service as KyselyStore;
  // biome-ignore lint/suspicious/noExplicitAny: any table, read generically
  const db = store.db as unknown as Kysely<any>;
  const tables =
    store.dialect === 'sqlite'
      ? (
          await sql<{
            name: string;
          }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(
            db,
          )
        ).rows.map((r) => r.name)
      : (
          await sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = current_schema() order by table_name`.execute(
            db,
          )
        ).rows.map((r) => r.name);
  const fingerprint: Fingerprint = {};
  for (const table of tables) {
    if (table.startsWith('kysely_')) continue;
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db)).rows;
    const kept = rows
      .filter((row) => !(table === 'audit_events' && String(row.action ?? '').includes('failed')))
      .map((row) =>
        JSON.stringify(
          Object.entries(row)
            .filter(([column]) => !USAGE_COLUMNS.has(column))
            .map(([column, value]) => [
              column,
              value instanceof Buffer ? value.toString('base64') : String(value),
            ]),
        ),
      )
      .sort();
    fingerprint[table] = createHash('sha256').update(kept.join('\n')).digest('base64url');
  }
  return fingerprint;
}

/** A hash of each table's rows. */
export type Fingerprint = Record<string, string>;

/** The tables whose rows differ between two fingerprints (empty: nothing was written). */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  const tables = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...tables].filter((table) => before[table] !== after[table]).sort();
}
