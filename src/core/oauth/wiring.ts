import type { AuditLog } from '../audit.ts';
import type { AuthService } from '../auth.ts';
import type { PermissionCatalog } from '../catalog.ts';
import type { Clock } from '../clock.ts';
import type { RefreshTokenService } from '../refresh-tokens.ts';
import type { SettingsService } from '../settings-service.ts';
import type { Store } from '../store.ts';
import { LoginThrottle } from '../throttle.ts';
import type { Verifier } from '../verifier.ts';
import type { AccessTokenIssuer } from './access-token-issuer.ts';
import { OAuthCallers } from './client-auth.ts';
import { ClientService } from './clients.ts';
import { GrantService } from './grants.ts';
import { IntrospectionService } from './introspection.ts';

/** The OAuth services: registered clients, the token endpoint's grants, introspection and revocation. */
export interface OAuthServices {
  clients: ClientService;
  grants: GrantService;
  introspection: IntrospectionService;
}

/** Wires the OAuth services over the core's shared ones. */
export function createOAuthServices(deps: {
  store: Store;
  clock: Clock;
  pepper: Buffer;
  audit: AuditLog;
  catalog: PermissionCatalog;
  settings: SettingsService;
  verifier: Verifier;
  auth: AuthService;
  accessTokens: AccessTokenIssuer;
  refreshTokens: RefreshTokenService;
  /** How long clients read for authentication stay cached on this node (0: not at all). */
  cacheTtlMs?: number;
}): OAuthServices {
  const { store, clock, pepper, audit, catalog, settings, verifier } = deps;
  // Client secrets are throttled like passwords: five failures per client id and IP, then a pause.
  const throttle = new LoginThrottle(clock);
  const clients = new ClientService(
    store,
    clock,
    pepper,
    catalog,
    verifier,
    throttle,
    audit,
    deps.cacheTtlMs,
  );
  const callers = new OAuthCallers(clients, deps.auth, settings);
  return {
    clients,
    grants: new GrantService(
      store,
      clock,
      catalog,
      settings,
      callers,
      deps.accessTokens,
      deps.refreshTokens,
      audit,
    ),
    introspection: new IntrospectionService(
      store,
      clock,
      pepper,
      catalog,
      verifier,
      callers,
      deps.refreshTokens,
      audit,
    ),
  };
}
