import type { AuditLog } from './audit.ts';
import type { AuthService } from './auth.ts';
import { type Clock, DAY } from './clock.ts';
import { invalid, TesseraError } from './errors.ts';
import { type Page, type SessionType, type TokenStatus, tokenStatus } from './model.ts';
import { type Actor, type Principal, requireAdmin, requirePermission } from './principal.ts';
import type { SettingsService } from './settings-service.ts';
import type { SessionQuery, SessionRecord, Store } from './store.ts';
import { checkName } from './text.ts';
import { standInSpec } from './token-rules.ts';
import type { TokenService } from './tokens.ts';
import type { UsageRecorder } from './usage.ts';
import { type UserView, userView } from './users.ts';
import type { Verifier } from './verifier.ts';

export const DEVICE_NAME_MAX = 100;

export interface MobileLoginInput {
  tenant?: string;
  username: string;
  password: string;
  deviceName: string;
}

export interface MobileLoginResult {
  token: string;
  sessionId: string;
  expiresAt: number;
  user: UserView;
}

/** Seed 004's "Mobile Users Logged In" row: a session with its user, department, user type and last activity. */
export interface SessionView {
  id: string;
  type: SessionType;
  userId: number;
  username: string | null;
  email: string | null;
  department: { id: number; name: string } | null;
  userType: { id: number; name: string } | null;
  deviceName: string | null;
  /** The last request made with the session (exact on this node), or its sign-in when there was none. */
  lastActiveAt: number;
  expiresAt: number;
  createdAt: number;
  status: TokenStatus;
}

/** One of the caller's own sessions; `current` marks the one the request is made with. */
export interface OwnSessionView extends SessionView {
  current: boolean;
}

export type SessionListQuery = Omit<SessionQuery, 'now'>;

/**
 * Sign-in sessions: mobile sign-in, and listing and ending sessions, by administrators for the tenant and
 * by each user for their own. Ending a session revokes its token and drops it from the verification
 * cache, so the device is signed out on its next request.
 */
