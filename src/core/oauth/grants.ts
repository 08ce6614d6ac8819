import type { AuditLog } from '../audit.ts';
import type { PermissionCatalog } from '../catalog.ts';
import { type Clock, HOUR, SECOND } from '../clock.ts';
import { invalid, TesseraError } from '../errors.ts';
import { GroupCommit } from '../group-commit.ts';
import type { OAuthClient, TokenRecord, UserWithSecret } from '../model.ts';
import { ALL, PermissionSet, roleDefaultPermissions } from '../permissions.ts';
import type { Actor } from '../principal.ts';
import type { RefreshGrant, RefreshTokenService } from '../refresh-tokens.ts';
import type { SettingsService } from '../settings-service.ts';
import type { Store } from '../store.ts';
import type { IssuedToken } from '../tokens.ts';
import type { AccessTokenIssuer } from './access-token-issuer.ts';
import { type ClientCredentials, type OAuthCaller, type OAuthCallers, presented } from './client-auth.ts';
import { assertScopeHeld, describeScope, parseScope } from './scope.ts';

export const GRANT_TYPES = ['client_credentials', 'refresh_token'] as const;

/** A token request as the token endpoint received it: form parameters and the client's credentials. */
export interface TokenRequest {
  grantType?: string;
  credentials: ClientCredentials;
  scope?: string;
  refreshToken?: string;
  ip: string | null;
}

/** What the token endpoint answers (RFC 6749 §5.1), before it is put on the wire. */
export interface TokenResult {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  scope: string;
  /** A replacement refresh token, when refresh-token rotation is on. */
  refreshToken?: string;
}

const permissionsOf = (user: UserWithSecret) => user.permissions ?? roleDefaultPermissions(user.role);

/**
 * The OAuth token endpoint's grants: `client_credentials` (a registered client, or a user's username and
 * password as seed 002 sends them) and `refresh_token`. Parse, authenticate the client, check the grant
 * and the scope, issue.
 */
