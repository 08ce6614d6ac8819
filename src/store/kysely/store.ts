import path from 'node:path';
import {
  CamelCasePlugin,
  Kysely,
  Migrator,
  PostgresDialect,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteStatement,
  sql,
} from 'kysely';
import { makePrivateDir, makePrivateFile } from '../../config/data-dir.ts';
import type { DirectoryKind } from '../../core/model.ts';
import type { DirectoryRepo, Store } from '../../core/store.ts';
import { migrationProvider } from '../migrations/index.ts';
import type { Database } from '../schema.ts';
import { KyselyDirectoryRepo } from './directory.ts';
import { KyselyOAuthClientRepo, KyselySigningKeyRepo } from './oauth.ts';
import { KyselyAuditRepo, KyselyPermissionRepo, KyselySettingsRepo, KyselyTenantRepo } from './records.ts';
import { KyselyReportRepo } from './reports.ts';
import { KyselySessionRepo } from './sessions.ts';
import { KyselyTokenRepo } from './tokens.ts';
import { withUnavailableErrors } from './unavailable.ts';
import { KyselyUserRepo } from './users.ts';

/** The Store on Kysely: the same queries for SQLite and PostgreSQL. */
export class KyselyStore implements Store {
  readonly tenants: KyselyTenantRepo;
  readonly users: KyselyUserRepo;
  readonly tokens: KyselyTokenRepo;
  readonly sessions: KyselySessionRepo;
  readonly settings: KyselySettingsRepo;
  readonly permissions: KyselyPermissionRepo;
  readonly audit: KyselyAuditRepo;
  readonly clients: KyselyOAuthClientRepo;
  readonly signingKeys: KyselySigningKeyRepo;
  readonly reports: KyselyReportRepo;
  private readonly directories: Record<DirectoryKind, KyselyDirectoryRepo>;

  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: 'sqlite' | 'postgres',
  ) {
    this.tenants = new KyselyTenantRepo(db);
    this.users = new KyselyUserRepo(db);
    this.tokens = new KyselyTokenRepo(db, dialect);
    this.sessions = new KyselySessionRepo(db);
    this.settings = new KyselySettingsRepo(db);
    this.permissions = new KyselyPermissionRepo(db);
    this.audit = new KyselyAuditRepo(db);
    this.clients = new KyselyOAuthClientRepo(db);
    this.signingKeys = new KyselySigningKeyRepo(db);
    this.reports = new KyselyReportRepo(db);
    this.directories = {
      departments: new KyselyDirectoryRepo(db, 'departments'),
      user_types: new KyselyDirectoryRepo(db, 'user_types'),
    };
  }

  directory(kind: DirectoryKind): DirectoryRepo {
    return this.directories[kind];
  }

  transaction<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return fn(this);
    return this.db.transaction().execute((trx) => fn(new KyselyStore(trx, this.dialect)));
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  /** Brings the schema up to date; safe to run on every start and from several nodes at once. */
  async migrate(): Promise<string[]> {
    const migrator = new Migrator({ db: this.db, provider: migrationProvider });
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error;
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  }
}

/** Opens the store a database URL names: `postgres://…` for PostgreSQL, otherwise an SQLite file path. */
export async function openStore(target: { databaseUrl?: string; sqlitePath: string }): Promise<KyselyStore> {
  const plugins = [new CamelCasePlugin()];
  if (target.databaseUrl && /^postgres(ql)?:\/\//.test(target.databaseUrl)) {
    const { default: pg } = await import('pg');
    const int8 = 20;
    const pool = new pg.Pool({
      connectionString: target.databaseUrl,
      max: 10,
      // An unreachable server fails a request after 5 s (a 503) instead of holding it until TCP gives up.
      connectionTimeoutMillis: 5000,
      keepAlive: true,
      // bigint columns hold epoch milliseconds and counters, well inside Number's exact range.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === int8 ? Number : pg.types.getTypeParser(oid, format)) as never,
      },
    });
    // An idle client whose server connection dies (a restart, pg_terminate_backend) is dropped by the pool,
    // which then emits 'error': without a listener that would end the process. The next query reconnects.
    pool.on('error', () => undefined);
    return new KyselyStore(
      new Kysely<Database>({ dialect: new PostgresDialect({ pool: withUnavailableErrors(pool) }), plugins }),
      'postgres',
    );
  }
  const { default: SQLite } = await import('better-sqlite3');
  if (target.sqlitePath !== ':memory:') {
    // Owner-only, whatever the umask: SQLite gives the -wal and -shm files the database file's mode.
    makePrivateDir(path.dirname(target.sqlitePath));
    makePrivateFile(target.sqlitePath);
  }
  const database = new SQLite(target.sqlitePath);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  // Checkpoint every 10,000 pages (40 MB of WAL) rather than 1,000: an index page that many inserts dirty
  // is copied back once per checkpoint, so hot issuance writes less (measured on batches of 20 access-token
  // rows: commit cost per row 35 → 21 µs).
  database.pragma('wal_autocheckpoint = 10000');
  return new KyselyStore(
    new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }), plugins }),
    'sqlite',
  );
}

/**
 * Kysely prepares every SQLite query anew; preparing costs more than running a lookup. The service issues
 * a small, fixed set of query texts, so keep their prepared statements (bounded, oldest dropped first).
 */
function withStatementCache(database: SqliteDatabase, max = 256): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare(sqlText: string) {
      let statement = statements.get(sqlText);
      if (!statement) {
        statement = database.prepare(sqlText);
        if (statements.size >= max) statements.delete(statements.keys().next().value as string);
        statements.set(sqlText, statement);
      }
      return statement;
    },
  };
}
