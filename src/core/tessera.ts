import { AuditLog } from './audit.ts';
import { AuthService } from './auth.ts';
import { PermissionCatalog } from './catalog.ts';
import type { Clock } from './clock.ts';
import { AccessTokenIssuer } from './oauth/access-token-issuer.ts';
import { RefreshTokenService } from './refresh-tokens.ts';
import type { TokenCipher } from './secrets.ts';
import { SettingsService } from './settings-service.ts';
import type { Store } from './store.ts';
import { LoginThrottle } from './throttle.ts';
import { TokenService } from './tokens.ts';
import { UsageRecorder } from './usage.ts';
import { UserService } from './users.ts';
import { Verifier, type VerifierOptions } from './verifier.ts';

export interface CoreOptions {
  store: Store;
  clock: Clock;
  /** The server secret that keys token hashes. */
  pepper: Buffer;
  cipher: TokenCipher;
  cache: VerifierOptions;
}

/** The domain core, wired: every service over one store and one clock. No HTTP, no SQL. */
export interface Tessera {
  store: Store;
  clock: Clock;
  audit: AuditLog;
  catalog: PermissionCatalog;
  settings: SettingsService;
  usage: UsageRecorder;
  verifier: Verifier;
  tokens: TokenService;
  users: UserService;
  auth: AuthService;
  refreshTokens: RefreshTokenService;
  accessTokens: AccessTokenIssuer;
}

export function createTessera(options: CoreOptions): Tessera {
  const { store, clock, pepper, cipher } = options;
  const audit = new AuditLog(clock);
  const catalog = new PermissionCatalog(store, clock, audit);
  const settings = new SettingsService(store, clock, audit);
  const usage = new UsageRecorder(store);
  const verifier = new Verifier(store, clock, pepper, usage, options.cache);
  const tokens = new TokenService(store, clock, pepper, cipher, catalog, settings, verifier, usage, audit);
  const users = new UserService(store, clock, catalog, verifier, audit);
  const auth = new AuthService(store, clock, tokens, users, settings, new LoginThrottle(clock), audit);
  const accessTokens = new AccessTokenIssuer(tokens, settings);
  const refreshTokens = new RefreshTokenService(
    store,
    clock,
    pepper,
    tokens,
    accessTokens,
    auth,
    settings,
    verifier,
    usage,
    audit,
  );
  return {
    store,
    clock,
    audit,
    catalog,
    settings,
    usage,
    verifier,
    tokens,
    users,
    auth,
    refreshTokens,
    accessTokens,
  };
}
