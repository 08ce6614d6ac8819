/**
 * The bench's fast seed: stores `count` real API tokens (made by the core's `generateToken`, stored as the
 * core's keyed hash and hint, verifiable by the server like any other) with multi-row inserts in large
 * transactions, instead of one `TokenService.issue` per token. Every row is the same token but for its id,
 * hash and hint, so only those three are parameters; the rest are literals in one SQL text that
 * better-sqlite3 prepares once. The token strings are appended to a file as they are made (the store keeps
 * only hashes), so the seeding process never holds a million of them.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { CompiledQuery, sql } from 'kysely';
import { DAY } from '../../src/core/clock.ts';
import { tokenHash } from '../../src/core/secrets.ts';
import { parseToken, tokenHint } from '../../src/core/token-format.ts';
import type { KyselyStore } from '../../src/store/kysely/store.ts';

/** Rows per INSERT statement: 3 parameters each, well under SQLite's 32,766 and PostgreSQL's 65,535. */
const ROWS_PER_INSERT = 2000;
/** Rows per transaction: large enough to amortise commits, small enough to let SQLite checkpoint its WAL. */
const ROWS_PER_TRANSACTION = 100_000;

export interface SeedSpec {
  count: number;
  tenantId: string;
  userId: number;
  permission: string;
  now: number;
  /** Where the token strings go, one a line. */
  tokensFile: string;
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SECRET_CHARS = 43;

/** Makes Tessera tokens of one kind from bulk random bytes; see the file's comment. */
class TokenMaker {
  private pool = Buffer.alloc(0);
  private at = 0;

  constructor(private readonly prefix: string) {}

  private char(): string {
    for (;;) {
      if (this.at >= this.pool.length) {
        this.pool = randomBytes(64 * 1024);
        this.at = 0;
      }
      const byte = this.pool[this.at++]!;
      if (byte < 248) return ALPHABET[byte % 62]!;
    }
  }

  make(): string {
    let body = this.prefix;
    for (let i = 0; i < SECRET_CHARS; i++) body += this.char();
    let sum = crc32(body);
    let checksum = '';
    for (let i = 0; i < 6; i++) {
      checksum = ALPHABET[sum % 62] + checksum;
      sum = Math.floor(sum / 62);
    }
    return body + checksum;
  }
}

/** Time-ordered UUIDv7 ids: the time, then a counter from a random start in the 74 bits the core fills at random. */
class IdMaker {
  private readonly prefix: string;
  private counter = randomBytes(6).readUIntBE(0, 6);
  private readonly high = randomBytes(2).readUInt16BE(0) & 0x3fff;

  constructor(ms: number) {
    const time = ms.toString(16).padStart(12, '0');
    const randA = randomBytes(2).readUInt16BE(0) & 0x0fff;
    this.prefix = `${time.slice(0, 8)}-${time.slice(8)}-7${randA.toString(16).padStart(3, '0')}`;
  }

  make(): string {
    const variant = (0x8000 | this.high).toString(16);
    return `${this.prefix}-${variant}-${(this.counter++).toString(16).padStart(12, '0')}`;
  }
}

/** An SQL string literal; only ever given this file's own constants. */
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** The one INSERT text: `rows` rows of (id, hash, hint) parameters joined with the constant columns. */
function insertText(store: KyselyStore, spec: SeedSpec, rows: number): string {
  const placeholder = store.dialect === 'postgres' ? (i: number) => `$${i + 1}` : (_i: number) => '?';
  const values = Array.from(
    { length: rows },
    (_, r) => `(${placeholder(3 * r)}, ${placeholder(3 * r + 1)}, ${placeholder(3 * r + 2)})`,
  ).join(', ');
  const constants = [
    literal(spec.tenantId),
    literal('api'),
    literal('bench'),
    literal(JSON.stringify([spec.permission])),
    literal('[]'),
    String(spec.userId),
    String(spec.userId),
    String(spec.now),
    String(spec.now + 30 * DAY),
    '0',
  ].join(', ');
  // A VALUES list names its columns column1, column2, … in both SQLite and PostgreSQL.
  return (
    'insert into tokens (id, hash, hint, tenant_id, kind, name, permissions, resources, user_id, ' +
    'created_by, created_at, expires_at, use_count) ' +
    `select column1, column2, column3, ${constants} from (values ${values}) as v`
  );
}

/** Seeds the tokens; returns how many were stored. */
export async function seedTokens(store: KyselyStore, pepper: Buffer, spec: SeedSpec): Promise<number> {
  const file = openSync(spec.tokensFile, 'w', 0o600);
  const tokens = new TokenMaker('tsr_api_');
  const ids = new IdMaker(spec.now);
  const texts = new Map<number, string>();
  let stored = 0;
  // The seeding connection's own page cache (not the measured server's): 256 MB keeps the hash index's
  // pages in memory while random hashes land all over it.
  if (store.dialect === 'sqlite') await sql`pragma cache_size = -262144`.execute(store.db);
  try {
    while (stored < spec.count) {
      const inTransaction = Math.min(ROWS_PER_TRANSACTION, spec.count - stored);
      await store.db.transaction().execute(async (trx) => {
        for (let done = 0; done < inTransaction; ) {
          const rows = Math.min(ROWS_PER_INSERT, inTransaction - done);
          let text = texts.get(rows);
          if (!text) {
            text = insertText(store, spec, rows);
            texts.set(rows, text);
          }
          const parameters: string[] = new Array(3 * rows);
          const made: string[] = new Array(rows);
          for (let r = 0; r < rows; r++) {
            const token = tokens.make();
            made[r] = token;
            parameters[3 * r] = ids.make();
            parameters[3 * r + 1] = tokenHash(pepper, token);
            parameters[3 * r + 2] = tokenHint(token);
          }
          if (parseToken(made[0]!) !== 'api') throw new Error(`the seed made a malformed token: ${made[0]}`);
          await trx.executeQuery(CompiledQuery.raw(text, parameters));
          writeSync(file, `${made.join('\n')}\n`);
          done += rows;
        }
      });
      stored += inTransaction;
    }
  } finally {
    closeSync(file);
  }
  // PostgreSQL's autovacuum would otherwise visit the million new rows during the measurement, on the
  // server's CPU; a store in steady state has been vacuumed and analysed.
  if (store.dialect === 'postgres') await sql`vacuum analyze tokens`.execute(store.db);
  return stored;
}
