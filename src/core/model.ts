import type { Role } from './permissions.ts';
import type { TokenKind } from './token-format.ts';

/** Plain data shapes shared by the domain core and the store. Times are epoch milliseconds. */

export interface User {
  id: number;
  tenantId: string;
  username: string;
  email: string | null;
  fullName: string | null;
  role: Role;
  /** The explicit list, or null for the role's defaults. */
  permissions: string[] | null;
  departmentId: number | null;
  userTypeId: number | null;
  preferredLanguage: string | null;
  /** Signs in through single sign-on: no password, so no refresh token for a password either. */
  sso: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface UserWithSecret extends User {
  passwordHash: string | null;
}

/** A department or a user type (seed 004): a named entry that tokens and users can be bound to. */
export interface DirectoryEntry {
  id: number;
  tenantId: string;
  name: string;
  description: string | null;
  createdAt: number;
}

export type DirectoryKind = 'departments' | 'user_types';

export type TokenStatus = 'active' | 'expired' | 'revoked';

export interface TokenRecord {
  id: string;
  tenantId: string;
  kind: TokenKind;
  name: string;
  description: string | null;
  hint: string;
  permissions: string[];
  resources: string[];
  userId: number;
  createdBy: number | null;
  departmentId: number | null;
  userTypeId: number | null;
  createdAt: number;
  expiresAt: number;
  /** When the token stops (or stopped) working by revocation; may lie in the future after a rotation with grace. */
  revokedAt: number | null;
  lastUsedAt: number | null;
  lastUsedIp: string | null;
  useCount: number;
  retrievable: boolean;
  /** The token this one replaced by rotation. */
  parentId: string | null;
  /** The OAuth client an access token was issued to. */
  clientId: string | null;
  /** The refresh token an access token was minted from; revoking that one revokes this one. */
  sourceId: string | null;
  /** A refresh token's rotation family: reuse of a rotated member revokes them all. */
  familyId: string | null;
  /** The report a share token (`shr`) is bound to. */
  reportId: string | null;
  /** A sign-in session's channel: the web console or a mobile app (seed 004's "Mobile Users Logged In"). */
  sessionType: SessionType | null;
  /** The device a mobile session was opened on, as the app named it. */
  deviceName: string | null;
}

export type SessionType = 'console' | 'mobile';

/** Something share tokens bind to (seed 001). Tessera does not render reports; it decides who may see one. */
export interface Report {
  tenantId: string;
  /** Such as `team:sales-dashboard`: may contain `:`. */
  id: string;
  name: string;
  description: string | null;
  /** Where the report is rendered; `{token}` and `{reportId}` are filled in for the embed page. */
  viewerUrl: string | null;
  createdBy: number | null;
  createdAt: number;
  updatedAt: number;
}

/** What the store keeps for a new token: never the token itself, only its keyed hash (and ciphertext if retrievable). */
export interface NewToken
  extends Omit<TokenRecord, 'lastUsedAt' | 'lastUsedIp' | 'useCount' | 'retrievable'> {
  hash: string;
  ciphertext: string | null;
}

/** A token's user's standing now: role and own permission list (null: the role's defaults). */
export interface TokenUser {
  role: Role;
  permissions: string[] | null;
}

/** A token with its user's standing; user is null when the user no longer exists. */
export interface TokenWithUser {
  token: TokenRecord;
  user: TokenUser | null;
}

/** The fields of a token a verification reads: all a verification cache entry holds. */
export type VerifiableToken = Pick<
  TokenRecord,
  | 'id'
  | 'tenantId'
  | 'kind'
  | 'permissions'
  | 'resources'
  | 'userId'
  | 'departmentId'
  | 'userTypeId'
  | 'expiresAt'
  | 'revokedAt'
>;

/** What verification needs on a cache miss: the token's verifiable fields and its user's standing now. */
export interface TokenForVerify {
  token: VerifiableToken;
  user: TokenUser | null;
}

export function tokenStatus(t: Pick<TokenRecord, 'expiresAt' | 'revokedAt'>, now: number): TokenStatus {
  if (t.revokedAt !== null && t.revokedAt <= now) return 'revoked';
  if (t.expiresAt <= now) return 'expired';
  return 'active';
}

export interface AuditEvent {
  id: number;
  tenantId: string;
  at: number;
  actorUserId: number | null;
  actorTokenId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
}

/** A registered OAuth client (machine-to-machine); its secret is kept only as a keyed hash. */
export interface OAuthClient {
  id: string;
  tenantId: string;
  name: string;
  secretHint: string;
  /** The scopes the client may ask for. */
  permissions: string[];
  /** The user whose permissions bound the client's tokens. */
  userId: number;
  /** Seconds; null for the access-token lifespan setting. */
  accessTokenLifespan: number | null;
  createdBy: number | null;
  createdAt: number;
  secretRotatedAt: number | null;
}

export interface NewOAuthClient extends OAuthClient {
  secretHash: string;
}

/** A key that signs JWT access tokens; retired keys still verify until their tokens have expired. */
export interface SigningKey {
  kid: string;
  alg: string;
  publicJwk: string;
  /** The private JWK, encrypted with the token cipher. */
  privateJwk: string;
  createdAt: number;
  retiredAt: number | null;
}

export type NewAuditEvent = Omit<AuditEvent, 'id'>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type SortOrder = 'asc' | 'desc';

export interface TokenQuery {
  now: number;
  status?: TokenStatus;
  kinds?: TokenKind[];
  sessionType?: SessionType;
  reportId?: string;
  userId?: number;
  departmentId?: number;
  userTypeId?: number;
  text?: string;
  expiringWithinDays?: number;
  sort: 'createdAt' | 'expiresAt' | 'name';
  order: SortOrder;
  limit: number;
  cursor?: string;
}

export interface UserQuery {
  text?: string;
  role?: Role;
  departmentId?: number;
  userTypeId?: number;
  limit: number;
  cursor?: string;
}

export interface AuditQuery {
  action?: string;
  actorUserId?: number;
  targetId?: string;
  since?: number;
  until?: number;
  limit: number;
  cursor?: string;
}

export interface UsageDelta {
  tokenId: string;
  count: number;
  lastUsedAt: number;
  lastUsedIp: string | null;
}
