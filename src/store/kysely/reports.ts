import { type Kysely, sql } from 'kysely';
import type { Page, Report } from '../../core/model.ts';
import type { ReportQuery, ReportRepo, ShareTokenRow } from '../../core/store.ts';
import type { Database } from '../schema.ts';
import { conflictAs } from './conflict.ts';
import { containsPattern, decodeCursor, encodeCursor, pageOf } from './cursor.ts';

/** Reports (seed 001) and the share tokens bound to them. */
export class KyselyReportRepo implements ReportRepo {
  constructor(private readonly db: Kysely<Database>) {}

  insert(report: Report): Promise<Report> {
    return conflictAs(
      this.db.insertInto('reports').values(report).returningAll().executeTakeFirstOrThrow(),
      'REPORT_EXISTS',
      `id: a report ${report.id} already exists`,
      'id',
    );
  }

  get(tenantId: string, id: string): Promise<Report | undefined> {
    return this.db
      .selectFrom('reports')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async list(tenantId: string, q: ReportQuery): Promise<Page<Report>> {
    let query = this.db.selectFrom('reports').selectAll().where('tenantId', '=', tenantId);
    if (q.text) {
      const pattern = containsPattern(q.text);
      query = query.where((eb) =>
        eb.or(
          (['id', 'name', 'description'] as const).map(
            (c) => sql<boolean>`lower(coalesce(${eb.ref(c)}, '')) like ${pattern} escape '\\'`,
          ),
        ),
      );
    }
    if (q.cursor) {
      const [, after] = decodeCursor('id', q.cursor, ['string', 'string']);
      query = query.where('id', '>', String(after));
    }
    const rows = await query
      .orderBy('id', 'asc')
      .limit(q.limit + 1)
      .execute();
    return pageOf(
      rows,
      q.limit,
      (r) => r,
      (r) => encodeCursor('id', r.id, r.id),
    );
  }

  update(
    tenantId: string,
    id: string,
    patch: { name?: string; description?: string | null; viewerUrl?: string | null; updatedAt: number },
  ): Promise<Report | undefined> {
    return this.db
      .updateTable('reports')
      .set(patch)
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('reports')
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  activeShareTokens(tenantId: string, reportId: string, now: number): Promise<ShareTokenRow[]> {
    return this.db
      .selectFrom('tokens')
      .select(['id', 'name', 'createdAt', 'expiresAt', 'ciphertext'])
      .where('tenantId', '=', tenantId)
      .where('reportId', '=', reportId)
      .where('kind', '=', 'shr')
      .where((eb) => eb.or([eb('revokedAt', 'is', null), eb('revokedAt', '>', now)]))
      .where('expiresAt', '>', now)
      .orderBy('createdAt', 'asc')
      .orderBy('id', 'asc')
      .execute();
  }

  revokeTokens(tenantId: string, reportId: string, at: number): Promise<{ id: string; hash: string }[]> {
    return this.db
      .updateTable('tokens')
      .set({ revokedAt: at })
      .where('tenantId', '=', tenantId)
      .where('reportId', '=', reportId)
      .where((eb) => eb.or([eb('revokedAt', 'is', null), eb('revokedAt', '>', at)]))
      .returning(['id', 'hash'])
      .execute();
  }
}
