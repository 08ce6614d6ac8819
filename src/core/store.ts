import type {
  AuditEvent,
  AuditQuery,
  DirectoryEntry,
  DirectoryKind,
  NewAuditEvent,
  NewOAuthClient,
  NewToken,
  OAuthClient,
  Page,
  Report,
  SessionType,
  SigningKey,
  SortOrder,
  TokenForVerify,
  TokenQuery,
  TokenRecord,
  TokenStatus,
  TokenWithUser,
  UsageDelta,
  User,
  UserQuery,
  UserWithSecret,
} from './model.ts';
import type { PermissionInfo } from './permissions.ts';
import type { TokenKind } from './token-format.ts';

/**
 * The narrow interface the domain core keeps its data behind. One implementation (Kysely) serves SQLite and
 * PostgreSQL; the same test suite runs against both. Every method that reads or changes tenant data takes
 * the tenant id, so no call can cross tenants.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Runs `fn` in one transaction: all of its writes land, or none. Inside `fn`, read and write only through
   * the store it is given (on SQLite the outer store waits for the transaction's one connection).
   */
  transaction<T>(fn: (store: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Throws when the database cannot be reached (for health checks). */
  ping(): Promise<void>;

  tenants: TenantRepo;
  users: UserRepo;
  directory(kind: DirectoryKind): DirectoryRepo;
  tokens: TokenRepo;
  sessions: SessionRepo;
  settings: SettingsRepo;
  permissions: PermissionRepo;
  audit: AuditRepo;
  clients: OAuthClientRepo;
  signingKeys: SigningKeyRepo;
  reports: ReportRepo;
}

export interface TenantRepo {
  /** Creates the tenant if it is missing; true when it was created. */
  ensure(id: string, name: string, at: number): Promise<boolean>;
  exists(id: string): Promise<boolean>;
}

export interface UserRepo {
  insert(user: Omit<UserWithSecret, 'id'>): Promise<User>;
  get(tenantId: string, id: number): Promise<UserWithSecret | undefined>;
  findByUsername(tenantId: string, username: string): Promise<UserWithSecret | undefined>;
  list(tenantId: string, query: UserQuery): Promise<Page<User>>;
  update(
    tenantId: string,
    id: number,
    patch: Partial<Omit<UserWithSecret, 'id' | 'tenantId'>>,
  ): Promise<User | undefined>;
  delete(tenantId: string, id: number): Promise<boolean>;
  countAdmins(tenantId: string): Promise<number>;
}

export interface DirectoryRepo {
  insert(entry: Omit<DirectoryEntry, 'id'>): Promise<DirectoryEntry>;
  get(tenantId: string, id: number): Promise<DirectoryEntry | undefined>;
  list(tenantId: string): Promise<DirectoryEntry[]>;
  update(
    tenantId: string,
    id: number,
    patch: { name?: string; description?: string | null },
  ): Promise<DirectoryEntry | undefined>;
  delete(tenantId: string, id: number): Promise<boolean>;
  /** Whether any user or active token (not revoked, not expired at `now`) still points at the entry. */
  inUse(tenantId: string, id: number, now?: number): Promise<boolean>;
}

export interface TokenRepo {
  insert(token: NewToken): Promise<void>;
  /** A token by keyed hash, across tenants (the hash is unique), with the user's standing. */
  findByHash(hash: string): Promise<TokenWithUser | undefined>;
  /** The verification lookup: findByHash narrowed to the fields a verification reads. */
  findVerifiable(hash: string): Promise<TokenForVerify | undefined>;
  get(tenantId: string, id: string): Promise<TokenRecord | undefined>;
  ciphertext(tenantId: string, id: string): Promise<string | null | undefined>;
  list(tenantId: string, query: TokenQuery): Promise<Page<TokenRecord>>;
  update(
    tenantId: string,
    id: string,
    patch: { name?: string; description?: string | null },
  ): Promise<TokenRecord | undefined>;
  /**
   * Revokes, at `at`, the listed tokens that are still unrevoked (optionally only those of one user), in one
   * conditional UPDATE: two concurrent revokes both succeed and count each token once. Returns the keyed
   * hashes of what it revoked, so caches can drop them.
   */
  revoke(
    tenantId: string,
    ids: string[],
    at: number,
    onlyUserId?: number,
  ): Promise<{ id: string; hash: string }[]>;
  /**
   * Sets the revocation time of one token that has none yet (not even a scheduled one), in one conditional
   * UPDATE; returns its hash, or nothing when another change got there first.
   */
  scheduleRevocation(tenantId: string, id: string, at: number): Promise<{ id: string; hash: string }[]>;
  /**
   * Revokes, at `at`, every unrevoked token whose `column` is one of `values`: the access tokens minted
   * from some refresh tokens (`sourceId`), a refresh-token rotation family (`familyId`), or a client's
   * tokens (`clientId`).
   */
  revokeWhere(
    tenantId: string,
    column: 'sourceId' | 'familyId' | 'clientId',
    values: string[],
    at: number,
  ): Promise<{ id: string; hash: string }[]>;
  /**
   * Reuse detection: revokes every refresh token of a rotation family and every access token minted from
   * any of them.
   */
  revokeFamily(tenantId: string, familyId: string, at: number): Promise<{ id: string; hash: string }[]>;
  /**
   * Revokes every unrevoked token of a user (on delete), or only those of some `kinds` (sign-in sessions
   * on a password change), passing over `exceptId` (the session making the change).
   */
  revokeAllOfUser(
    tenantId: string,
    userId: number,
    at: number,
    options?: { kinds?: readonly TokenKind[]; exceptId?: string },
  ): Promise<{ id: string; hash: string }[]>;
  /** Adds batched usage: counts add up, last-used moves only forward. */
  addUsage(deltas: UsageDelta[]): Promise<void>;
}

/** A sign-in session (a `ses` token) with its user's name and email and its department and user type. */
export interface SessionRecord {
  id: string;
  tenantId: string;
  type: SessionType;
  userId: number;
  /** Null when the user has since been deleted. */
  username: string | null;
  email: string | null;
  department: { id: number; name: string } | null;
  userType: { id: number; name: string } | null;
  deviceName: string | null;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

export interface SessionQuery {
  now: number;
  /** Unset: console and mobile sessions alike. */
  type?: SessionType;
  status?: TokenStatus;
  userId?: number;
  departmentId?: number;
  userTypeId?: number;
  /** Found in the username, email or device name. */
  text?: string;
  /** `lastActiveAt` is the last use as far as the store knows, or the sign-in when there was none. */
  sort: 'createdAt' | 'expiresAt' | 'lastActiveAt';
  order: SortOrder;
  limit: number;
  cursor?: string;
}

/** Sign-in sessions, read with their user, department and user type in one query. */
export interface SessionRepo {
  list(tenantId: string, query: SessionQuery): Promise<Page<SessionRecord>>;
  /** The session with this id; undefined for another tenant's id or a token that is not a session. */
  get(tenantId: string, id: string): Promise<SessionRecord | undefined>;
  /** Which of `ids` are sessions of this tenant (optionally of one user). */
  filterIds(tenantId: string, ids: string[], onlyUserId?: number): Promise<string[]>;
}

export interface SettingsRepo {
  all(tenantId: string): Promise<Record<string, unknown>>;
  set(tenantId: string, values: Record<string, unknown>, at: number): Promise<void>;
}

export interface PermissionRepo {
  list(tenantId: string): Promise<PermissionInfo[]>;
  insert(tenantId: string, info: Omit<PermissionInfo, 'builtIn'>, at: number): Promise<void>;
}

export interface AuditRepo {
  insert(event: NewAuditEvent): Promise<void>;
  /** Inserts an event that later occurrences are folded into; returns its id. */
  insertFoldable(event: NewAuditEvent): Promise<number>;
  /** Replaces the details of an event of the tenant (a folded event's count). */
  updateDetails(tenantId: string, id: number, details: Record<string, unknown>): Promise<void>;
  list(tenantId: string, query: AuditQuery): Promise<Page<AuditEvent>>;
}

export interface OAuthClientRepo {
  insert(client: NewOAuthClient): Promise<void>;
  get(tenantId: string, id: string): Promise<OAuthClient | undefined>;
  /** For client authentication: by id across tenants (client ids are unique), with the secret's keyed hash. */
  findForAuth(id: string): Promise<NewOAuthClient | undefined>;
  list(tenantId: string): Promise<OAuthClient[]>;
  /** Replaces the secret; returns the client, or undefined when it does not exist. */
  setSecret(
    tenantId: string,
    id: string,
    secretHash: string,
    secretHint: string,
    at: number,
  ): Promise<OAuthClient | undefined>;
  delete(tenantId: string, id: string): Promise<boolean>;
}

/** Signing keys are instance-wide (the issuer is the instance), so they carry no tenant id. */
export interface SigningKeyRepo {
  list(): Promise<SigningKey[]>;
  insert(key: SigningKey): Promise<void>;
  /** Stops a key from signing (it still verifies); true when it was active. */
  retire(kid: string, at: number): Promise<boolean>;
  delete(kid: string): Promise<boolean>;
}

export interface ReportQuery {
  /** Text to find in the id, name or description. */
  text?: string;
  limit: number;
  cursor?: string;
}

/** A report's share token as its listing needs it: the token string is still sealed. */
export interface ShareTokenRow {
  id: string;
  name: string;
  createdAt: number;
  expiresAt: number;
  ciphertext: string | null;
}

/** Reports that share tokens bind to (seed 001), keyed by tenant and id. */
export interface ReportRepo {
  /** Inserts a report; REPORT_EXISTS when the tenant already has one with this id. */
  insert(report: Report): Promise<Report>;
  get(tenantId: string, id: string): Promise<Report | undefined>;
  /** Ordered by id, keyset-paginated. */
  list(tenantId: string, query: ReportQuery): Promise<Page<Report>>;
  update(
    tenantId: string,
    id: string,
    patch: { name?: string; description?: string | null; viewerUrl?: string | null; updatedAt: number },
  ): Promise<Report | undefined>;
  delete(tenantId: string, id: string): Promise<boolean>;
  /** The report's share tokens that are active at `now`, oldest first. */
  activeShareTokens(tenantId: string, reportId: string, now: number): Promise<ShareTokenRow[]>;
  /** Revokes, at `at`, every unrevoked token bound to the report; returns their hashes for the caches. */
  revokeTokens(tenantId: string, reportId: string, at: number): Promise<{ id: string; hash: string }[]>;
}
