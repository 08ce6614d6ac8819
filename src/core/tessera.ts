import { AuditLog } from './audit.ts';
import { AuthService } from './auth.ts';
import type { CacheInvalidation } from './cache-invalidation.ts';
import { PermissionCatalog } from './catalog.ts';
import type { Clock } from './clock.ts';
import { HttpCloudPublisher } from './cloud.ts';
import type { OutboundHttp } from './cloud-port.ts';
import { type CloudRevoker, CloudService, NO_CLOUD } from './cloud-service.ts';
import { DirectoryService } from './directory.ts';
import { AccessTokenIssuer } from './oauth/access-token-issuer.ts';
import type { ClientService } from './oauth/clients.ts';
import type { GrantService } from './oauth/grants.ts';
import type { IntrospectionService } from './oauth/introspection.ts';
import { JwtAccessTokens } from './oauth/jwt-access-tokens.ts';
import { SigningKeys } from './oauth/signing-keys.ts';
import { createOAuthServices } from './oauth/wiring.ts';
import { OwnRefreshTokens } from './own-refresh-tokens.ts';
import { ProfileService } from './profile.ts';
import { RefreshTokenService } from './refresh-tokens.ts';
import { ReportService } from './reports.ts';
import type { TokenCipher } from './secrets.ts';
import { SessionService } from './sessions.ts';
import { SettingsService } from './settings-service.ts';
import type { Store } from './store.ts';
import { SignInGuard } from './throttle.ts';
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
  /**
   * How nodes sharing one PostgreSQL tell each other about revoked tokens (LISTEN/NOTIFY); none on SQLite.
   * Only the token cache listens; the other caches (refresh-token records, OAuth clients, catalog,
   * settings) rely on their TTL across nodes.
   */
  invalidation?: CacheInvalidation;
  /** The OAuth issuer (JWT `iss` and `aud`): TESSERA_PUBLIC_URL or the URL the service listens on. */
  issuer?: string;
  /**
   * Where report share tokens are published (seed 001). Default: the cloud Tessera instance the tenant's
   * `cloud.*` settings name, called through `outbound` (off until `cloud.enabled`).
   */
  cloud?: CloudRevoker;
  /**
   * The one client for calls the service makes (src/http/outbound/). Without it (the command line) cloud
   * publishing is off: the core itself never opens a connection.
   */
  outbound?: OutboundHttp;
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
  /** Cross-node cache invalidation, when several nodes share the database. */
  invalidation?: CacheInvalidation;
  tokens: TokenService;
  users: UserService;
  /** Departments and user types. */
  directory: DirectoryService;
  /** The signed-in user's own profile and "sign out everywhere". */
  profile: ProfileService;
  auth: AuthService;
  /** Sign-in sessions: mobile sign-in, and listing and ending console and mobile sessions. */
  sessions: SessionService;
  refreshTokens: RefreshTokenService;
  /** The signed-in user's own refresh tokens (the console's account page). */
  ownRefreshTokens: OwnRefreshTokens;
  accessTokens: AccessTokenIssuer;
  /** Registered OAuth clients (machine to machine). */
  clients: ClientService;
  /** The OAuth token endpoint's grants. */
  grants: GrantService;
  /** OAuth introspection (RFC 7662) and revocation (RFC 7009). */
  introspection: IntrospectionService;
  /** Keys that sign JWT access tokens; published at /.well-known/jwks.json. */
  signingKeys: SigningKeys;
  /** JWT access tokens; its `issuer` is set once the service knows the URL it listens on. */
  jwt: JwtAccessTokens;
  /** Reports and their share tokens (seed 001). */
  reports: ReportService;
  /** Publishing report share tokens to the cloud instance and revoking them there (seed 001). */
  cloud: CloudService;
}

export function createTessera(options: CoreOptions): Tessera {
  const { store, clock, pepper, cipher } = options;
  const audit = new AuditLog(clock);
  const catalog = new PermissionCatalog(store, clock, audit, options.cache.cacheTtlMs);
  const settings = new SettingsService(store, clock, audit, options.cache.cacheTtlMs, cipher);
  const usage = new UsageRecorder(store);
  const signingKeys = new SigningKeys(store, clock, cipher, audit);
  const jwt = new JwtAccessTokens(signingKeys, clock, options.issuer ?? 'http://127.0.0.1:8080');
  const verifier = new Verifier(
    store,
    clock,
    pepper,
    usage,
    { ...options.cache, invalidation: options.invalidation },
    jwt,
  );
  const tokens = new TokenService(store, clock, pepper, cipher, catalog, settings, verifier, usage, audit);
  const users = new UserService(store, clock, catalog, verifier, audit, settings);
  const auth = new AuthService(store, clock, tokens, users, settings, new SignInGuard(clock), audit);
  const accessTokens = new AccessTokenIssuer(tokens, jwt, settings, clock);
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
    options.cache.cacheTtlMs,
  );
  const oauth = createOAuthServices({
    store,
    clock,
    pepper,
    audit,
    catalog,
    settings,
    verifier,
    auth,
    accessTokens,
    refreshTokens,
    cacheTtlMs: options.cache.cacheTtlMs,
  });
  const cloud =
    options.cloud ?? (options.outbound ? new HttpCloudPublisher(settings, options.outbound) : NO_CLOUD);
  const reports = new ReportService(store, clock, tokens, cipher, verifier, settings, audit, cloud);
  return {
    store,
    clock,
    ...oauth,
    audit,
    catalog,
    settings,
    usage,
    verifier,
    ...(options.invalidation ? { invalidation: options.invalidation } : {}),
    tokens,
    users,
    directory: new DirectoryService(store, clock, audit),
    profile: new ProfileService(store, users, auth),
    auth,
    sessions: new SessionService(store, clock, auth, tokens, settings, verifier, usage, audit),
    refreshTokens,
    ownRefreshTokens: new OwnRefreshTokens(store, clock, refreshTokens),
    accessTokens,
    signingKeys,
    jwt,
    reports,
    cloud: new CloudService(store, audit, cloud),
  };
}
