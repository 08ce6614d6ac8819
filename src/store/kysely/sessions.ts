import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { Page, SessionType } from '../../core/model.ts';
import type { SessionQuery, SessionRecord, SessionRepo } from '../../core/store.ts';
import type { Database } from '../schema.ts';
import { containsPattern, decodeCursor, encodeCursor, pageOf } from './cursor.ts';

type Eb = ExpressionBuilder<Database, 'tokens'>;

/** The sort keys as SQL; a session never used sorts by its sign-in, so `lastActiveAt` is never null. */
const SORT = {
  createdAt: sql<number>`tokens.created_at`,
  expiresAt: sql<number>`tokens.expires_at`,
  lastActiveAt: sql<number>`coalesce(tokens.last_used_at, tokens.created_at)`,
} as const;

/** Not revoked as of `now` (a revocation scheduled for later has not happened yet). */
const unrevokedAt = (eb: Eb, now: number) =>
  eb.or([eb('tokens.revokedAt', 'is', null), eb('tokens.revokedAt', '>', now)]);

interface Row {
  id: string;
  tenantId: string;
  sessionType: string | null;
  userId: number;
  username: string | null;
  email: string | null;
  departmentId: number | null;
  departmentName: string | null;
  userTypeId: number | null;
  userTypeName: string | null;
  deviceName: string | null;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
  sortValue: number;
}

function toSession(row: Row): SessionRecord {
  return {
    id: row.id,
    tenantId: row.tenantId,
    // Sessions from before mobile sign-in have no type: they were all console sessions.
    type: (row.sessionType ?? 'console') as SessionType,
    userId: row.userId,
    username: row.username,
    email: row.email,
    department:
      row.departmentId !== null && row.departmentName !== null
        ? { id: row.departmentId, name: row.departmentName }
        : null,
    userType:
      row.userTypeId !== null && row.userTypeName !== null
        ? { id: row.userTypeId, name: row.userTypeName }
        : null,
    deviceName: row.deviceName,
    createdAt: Number(row.createdAt),
    expiresAt: Number(row.expiresAt),
    revokedAt: row.revokedAt === null ? null : Number(row.revokedAt),
    lastUsedAt: row.lastUsedAt === null ? null : Number(row.lastUsedAt),
  };
}

/** Sign-in sessions on Kysely: the same queries for SQLite and PostgreSQL. */
export class KyselySessionRepo implements SessionRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Session tokens of a tenant joined with their user, department and user type: one query, no N+1. */
  private select(tenantId: string, sort: SessionQuery['sort']) {
    return this.db
      .selectFrom('tokens')
      .leftJoin('users', (join) =>
        join.onRef('users.id', '=', 'tokens.userId').onRef('users.tenantId', '=', 'tokens.tenantId'),
      )
      .leftJoin('departments', (join) =>
        join
          .onRef('departments.id', '=', 'tokens.departmentId')
          .onRef('departments.tenantId', '=', 'tokens.tenantId'),
      )
      .leftJoin('userTypes', (join) =>
        join
          .onRef('userTypes.id', '=', 'tokens.userTypeId')
          .onRef('userTypes.tenantId', '=', 'tokens.tenantId'),
      )
      .select([
        'tokens.id',
        'tokens.tenantId',
        'tokens.sessionType',
        'tokens.userId',
        'users.username',
        'users.email',
        'tokens.departmentId',
        'departments.name as departmentName',
        'tokens.userTypeId',
        'userTypes.name as userTypeName',
        'tokens.deviceName',
        'tokens.createdAt',
        'tokens.expiresAt',
        'tokens.revokedAt',
        'tokens.lastUsedAt',
        SORT[sort].as('sortValue'),
      ])
      .where('tokens.tenantId', '=', tenantId)
      .where('tokens.kind', '=', 'ses');
  }

  async list(tenantId: string, q: SessionQuery): Promise<Page<SessionRecord>> {
    const { now, sort } = q;
    let query = this.select(tenantId, sort);
    if (q.type === 'mobile') query = query.where('tokens.sessionType', '=', 'mobile');
    if (q.type === 'console')
      query = query.where((eb) =>
        eb.or([eb('tokens.sessionType', '=', 'console'), eb('tokens.sessionType', 'is', null)]),
      );
    if (q.userId !== undefined) query = query.where('tokens.userId', '=', q.userId);
    if (q.departmentId !== undefined) query = query.where('tokens.departmentId', '=', q.departmentId);
    if (q.userTypeId !== undefined) query = query.where('tokens.userTypeId', '=', q.userTypeId);
    if (q.status === 'revoked') query = query.where('tokens.revokedAt', '<=', now);
    if (q.status === 'expired')
      query = query.where((eb) => unrevokedAt(eb, now)).where('tokens.expiresAt', '<=', now);
    if (q.status === 'active')
      query = query.where((eb) => unrevokedAt(eb, now)).where('tokens.expiresAt', '>', now);
    if (q.text) {
      const pattern = containsPattern(q.text);
      query = query.where((eb) =>
        eb.or([
          sql<boolean>`lower(coalesce(users.username, '')) like ${pattern} escape '\\'`,
          sql<boolean>`lower(coalesce(users.email, '')) like ${pattern} escape '\\'`,
          sql<boolean>`lower(coalesce(tokens.device_name, '')) like ${pattern} escape '\\'`,
        ]),
      );
    }
    const op = sql.raw(q.order === 'asc' ? '>' : '<');
    if (q.cursor) {
      const [value, id] = decodeCursor(sort, q.cursor, ['integer', 'string']);
      query = query.where(sql<boolean>`(${SORT[sort]}, tokens.id) ${op} (${value}, ${String(id)})`);
    }
    const rows = await query
      .orderBy(SORT[sort], q.order)
      .orderBy('tokens.id', q.order)
      .limit(q.limit + 1)
      .execute();
    return pageOf(rows as Row[], q.limit, toSession, (r) => encodeCursor(sort, Number(r.sortValue), r.id));
  }

  async get(tenantId: string, id: string): Promise<SessionRecord | undefined> {
    const row = await this.select(tenantId, 'createdAt').where('tokens.id', '=', id).executeTakeFirst();
    return row && toSession(row as Row);
  }

  async filterIds(tenantId: string, ids: string[], onlyUserId?: number): Promise<string[]> {
    if (ids.length === 0) return [];
    let query = this.db
      .selectFrom('tokens')
      .select('id')
      .where('tenantId', '=', tenantId)
      .where('kind', '=', 'ses')
      .where('id', 'in', ids);
    if (onlyUserId !== undefined) query = query.where('userId', '=', onlyUserId);
    return (await query.execute()).map((r) => r.id);
  }
}