export class SessionService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly auth: AuthService,
    private readonly tokens: TokenService,
    private readonly settings: SettingsService,
    private readonly verifier: Verifier,
    private readonly usage: UsageRecorder,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Checks a username and password (throttled and audited like console sign-in) and opens a mobile session
   * on the named device, living `authentication.mobile_session_lifespan` days.
   */
  async mobileLogin(input: MobileLoginInput, ip: string | null): Promise<MobileLoginResult> {
    // Checked before the password, so that a malformed request costs no attempt.
    const deviceName = checkDeviceName(input.deviceName);
    // Single-sign-on users are refused there like a wrong password: they have no password to sign in with.
    const user = await this.auth.checkPassword(input, ip, 'auth.mobile_login_failed');
    const tenantId = user.tenantId;
    const actor: Actor = { tenantId, userId: user.id, tokenId: null, ip };
    const days = (await this.settings.get(tenantId))['authentication.mobile_session_lifespan'];
    return this.store.transaction(async (tx) => {
      const { token, record } = await this.tokens.issue(
        tx,
        tenantId,
        user.id,
        standInSpec(user, 'ses', 'Mobile session', this.clock.now() + days * DAY, {
          sessionType: 'mobile',
          deviceName,
        }),
      );
      await this.audit.record(
        tx,
        actor,
        'auth.mobile_login',
        { type: 'user', id: user.id },
        { sessionId: record.id, deviceName },
      );
      const { passwordHash: _, ...plain } = user;
      return { token, sessionId: record.id, expiresAt: record.expiresAt, user: userView(plain) };
    });
  }

  /** The tenant's sessions of one type, filtered, sorted and paginated (administrators). */
  async list(principal: Principal, query: SessionListQuery): Promise<Page<SessionView>> {
    requireAdmin(principal, 'tokens:manage');
    const now = this.clock.now();
    const page = await this.store.sessions.list(principal.tenantId, { ...query, now });
    return { items: page.items.map((s) => this.view(s, now)), nextCursor: page.nextCursor };
  }

  /** One session of the tenant (administrators). */
  async get(principal: Principal, id: string): Promise<SessionView> {
    requireAdmin(principal, 'tokens:manage');
    return this.view(await this.find(principal.tenantId, id), this.clock.now());
  }

  /** Ends one session of the tenant (administrators); ending an ended session changes nothing. */
  async revoke(principal: Principal, id: string): Promise<void> {
    requireAdmin(principal, 'tokens:manage');
    await this.find(principal.tenantId, id);
    await this.end(principal, [id]);
  }

  /**
   * Ends many sessions in one conditional UPDATE (administrators); ids of other tenants and of tokens that
   * are not sessions are passed over. Returns how many were active and are now revoked.
   */
  async revokeMany(principal: Principal, ids: string[]): Promise<number> {
    requireAdmin(principal, 'tokens:manage');
    const sessions = await this.store.sessions.filterIds(principal.tenantId, [...new Set(ids)]);
    return this.end(principal, sessions);
  }

  /** The caller's own active sessions, console and mobile, the one in use marked `current`. */
  async listOwn(
    principal: Principal,
    query: Pick<SessionListQuery, 'limit' | 'cursor'>,
  ): Promise<Page<OwnSessionView>> {
    requirePermission(principal, 'tokens:manage');
    const now = this.clock.now();
    const page = await this.store.sessions.list(principal.tenantId, {
      ...query,
      now,
      userId: principal.userId,
      status: 'active',
      sort: 'createdAt',
      order: 'desc',
    });
    return {
      items: page.items.map((s) => ({ ...this.view(s, now), current: s.id === principal.tokenId })),
      nextCursor: page.nextCursor,
    };
  }

  /** Ends one of the caller's own sessions (the current one too: that is signing out). */
  async revokeOwn(principal: Principal, id: string): Promise<void> {
    requirePermission(principal, 'tokens:manage');
    const session = await this.store.sessions.get(principal.tenantId, id);
    if (!session || session.userId !== principal.userId)
      throw new TesseraError('SESSION_NOT_FOUND', `You have no session ${id}.`);
    await this.end(principal, [id], principal.userId);
  }

  private async end(principal: Principal, ids: string[], onlyUserId?: number): Promise<number> {
    const revoked = await this.store.transaction(async (tx) => {
      const rows = await tx.tokens.revoke(principal.tenantId, ids, this.clock.now(), onlyUserId);
      for (const row of rows)
        await this.audit.record(tx, principal, 'session.revoke', { type: 'session', id: row.id });
      return rows;
    });
    this.verifier.forget(revoked.map((r) => r.hash));
    return revoked.length;
  }

  private async find(tenantId: string, id: string): Promise<SessionRecord> {
    const session = await this.store.sessions.get(tenantId, id);
    if (!session) throw new TesseraError('SESSION_NOT_FOUND', `No session ${id} in your tenant.`);
    return session;
  }

  private view(session: SessionRecord, now: number): SessionView {
    const { tenantId: _, revokedAt: _revokedAt, lastUsedAt, ...rest } = session;
    // Usage is written in batches: what this node has not written yet is newer than the store's.
    const pending = this.usage.peek(session.id)?.lastUsedAt;
    const last =
      pending !== undefined && (lastUsedAt === null || pending > lastUsedAt) ? pending : lastUsedAt;
    return { ...rest, lastActiveAt: last ?? session.createdAt, status: tokenStatus(session, now) };
  }
}

/** A device name as the app sent it, trimmed: 1 to 100 characters, no control characters. */
export function checkDeviceName(raw: string): string {
  const name = raw.trim();
  if (name === '') throw invalid('deviceName', 'must not be empty');
  if (name.length > DEVICE_NAME_MAX)
    throw invalid('deviceName', `must be at most ${DEVICE_NAME_MAX} characters`);
  return checkName('deviceName', name);
}
