import { randomUUID } from 'node:crypto';
import type { AuditLog } from './audit.ts';
import type { AuthService } from './auth.ts';
import { type Clock, DAY, HOUR } from './clock.ts';
import { isConsoleSession } from './console-session.ts';
import { TesseraError } from './errors.ts';
import { GroupCommit } from './group-commit.ts';
import { type TokenRecord, tokenStatus, type UserWithSecret } from './model.ts';
import type { AccessTokenIssuer } from './oauth/access-token-issuer.ts';
import { PermissionSet } from './permissions.ts';
import { type Actor, type Principal, requirePermission } from './principal.ts';
import { tokenHash } from './secrets.ts';
import type { SettingsService } from './settings-service.ts';
import type { Store } from './store.ts';
import { cleanName } from './text.ts';
import { parseToken } from './token-format.ts';
import { TokenRecordCache } from './token-record-cache.ts';
import { standInSpec } from './token-rules.ts';
import type { IssuedToken, TokenService, TokenView } from './tokens.ts';
import type { UsageRecorder } from './usage.ts';
import type { Verifier } from './verifier.ts';

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/** What an access token is minted for: a subset of the refresh token's permissions, and the OAuth client. */
export interface MintOptions {
  /** Expected owner (seed 003 passes `user_id`): another user's token is refused. */
  userId?: number;
  /** Narrow the access token to these permissions (OAuth `scope`). */
  scope?: string[];
  clientId?: string | null;
  ip: string | null;
}

export interface RefreshGrant {
  access: IssuedToken;
  /** The replacement refresh token, when rotation is on. */
  refresh: IssuedToken | null;
  /** What the refresh token carries now: its permissions within its user's (the user's own for `*`). */
  held: string[];
}

/**
 * Seed 003's long-lived refresh tokens (`rt`) and the short-lived access tokens (`at`) minted from them,
 * also behind OAuth's `refresh_token` grant. Revoking a refresh token revokes every access token minted from
 * it; an access token never outlives its refresh token. With rotation on, each refresh grant replaces the
 * refresh token, and presenting a replaced one revokes its whole family (RFC 9700 reuse detection).
 */
