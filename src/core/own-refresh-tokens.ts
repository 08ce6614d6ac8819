import type { Clock } from './clock.ts';
import { TesseraError } from './errors.ts';
import type { Page, TokenRecord } from './model.ts';
import { type Principal, requirePermission } from './principal.ts';
import type { RefreshTokenService } from './refresh-tokens.ts';
import type { Store } from './store.ts';
import type { IssuedToken, TokenView } from './tokens.ts';

/**
 * The signed-in user's own refresh tokens, as the console's account page manages them: list, create (also for
 * single-sign-on users, who have no password for seed 003's createRefreshToken), regenerate and revoke by id.
 * Each needs `tokens:manage`; another user's token, or a token of another kind, is TOKEN_NOT_FOUND.
 */
export class OwnRefreshTokens {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly refreshTokens: RefreshTokenService,
  ) {}

  /** The caller's refresh tokens, newest first, whatever their status. */
  async list(principal: Principal, page: { limit: number; cursor?: string }): Promise<Page<TokenView>> {
    requirePermission(principal, 'tokens:manage');
    const result = await this.store.tokens.list(principal.tenantId, {
      now: this.clock.now(),
      userId: principal.userId,
      kinds: ['rt'],
      sort: 'createdAt',
      order: 'desc',
      limit: page.limit,
      cursor: page.cursor,
    });
    return { items: result.items.map((t) => this.refreshTokens.view(t)), nextCursor: result.nextCursor };
  }

  /** A new refresh token for the caller, with the refresh-token lifespan setting as it is now. */
  create(principal: Principal, name: string): Promise<IssuedToken> {
    return this.refreshTokens.createForSelf(principal, name);
  }

  /** Replaces one of the caller's active refresh tokens: a new secret, the old one and its access tokens revoked. */
  async regenerate(principal: Principal, id: string): Promise<IssuedToken> {
    const token = await this.find(principal, id);
    // The new refresh token carries all the user holds: made, like a new one, only from a sign-in session.
    await this.refreshTokens.requireConsoleSession(principal);
    return this.refreshTokens.regenerateRecord(token, principal);
  }

  /** Revokes one of the caller's refresh tokens and every access token minted from it; a no-op if revoked. */
  async revoke(principal: Principal, id: string): Promise<void> {
    await this.refreshTokens.revokeRecord(await this.find(principal, id), principal);
  }

  private async find(principal: Principal, id: string): Promise<TokenRecord> {
    requirePermission(principal, 'tokens:manage');
    const token = await this.store.tokens.get(principal.tenantId, id);
    if (token?.kind !== 'rt' || token.userId !== principal.userId)
      throw new TesseraError('TOKEN_NOT_FOUND', `You have no refresh token ${id}.`);
    return token;
  }
}