export class GrantService {
  /** Concurrent client_credentials grants share a transaction (their token and audit rows). */
  private readonly issuance: GroupCommit;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly catalog: PermissionCatalog,
    private readonly settings: SettingsService,
    private readonly callers: OAuthCallers,
    private readonly accessTokens: AccessTokenIssuer,
    private readonly refreshTokens: RefreshTokenService,
    private readonly audit: AuditLog,
  ) {
    this.issuance = new GroupCommit(store);
  }

  /** Handles one token request; every failure is a TesseraError the OAuth error mapper knows. */
  async token(request: TokenRequest): Promise<TokenResult> {
    const grantType = request.grantType;
    if (grantType === undefined || grantType === '') throw invalid('grant_type', 'is required');
    if (grantType === 'client_credentials') return this.clientCredentials(request);
    if (grantType === 'refresh_token') return this.refresh(request);
    throw new TesseraError(
      'UNSUPPORTED_GRANT_TYPE',
      `grant_type: ${grantType} is not supported; use ${GRANT_TYPES.join(' or ')}.`,
      { field: 'grant_type' },
    );
  }

  private async clientCredentials(request: TokenRequest): Promise<TokenResult> {
    const caller = await this.callers.authenticate(request.credentials, request.ip);
    return caller.type === 'client'
      ? this.forClient(caller.client, request)
      : this.forUser(caller.user, request);
  }

  /** A registered client: its owner's token, limited to the client's permissions (or the asked subset). */
  private async forClient(client: OAuthClient, request: TokenRequest): Promise<TokenResult> {
    const scope = await parseScope(this.catalog, client.tenantId, request.scope);
    assertScopeHeld(new PermissionSet(client.permissions).missing(scope ?? []), `client ${client.id}`);
    const owner = await this.store.users.get(client.tenantId, client.userId);
    if (!owner) throw new TesseraError('INVALID_CLIENT', 'The client’s owner no longer exists.');
    const held = permissionsOf(owner);
    assertScopeHeld(new PermissionSet(held).missing(scope ?? []), `the client's owner ${owner.username}`);
    const settings = await this.settings.get(client.tenantId);
    const lifespan =
      client.accessTokenLifespan === null
        ? settings['authentication.token.access_token_lifespan'] * HOUR
        : client.accessTokenLifespan * SECOND;
    const permissions = scope ?? client.permissions;
    const issued = await this.issue(owner, permissions, lifespan, client, request.ip);
    return this.result(issued, await describeScope(this.catalog, client.tenantId, permissions, held));
  }

  /** Seed 002: a user's own credentials; the token carries the user's permissions, or the asked subset. */
  private async forUser(user: UserWithSecret, request: TokenRequest): Promise<TokenResult> {
    const scope = await parseScope(this.catalog, user.tenantId, request.scope);
    const held = permissionsOf(user);
    assertScopeHeld(new PermissionSet(held).missing(scope ?? []), `user ${user.username}`);
    const hours = (await this.settings.get(user.tenantId))['authentication.token.access_token_lifespan'];
    const permissions = scope ?? [ALL];
    const issued = await this.issue(user, permissions, hours * HOUR, null, request.ip);
    return this.result(issued, await describeScope(this.catalog, user.tenantId, permissions, held));
  }

  private issue(
    user: UserWithSecret,
    permissions: string[],
    lifespanMs: number,
    client: OAuthClient | null,
    ip: string | null,
  ): Promise<IssuedToken> {
    const actor: Actor = { tenantId: user.tenantId, userId: user.id, tokenId: null, ip };
    return this.issuance.run(async (tx) => {
      const issued = await this.accessTokens.issue(tx, user.tenantId, user.id, {
        kind: 'at',
        name: client ? client.name : 'OAuth client credentials',
        description: null,
        permissions,
        resources: [],
        userId: user.id,
        departmentId: user.departmentId,
        userTypeId: user.userTypeId,
        expiresAt: this.clock.now() + lifespanMs,
        retrievable: false,
        parentId: null,
        clientId: client?.id ?? null,
        sourceId: null,
        familyId: null,
      });
      await this.audit.record(
        tx,
        actor,
        'oauth.token',
        { type: 'token', id: issued.record.id },
        {
          grantType: 'client_credentials',
          clientId: client?.id ?? null,
          permissions,
        },
      );
      return issued;
    });
  }

  /**
   * The refresh_token grant. Client credentials are optional (seed 003's refresh tokens are the user's own
   * bearer credentials); when presented they are checked, and a user may only use their own refresh token.
   */
  private async refresh(request: TokenRequest): Promise<TokenResult> {
    const presentedToken = request.refreshToken;
    if (presentedToken === undefined || presentedToken === '') throw invalid('refresh_token', 'is required');
    const caller = presented(request.credentials)
      ? await this.callers.authenticate(request.credentials, request.ip)
      : null;
    const refresh = await this.resolve(presentedToken);
    this.assertMayUse(caller, refresh);
    const scope = await parseScope(this.catalog, refresh.tenantId, request.scope);
    const clientId = refresh.clientId ?? (caller?.type === 'client' ? caller.client.id : null);
    let grant: RefreshGrant;
    try {
      grant = await this.refreshTokens.refreshGrant(
        presentedToken,
        { scope, clientId, ip: request.ip },
        refresh,
      );
    } catch (error) {
      throw this.asGrantError(error);
    }
    // describeScope reads the user's permissions only to spell out `*`; where the token carries `*`, what
    // it holds now (grant.held) is exactly those.
    const result = this.result(
      grant.access,
      await describeScope(this.catalog, refresh.tenantId, grant.access.record.permissions, grant.held),
    );
    return grant.refresh ? { ...result, refreshToken: grant.refresh.token } : result;
  }

  private async resolve(presentedToken: string): Promise<TokenRecord> {
    try {
      return await this.refreshTokens.findForGrant(presentedToken);
    } catch (error) {
      throw this.asGrantError(error);
    }
  }

  /** A refresh token issued to a client is that client's; a user authenticating by password uses only their own. */
  private assertMayUse(caller: OAuthCaller | null, refresh: TokenRecord): void {
    const refused = () =>
      new TesseraError('INVALID_GRANT', 'The refresh token was issued to another client.');
    if (caller?.type === 'user') {
      if (caller.user.tenantId !== refresh.tenantId || caller.user.id !== refresh.userId) throw refused();
    } else if (refresh.clientId !== null && caller?.client.id !== refresh.clientId) {
      throw refused();
    }
  }

  /** The refresh-token service speaks seed 003's codes; the token endpoint speaks RFC 6749's. */
  private asGrantError(error: unknown): unknown {
    if (!(error instanceof TesseraError)) return error;
    if (error.code === 'INVALID_TOKEN') return new TesseraError('INVALID_GRANT', error.message);
    if (error.code === 'PERMISSION_NOT_HELD')
      return new TesseraError('INVALID_SCOPE', error.message, { field: 'scope' });
    return error;
  }

  private result(issued: IssuedToken, scope: string): TokenResult {
    const expiresIn = Math.max(0, Math.round((issued.record.expiresAt - this.clock.now()) / SECOND));
    return { accessToken: issued.token, expiresIn, scope };
  }
}
