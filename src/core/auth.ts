import { randomBytes } from 'node:crypto';
import type { AuditLog } from './audit.ts';
import { type Clock, HOUR } from './clock.ts';
import { TesseraError } from './errors.ts';
import { FailureAudit, type FailureReason } from './failure-audit.ts';
import type { UserWithSecret } from './model.ts';
import type { Actor, Principal } from './principal.ts';
import { verifyPassword } from './secrets.ts';
import type { SettingsService } from './settings-service.ts';
import type { Store } from './store.ts';
import { PasswordGate, SIGN_IN_LIMITS, type SignInAttempt, type SignInGuard } from './throttle.ts';
import { standInSpec } from './token-rules.ts';
import type { TokenService } from './tokens.ts';
import { USERNAME_PATTERN, type UserService, type UserView, userView } from './users.ts';

export const DEFAULT_TENANT = 'default';

export interface LoginResult {
  token: string;
  expiresAt: number;
  user: UserView;
}

/** Signing in and out of the console, the one password check behind every sign-in, and the first start's bootstrap. */
export class AuthService {
  private readonly failures: FailureAudit;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly tokens: TokenService,
    private readonly users: UserService,
    private readonly settings: SettingsService,
    private readonly guard: SignInGuard,
    private readonly audit: AuditLog,
    private readonly gate: PasswordGate = new PasswordGate(),
  ) {
    this.failures = new FailureAudit(store, clock, SIGN_IN_LIMITS.windowMs);
  }

  /**
   * Checks a username and password; every password entry point (console and mobile sign-in, refresh-token
   * creation, OAuth user credentials) goes through here. Throttled per username and address, per username
   * and per address (see {@link SignInGuard}), and bounded node-wide ({@link PasswordGate}); failures are
   * audited as `failedAction`, folded per username and address. A single-sign-on user is refused like a
   * wrong password, after the same work: they sign in only through their identity provider.
   */
  async checkPassword(
    input: { tenant?: string; username: string; password: string },
    ip: string | null,
    failedAction = 'auth.login_failed',
  ): Promise<UserWithSecret> {
    const tenantId = input.tenant ?? DEFAULT_TENANT;
    const username = input.username.trim().toLowerCase();
    const user = await this.attempt(
      { tenantId, username, ip },
      input.password,
      // A name no user can have (a NUL byte would even make PostgreSQL refuse the query) finds nobody.
      async () =>
        USERNAME_PATTERN.test(username) ? this.store.users.findByUsername(tenantId, username) : undefined,
      { tenantId, userId: null, tokenId: null, ip },
      failedAction,
    );
    if (!user) throw new TesseraError('INVALID_CREDENTIALS', 'The username or password is wrong.');
    return user;
  }

  /**
   * A signed-in user's current password, checked before it is changed (PATCH /api/me): the same lock-out,
   * bound and folded audit as signing in, so a stolen session cannot guess it freely. A wrong password is
   * FORBIDDEN naming `currentPassword`; too many are TOO_MANY_ATTEMPTS.
   */
  async checkCurrentPassword(
    principal: Principal,
    password: string,
    failedAction = 'user.password_change_failed',
  ): Promise<void> {
    const user = await this.store.users.get(principal.tenantId, principal.userId);
    if (!user) throw new TesseraError('USER_NOT_FOUND', 'Your user no longer exists.');
    const checked = await this.attempt(
      { tenantId: user.tenantId, username: user.username, ip: principal.ip },
      password,
      async () => user,
      principal,
      failedAction,
    );
    if (!checked) {
      throw new TesseraError('FORBIDDEN', 'currentPassword: is not your current password', {
        field: 'currentPassword',
      });
    }
  }

  /**
   * One password check: refused at once when locked out, counted as a failure until proven right (so that
   * concurrent guesses cannot slip past the limit together), run through the gate, audited when wrong.
   * Returns the user when the password is theirs and they sign in with one.
   */
  private async attempt(
    attempt: SignInAttempt,
    password: string,
    find: () => Promise<UserWithSecret | undefined>,
    actor: Actor,
    failedAction: string,
  ): Promise<UserWithSecret | undefined> {
    const wait = this.guard.retryAfter(attempt);
    if (wait > 0) {
      throw new TesseraError('TOO_MANY_ATTEMPTS', `Too many failed sign-ins; try again in ${wait} seconds.`, {
        retryAfterSeconds: wait,
      });
    }
    this.guard.fail(attempt);
    let user: UserWithSecret | undefined;
    let matches: boolean;
    try {
      ({ user, matches } = await this.gate.run(async () => {
        const found = await find();
        // Unknown and single-sign-on users are checked against a dummy hash: the same time, never a match.
        const hash = found && !found.sso ? found.passwordHash : null;
        return { user: found, matches: await verifyPassword(hash, password) };
      }, this.guard.isKnown(attempt)));
    } catch (error) {
      // Refused by the gate, or the store failed: no guess was checked.
      this.guard.forgive(attempt);
      throw error;
    }
    if (user && matches) {
      this.guard.succeed(attempt);
      this.failures.succeeded(attempt.tenantId, failedAction, { username: attempt.username }, attempt.ip);
      return user;
    }
    const reason: FailureReason = !user
      ? 'unknown_user'
      : user.sso
        ? 'sso_user'
        : user.passwordHash === null
          ? 'no_password'
          : 'wrong_password';
    await this.failures.failed(
      { ...actor, userId: actor.userId ?? user?.id ?? null },
      failedAction,
      user ? { type: 'user', id: user.id } : null,
      { username: attempt.username },
      reason,
    );
    return undefined;
  }

  /** Checks a username and password and opens a console session (a `ses` token carrying the user's permissions). */
  async login(
    input: { tenant?: string; username: string; password: string },
    ip: string | null,
  ): Promise<LoginResult> {
    const user = await this.checkPassword(input, ip);
    const tenantId = user.tenantId;
    const actor: Actor = { tenantId, userId: user.id, tokenId: null, ip };
    const hours = (await this.settings.get(tenantId))['authentication.session_lifespan'];
    return this.store.transaction(async (tx) => {
      const { token, record } = await this.tokens.issue(
        tx,
        tenantId,
        user.id,
        standInSpec(user, 'ses', 'Console session', this.clock.now() + hours * HOUR, {
          sessionType: 'console',
        }),
      );
      await this.audit.record(
        tx,
        actor,
        'auth.login',
        { type: 'user', id: user.id },
        { sessionId: record.id },
      );
      const { passwordHash: _, ...plain } = user;
      return { token, expiresAt: record.expiresAt, user: userView(plain) };
    });
  }

  /**
   * On an empty database: the `default` tenant and an `admin` user. Returns the password when this call
   * created the admin (generated unless one was given), so the caller can print it once.
   */
  async bootstrap(
    adminPassword?: string,
  ): Promise<{ created: boolean; password?: string; generated: boolean }> {
    await this.store.tenants.ensure(DEFAULT_TENANT, 'Default', this.clock.now());
    const actor: Actor = { tenantId: DEFAULT_TENANT, userId: null, tokenId: null, ip: null };
    const existing = await this.store.users.list(DEFAULT_TENANT, { limit: 1 });
    if (existing.items.length > 0) return { created: false, generated: false };
    const password = adminPassword ?? randomBytes(15).toString('base64url');
    try {
      await this.users.createAs(actor, {
        username: 'admin',
        fullName: 'Administrator',
        role: 'admin',
        password,
      });
    } catch (error) {
      // Several nodes starting on one empty database: one creates the admin, the others find it.
      if (await this.store.users.findByUsername(DEFAULT_TENANT, 'admin'))
        return { created: false, generated: false };
      throw error;
    }
    return { created: true, password, generated: adminPassword === undefined };
  }
}