export class RefreshTokenService {
  private readonly records: TokenRecordCache;
  /** Access-token issuance is the hot write: concurrent grants share a transaction. */
  private readonly issuance: GroupCommit;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly pepper: Buffer,
    private readonly tokens: TokenService,
    private readonly accessTokens: AccessTokenIssuer,
    private readonly auth: AuthService,
    private readonly settings: SettingsService,
    private readonly verifier: Verifier,
    private readonly usage: UsageRecorder,
    private readonly audit: AuditLog,
    cacheTtlMs = 0,
  ) {
    this.records = new TokenRecordCache(cacheTtlMs);
    this.issuance = new GroupCommit(store);
  }

  /** Seed 003's createRefreshToken: a username and password for a refresh token. Not for single-sign-on users. */
  async createWithPassword(
    input: { tenant?: string; username: string; password: string; name: string },
    ip: string | null,
  ): Promise<IssuedToken> {
    // Single-sign-on users are refused there like a wrong password; they create theirs in the console.
    const user = await this.auth.checkPassword(input, ip, 'refresh_token.create_failed');
    return this.create({ tenantId: user.tenantId, userId: user.id, tokenId: null, ip }, user, input.name);
  }

  /** A refresh token for the signed-in user (the console's account page; works for single-sign-on users). */
  async createForSelf(principal: Principal, name: string): Promise<IssuedToken> {
    requirePermission(principal, 'tokens:manage');
    await this.requireConsoleSession(principal);
    const user = await this.store.users.get(principal.tenantId, principal.userId);
    if (!user) throw new TesseraError('USER_NOT_FOUND', 'Your user no longer exists.');
    return this.create(principal, user, name);
  }

  /**
   * A refresh token outlives any access or API token and carries all its user holds: minting or
   * regenerating one from such a token would extend and widen it, and from a mobile session would let a lost
   * phone outlast a password change. Only a console session may.
   */
  async requireConsoleSession(principal: Principal): Promise<void> {
    if (!(await isConsoleSession(this.store, principal))) {
      throw new TesseraError('FORBIDDEN', 'Refresh tokens are created from a signed-in console session.');
    }
  }

  /**
   * Finds a presented refresh or access token, whatever its status, checking that it belongs to `userId`
   * when given. Unknown or malformed tokens are INVALID_TOKEN; a `userId` with no user in the token's tenant
   * is USER_NOT_FOUND; another user's token is FORBIDDEN.
   */
  async resolve(presented: string, kind: 'rt' | 'at', userId?: number): Promise<TokenRecord> {
    // Access tokens may be JWTs (oauth.jwt_access_tokens); their rows are found by the same keyed hash.
    const shaped = parseToken(presented) === kind || (kind === 'at' && JWT_SHAPE.test(presented));
    const found = shaped ? await this.store.tokens.findByHash(tokenHash(this.pepper, presented)) : undefined;
    if (!found || found.token.kind !== kind) {
      throw new TesseraError(
        'INVALID_TOKEN',
        `The ${kind === 'rt' ? 'refresh' : 'access'} token is not valid.`,
      );
    }
    if (userId !== undefined && found.token.userId !== userId) {
      if (!(await this.store.users.get(found.token.tenantId, userId)))
        throw new TesseraError('USER_NOT_FOUND', `user_id: no user ${userId}.`, { field: 'user_id' });
      throw new TesseraError('FORBIDDEN', 'The token belongs to another user.');
    }
    return found.token;
  }

  /**
   * The refresh_token grant's lookup: {@link resolve} without owner check, the record of a hot token coming
   * from a cache. Only {@link refreshGrant} may take such a record: it asks the verifier whether the token
   * is still good, and reads the record afresh when it is not.
   */
  async findForGrant(presented: string): Promise<TokenRecord> {
    if (parseToken(presented) !== 'rt') return this.resolve(presented, 'rt');
    const hash = tokenHash(this.pepper, presented);
    const record = await this.records.get(hash, async () => {
      const found = await this.store.tokens.findByHash(hash);
      return found?.token.kind === 'rt' ? found.token : undefined;
    });
    if (!record) throw new TesseraError('INVALID_TOKEN', 'The refresh token is not valid.');
    return record;
  }

  /** Status of a record at this moment. */
  status(token: TokenRecord) {
    return tokenStatus(token, this.clock.now());
  }

  /** A record as it stands now: its status, and usage this node has seen but not yet written. */
  view(token: TokenRecord): TokenView {
    const pending = this.usage.peek(token.id);
    const lastUsedAt =
      pending && (token.lastUsedAt === null || pending.lastUsedAt >= token.lastUsedAt)
        ? pending.lastUsedAt
        : token.lastUsedAt;
    return {
      ...token,
      lastUsedAt,
      useCount: token.useCount + (pending?.count ?? 0),
      status: this.status(token),
    };
  }

  /** Seed 003's validate calls: a presented token of `userId`, whatever its status, as it stands now. */
  async inspectPresented(presented: string, kind: 'rt' | 'at', userId: number): Promise<TokenView> {
    return this.view(await this.resolve(presented, kind, userId));
  }

  /** Mints an access token from an active refresh token (seed 003's createAPIAccessToken). */
  async mintAccessToken(presented: string, options: MintOptions): Promise<IssuedToken> {
    const refresh = await this.resolve(presented, 'rt', options.userId);
    const verified = await this.verifier.verify(presented, {}, options.ip);
    if (!verified.valid) {
      const why = { TOKEN_EXPIRED: 'expired', TOKEN_REVOKED: 'revoked' } as Record<string, string>;
      throw new TesseraError('INVALID_TOKEN', `The refresh token is ${why[verified.code] ?? 'not valid'}.`);
    }
    assertCarries(verified.permissions, options.scope);
    return this.issuance.run((tx) => this.mint(tx, refresh, options));
  }

  /**
   * OAuth's refresh_token grant. With rotation on, the presented refresh token is replaced in the same
   * transaction; a refresh token presented after it was revoked (replaced, or revoked by hand) revokes its
   * whole family and every access token minted from it.
   */
  async refreshGrant(presented: string, options: MintOptions, resolved?: TokenRecord): Promise<RefreshGrant> {
    // `resolved`: the caller already looked the token up with findForGrant(), perhaps from the cache.
    let refresh = resolved ?? (await this.resolve(presented, 'rt'));
    // The verifier is the word on revocation (this node's revocations reach it at once).
    const verified = await this.verifier.verify(presented, {}, options.ip);
    // A cached record may predate a revocation: judge a refused token by its stored record.
    if (!verified.valid && resolved) refresh = await this.resolve(presented, 'rt');
    const now = this.clock.now();
    if (this.status(refresh) === 'revoked') {
      await this.revokeFamily(refresh, options.ip);
      throw new TesseraError('INVALID_TOKEN', 'The refresh token was revoked.');
    }
    if (!verified.valid) throw new TesseraError('INVALID_TOKEN', 'The refresh token is not valid.');
    assertCarries(verified.permissions, options.scope);
    const rotate = (await this.settings.get(refresh.tenantId))['oauth.refresh_token_rotation'];
    const result = await this.issuance.run(async (tx) => {
      let replacement: IssuedToken | null = null;
      if (rotate) {
        const claimed = await tx.tokens.scheduleRevocation(refresh.tenantId, refresh.id, now);
        if (claimed.length === 0) return null;
        replacement = await this.tokens.issue(tx, refresh.tenantId, refresh.userId, {
          ...this.specOf(refresh),
          expiresAt: refresh.expiresAt,
          parentId: refresh.id,
        });
        await this.audit.record(
          tx,
          this.actorOf(refresh, options.ip),
          'refresh_token.rotate',
          { type: 'token', id: refresh.id },
          {
            newTokenId: replacement.record.id,
          },
        );
      }
      const access = await this.mint(tx, refresh, options);
      return { access, refresh: replacement };
    });
    if (result === null) {
      // Another request rotated this token first: that is reuse.
      await this.revokeFamily(refresh, options.ip);
      throw new TesseraError('INVALID_TOKEN', 'The refresh token was already used.');
    }
    if (rotate) this.forget([tokenHash(this.pepper, presented)]);
    return { access: result.access, refresh: result.refresh, held: verified.permissions };
  }

  /** Seed 003's regenerateRefreshToken: same name and user, a new secret; the old one and its access tokens revoked. */
  async regenerate(presented: string, userId: number, ip: string | null): Promise<IssuedToken> {
    const old = await this.resolve(presented, 'rt', userId);
    if (this.status(old) !== 'active')
      throw new TesseraError('INVALID_TOKEN', `The refresh token is ${this.status(old)}.`);
    return this.regenerateRecord(old, this.actorOf(old, ip));
  }

  /**
   * Replaces an active refresh token by id (the console, or {@link regenerate}): same name and user, a new
   * secret and a fresh lifespan; the old one and its access tokens are revoked in the same transaction.
   */
  async regenerateRecord(old: TokenRecord, actor: Actor): Promise<IssuedToken> {
    if (this.status(old) !== 'active')
      throw new TesseraError('TOKEN_NOT_ACTIVE', `The refresh token is ${this.status(old)}.`);
    const { issued, hashes } = await this.store.transaction(async (tx) => {
      const now = this.clock.now();
      const revoked = await tx.tokens.scheduleRevocation(old.tenantId, old.id, now);
      if (revoked.length === 0)
        throw new TesseraError('TOKEN_NOT_ACTIVE', 'The refresh token was revoked meanwhile.');
      const children = await tx.tokens.revokeWhere(old.tenantId, 'sourceId', [old.id], now);
      const days = (await this.settings.get(old.tenantId, tx))['authentication.token.refresh_token_lifespan'];
      const fresh = await this.tokens.issue(tx, old.tenantId, old.userId, {
        ...this.specOf(old),
        familyId: randomUUID(),
        expiresAt: now + days * DAY,
        parentId: old.id,
      });
      await this.audit.record(
        tx,
        actor,
        'refresh_token.regenerate',
        { type: 'token', id: old.id },
        {
          newTokenId: fresh.record.id,
        },
      );
      return { issued: fresh, hashes: [...revoked, ...children].map((r) => r.hash) };
    });
    this.forget(hashes);
    return issued;
  }

  /** Revokes a refresh token and every access token minted from it; returns the token as it now stands. */
  async revoke(presented: string, userId: number, ip: string | null): Promise<TokenView> {
    const token = await this.resolve(presented, 'rt', userId);
    await this.revokeWithChildren(token, ip, 'refresh_token.revoke');
    return this.view((await this.store.tokens.get(token.tenantId, token.id)) ?? token);
  }

  /** Revokes every access token minted from a refresh token (seed 003's revokeAPIAccessTokens); returns how many. */
  async revokeAccessTokens(
    presented: string,
    userId: number,
    ip: string | null,
  ): Promise<{ token: TokenView; revoked: number }> {
    const token = await this.resolve(presented, 'rt', userId);
    const rows = await this.store.transaction(async (tx) => {
      const revoked = await tx.tokens.revokeWhere(token.tenantId, 'sourceId', [token.id], this.clock.now());
      await this.audit.record(
        tx,
        this.actorOf(token, ip),
        'refresh_token.revoke_access_tokens',
        { type: 'token', id: token.id },
        {
          revoked: revoked.length,
        },
      );
      return revoked;
    });
    this.forget(rows.map((r) => r.hash));
    return { token: this.view(token), revoked: rows.length };
  }

  /** Revokes a token by id for its owner or an admin (the console), with its minted access tokens. */
  async revokeRecord(token: TokenRecord, actor: Actor): Promise<void> {
    await this.revokeWithChildren(token, actor.ip, 'refresh_token.revoke', actor);
  }

  private async create(actor: Actor, user: UserWithSecret, name: string): Promise<IssuedToken> {
    const trimmed = cleanName(name);
    const days = (await this.settings.get(user.tenantId))['authentication.token.refresh_token_lifespan'];
    return this.store.transaction(async (tx) => {
      const issued = await this.tokens.issue(
        tx,
        user.tenantId,
        user.id,
        standInSpec(user, 'rt', trimmed, this.clock.now() + days * DAY, { familyId: randomUUID() }),
      );
      await this.audit.record(
        tx,
        { ...actor, tenantId: user.tenantId },
        'refresh_token.create',
        { type: 'token', id: issued.record.id },
        {
          name: trimmed,
          userId: user.id,
        },
      );
      return issued;
    });
  }

  /** An access token from a refresh token, inside `tx`; the scope was checked with assertCarries(). */
  private async mint(tx: Store, refresh: TokenRecord, options: MintOptions): Promise<IssuedToken> {
    // Read through the transaction: on SQLite the outer store waits for it to end.
    const hours = (await this.settings.get(refresh.tenantId, tx))[
      'authentication.token.access_token_lifespan'
    ];
    const issued = await this.accessTokens.issue(tx, refresh.tenantId, refresh.userId, {
      ...this.specOf(refresh),
      kind: 'at',
      name: refresh.name,
      permissions: options.scope ?? refresh.permissions,
      expiresAt: Math.min(this.clock.now() + hours * HOUR, refresh.expiresAt),
      sourceId: refresh.id,
      familyId: null,
      clientId: options.clientId ?? null,
    });
    // Usage of the refresh token was recorded by the verification that precedes every mint.
    return issued;
  }

  private specOf(token: TokenRecord) {
    return {
      kind: token.kind,
      name: token.name,
      description: token.description,
      permissions: token.permissions,
      resources: token.resources,
      userId: token.userId,
      departmentId: token.departmentId,
      userTypeId: token.userTypeId,
      expiresAt: token.expiresAt,
      retrievable: false,
      parentId: null,
      clientId: token.clientId,
      sourceId: null,
      familyId: token.familyId,
    };
  }

  private actorOf(token: TokenRecord, ip: string | null): Actor {
    return { tenantId: token.tenantId, userId: token.userId, tokenId: token.id, ip };
  }

  private async revokeWithChildren(
    token: TokenRecord,
    ip: string | null,
    action: string,
    actor = this.actorOf(token, ip),
  ) {
    const rows = await this.store.transaction(async (tx) => {
      const now = this.clock.now();
      const own = await tx.tokens.revoke(token.tenantId, [token.id], now);
      const children = await tx.tokens.revokeWhere(token.tenantId, 'sourceId', [token.id], now);
      if (own.length > 0)
        await this.audit.record(
          tx,
          actor,
          action,
          { type: 'token', id: token.id },
          { accessTokensRevoked: children.length },
        );
      return [...own, ...children];
    });
    this.forget(rows.map((r) => r.hash));
  }

  /** Reuse detected: revoke every refresh token of the family and every access token minted from them. */
  private async revokeFamily(token: TokenRecord, ip: string | null): Promise<void> {
    if (token.familyId === null) return;
    const rows = await this.store.transaction(async (tx) => {
      const revoked = await tx.tokens.revokeFamily(token.tenantId, token.familyId!, this.clock.now());
      await this.audit.record(
        tx,
        this.actorOf(token, ip),
        'refresh_token.reuse_detected',
        { type: 'token', id: token.id },
        {
          tokensRevoked: revoked.length,
        },
      );
      return revoked;
    });
    this.forget(rows.map((r) => r.hash));
  }

  /** Drops revoked tokens from this node's caches, so the next request sees them revoked. */
  private forget(hashes: string[]): void {
    this.verifier.forget(hashes);
    this.records.forget(hashes);
  }
}

/** Refuses a `scope` beyond what the refresh token carries (`held`), before any transaction starts. */
function assertCarries(held: string[], scope: string[] | undefined): void {
  const missing = scope ? new PermissionSet(held).missing(scope) : [];
  if (missing.length > 0) {
    throw new TesseraError(
      'PERMISSION_NOT_HELD',
      `scope: the refresh token does not carry ${missing.join(', ')}`,
      { field: 'scope' },
    );
  }
}
