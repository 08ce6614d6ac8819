import type { AuditLog } from '../audit.ts';
import type { PermissionCatalog } from '../catalog.ts';
import type { Clock } from '../clock.ts';
import { invalid, TesseraError } from '../errors.ts';
import { growingCache } from '../growing-cache.ts';
import type { TokenRecord } from '../model.ts';
import { PermissionSet, roleDefaultPermissions } from '../permissions.ts';
import { type Actor, requirePermission } from '../principal.ts';
import type { RefreshTokenService } from '../refresh-tokens.ts';
import { tokenHash } from '../secrets.ts';
import type { Store } from '../store.ts';
import type { Verifier } from '../verifier.ts';
import type { ClientCredentials, OAuthCaller, OAuthCallers } from './client-auth.ts';
import { describeScope } from './scope.ts';

/** RFC 7662's answer: `{active: false}` and nothing else, or the token's metadata. */
export type Introspection =
  | { active: false }
  | {
      active: true;
      scope: string;
      client_id?: string;
      username?: string;
      token_type: 'Bearer';
      exp: number;
      iat: number;
      sub: string;
      aud: string;
      iss: string;
    };

/** Who asks: client credentials (registered client, or a user by password), or a Bearer token. */
export interface IntrospectionCaller {
  credentials: ClientCredentials;
  bearer?: string;
  ip: string | null;
}

const INACTIVE: Introspection = { active: false };
/** What introspection adds to a verified token: immutable fields and the username, cached briefly. */
type Extra = { clientId: string | null; createdAt: number; username: string | undefined };

/**
 * RFC 7662 introspection and RFC 7009 revocation. Introspection rides the verifier's cached hot path, so a
 * revoked token is inactive at once on this node; the few fields it adds are cached for a few seconds.
 */
export class IntrospectionService {
  private readonly extras = growingCache<string, Extra>(50_000, { ttl: 5_000 });

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly pepper: Buffer,
    private readonly catalog: PermissionCatalog,
    private readonly verifier: Verifier,
    private readonly callers: OAuthCallers,
    private readonly refreshTokens: RefreshTokenService,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Answers whether `token` is active, for a caller that authenticates as a client or with a Bearer token
   * holding `tokens:introspect`. Tokens of another tenant are inactive.
   */
  async introspect(
    caller: IntrospectionCaller,
    token: string | undefined,
    issuer: string,
  ): Promise<Introspection> {
    const tenantId = await this.introspector(caller);
    if (token === undefined || token === '') throw invalid('token', 'is required');
    const result = await this.verifier.verify(token, { tenantId }, caller.ip);
    if (!result.valid || result.tenantId !== tenantId) return INACTIVE;
    const extra = await this.extra(result.tokenId, result.tenantId, result.userId);
    if (!extra) return INACTIVE;
    return {
      active: true,
      scope: await describeScope(this.catalog, tenantId, result.permissions, result.permissions),
      ...(extra.clientId === null ? {} : { client_id: extra.clientId }),
      ...(extra.username === undefined ? {} : { username: extra.username }),
      token_type: 'Bearer',
      exp: Math.floor(result.expiresAt / 1000),
      iat: Math.floor(extra.createdAt / 1000),
      sub: String(result.userId),
      aud: issuer,
      iss: issuer,
    };
  }

  /**
   * RFC 7009: revokes an access or refresh token issued to the caller (a refresh token with every access
   * token minted from it). Anything else (unknown, malformed, someone else's) is ignored, not an error.
   */
  async revoke(credentials: ClientCredentials, token: string | undefined, ip: string | null): Promise<void> {
    const caller = await this.callers.authenticate(credentials, ip, 'oauth.revoke_failed');
    if (token === undefined || token === '') throw invalid('token', 'is required');
    const kind = this.verifier.kindOf(token);
    if (kind !== 'at' && kind !== 'rt') return;
    const found = await this.store.tokens.findByHash(tokenHash(this.pepper, token));
    if (!found || found.token.kind !== kind || !ownedBy(caller, found.token)) return;
    const record = found.token;
    const actor: Actor = {
      tenantId: record.tenantId,
      userId: caller.type === 'user' ? caller.user.id : null,
      tokenId: null,
      ip,
    };
    if (kind === 'rt') {
      await this.refreshTokens.revokeRecord(record, actor);
      return;
    }
    const rows = await this.store.transaction(async (tx) => {
      const revoked = await tx.tokens.revoke(record.tenantId, [record.id], this.clock.now());
      if (revoked.length > 0)
        await this.audit.record(
          tx,
          actor,
          'oauth.revoke',
          { type: 'token', id: record.id },
          {
            clientId: caller.type === 'client' ? caller.client.id : null,
          },
        );
      return revoked;
    });
    this.verifier.forget(rows.map((r) => r.hash));
  }

  /** Authenticates the introspecting party and returns its tenant. */
  private async introspector(caller: IntrospectionCaller): Promise<string> {
    if (caller.bearer !== undefined) {
      const principal = await this.verifier.authenticate(caller.bearer, caller.ip);
      if (typeof principal === 'string')
        throw new TesseraError('UNAUTHENTICATED', `The Bearer token is not valid (${principal}).`);
      requirePermission(principal, 'tokens:introspect');
      return principal.tenantId;
    }
    if (caller.credentials.clientId === undefined && caller.credentials.clientSecret === undefined) {
      throw new TesseraError(
        'INVALID_CLIENT',
        'Authenticate as a client (HTTP Basic, or client_id and client_secret) or with a Bearer token holding tokens:introspect.',
      );
    }
    const who = await this.callers.authenticate(caller.credentials, caller.ip, 'oauth.introspect_failed');
    if (who.type === 'client') return who.client.tenantId;
    const held = new PermissionSet(who.user.permissions ?? roleDefaultPermissions(who.user.role));
    if (!held.has('tokens:introspect'))
      throw new TesseraError('FORBIDDEN', 'This needs the tokens:introspect permission.');
    return who.user.tenantId;
  }

  private async extra(tokenId: string, tenantId: string, userId: number): Promise<Extra | undefined> {
    const cached = this.extras.get(tokenId);
    if (cached) return cached;
    const [record, user] = await Promise.all([
      this.store.tokens.get(tenantId, tokenId),
      this.store.users.get(tenantId, userId),
    ]);
    if (!record) return undefined;
    const extra: Extra = { clientId: record.clientId, createdAt: record.createdAt, username: user?.username };
    this.extras.set(tokenId, extra);
    return extra;
  }
}

/** A client owns the tokens issued to it; a user (seed 002 credentials) owns their own access and refresh tokens. */
function ownedBy(caller: OAuthCaller, token: TokenRecord): boolean {
  if (caller.type === 'client')
    return token.tenantId === caller.client.tenantId && token.clientId === caller.client.id;
  return token.tenantId === caller.user.tenantId && token.userId === caller.user.id;
}
