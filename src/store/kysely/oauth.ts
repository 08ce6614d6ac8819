import type { Kysely, Selectable } from 'kysely';
import type { NewOAuthClient, OAuthClient, SigningKey } from '../../core/model.ts';
import type { OAuthClientRepo, SigningKeyRepo } from '../../core/store.ts';
import type { Database } from '../schema.ts';

type ClientRow = Selectable<Database['oauthClients']>;

function toClient(row: ClientRow): NewOAuthClient {
  return { ...row, permissions: JSON.parse(row.permissions) };
}

function withoutSecret({ secretHash: _, ...client }: NewOAuthClient): OAuthClient {
  return client;
}

/** Registered OAuth clients. */
export class KyselyOAuthClientRepo implements OAuthClientRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(client: NewOAuthClient): Promise<void> {
    await this.db
      .insertInto('oauthClients')
      .values({ ...client, permissions: JSON.stringify(client.permissions) })
      .execute();
  }

  async get(tenantId: string, id: string): Promise<OAuthClient | undefined> {
    const row = await this.db
      .selectFrom('oauthClients')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && withoutSecret(toClient(row));
  }

  async findForAuth(id: string): Promise<NewOAuthClient | undefined> {
    const row = await this.db.selectFrom('oauthClients').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toClient(row);
  }

  async list(tenantId: string): Promise<OAuthClient[]> {
    const rows = await this.db
      .selectFrom('oauthClients')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .orderBy('createdAt', 'desc')
      .orderBy('id')
      .execute();
    return rows.map((r) => withoutSecret(toClient(r)));
  }

  async setSecret(
    tenantId: string,
    id: string,
    secretHash: string,
    secretHint: string,
    at: number,
  ): Promise<OAuthClient | undefined> {
    const row = await this.db
      .updateTable('oauthClients')
      .set({ secretHash, secretHint, secretRotatedAt: at })
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && withoutSecret(toClient(row));
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('oauthClients')
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

/** Keys that sign JWT access tokens. */
export class KyselySigningKeyRepo implements SigningKeyRepo {
  constructor(private readonly db: Kysely<Database>) {}

  list(): Promise<SigningKey[]> {
    return this.db
      .selectFrom('signingKeys')
      .selectAll()
      .orderBy('createdAt', 'desc')
      .orderBy('kid')
      .execute();
  }

  async insert(key: SigningKey): Promise<void> {
    await this.db.insertInto('signingKeys').values(key).execute();
  }

  async retire(kid: string, at: number): Promise<boolean> {
    const result = await this.db
      .updateTable('signingKeys')
      .set({ retiredAt: at })
      .where('kid', '=', kid)
      .where('retiredAt', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async delete(kid: string): Promise<boolean> {
    const result = await this.db.deleteFrom('signingKeys').where('kid', '=', kid).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
