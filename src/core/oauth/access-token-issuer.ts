import type { Clock } from '../clock.ts';
import { timeOrderedId } from '../ids.ts';
import type { SettingsService } from '../settings-service.ts';
import type { Store } from '../store.ts';
import type { TokenSpec } from '../token-rules.ts';
import type { IssuedToken, TokenService } from '../tokens.ts';
import { type JwtAccessTokens, jwtHint } from './jwt-access-tokens.ts';

/**
 * Issues OAuth access tokens (kind `at`) in the format the `oauth.jwt_access_tokens` setting chooses:
 * opaque `tsr_at_…` tokens by default, or signed JWTs (RFC 9068). Either way a row is stored (keyed hash
 * only), so revocation, usage and inspection work the same for both.
 */
export class AccessTokenIssuer {
  constructor(
    private readonly tokens: TokenService,
    private readonly jwt: JwtAccessTokens,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
  ) {}

  /**
   * Runs inside the caller's transaction, and reads through it: on SQLite the outer store would wait for
   * that transaction to end. `spec.kind` must be `at`.
   */
  async issue(
    store: Store,
    tenantId: string,
    createdBy: number | null,
    spec: TokenSpec,
  ): Promise<IssuedToken> {
    const settings = await this.settings.get(tenantId, store);
    if (!settings['oauth.jwt_access_tokens']) {
      return this.tokens.issue(store, tenantId, createdBy, { ...spec, kind: 'at' });
    }
    // A JWT says its expiry in whole seconds; the row must agree with it to the millisecond.
    const expiresAt = Math.floor(spec.expiresAt / 1000) * 1000;
    const id = timeOrderedId(this.clock.now());
    const token = await this.jwt.sign(
      {
        id,
        userId: spec.userId,
        clientId: spec.clientId ?? null,
        permissions: spec.permissions,
        issuedAt: this.clock.now(),
        expiresAt,
      },
      store,
    );
    return this.tokens.issue(
      store,
      tenantId,
      createdBy,
      { ...spec, kind: 'at', expiresAt },
      { id, token, hint: jwtHint(token) },
    );
  }
}
