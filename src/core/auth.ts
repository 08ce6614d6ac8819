import { randomBytes } from 'node:crypto';
import type { AuditLog } from './audit.ts';
import { type Clock, HOUR } from './clock.ts';
import { TesseraError } from './errors.ts';
import type { UserWithSecret } from './model.ts';
import type { Actor } from './principal.ts';
import { verifyPassword } from './secrets.ts';
import type { SettingsService } from './settings-service.ts';
import type { Store } from './store.ts';
import type { LoginThrottle } from './throttle.ts';
import { standInSpec } from './token-rules.ts';
import type { TokenService } from './tokens.ts';
import { USERNAME_PATTERN, type UserService, type UserView, userView } from './users.ts';

export const DEFAULT_TENANT = 'default';

export interface LoginResult {
  token: string;
  expiresAt: number;
  user: UserView;
}

/** Signing in and out of the console, and the first start's bootstrap. */
export class AuthService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly tokens: TokenService,
    private readonly users: UserService,
    private readonly settings: SettingsService,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Checks a username and password, throttled per username and IP, and audits a failure as `failedAction`.
   * Every password entry point (sign-in, refresh-token creation, OAuth user credentials) goes through here.
   */
  async checkPassword(
    input: { tenant?: string; username: string; password: string },
    ip: string | null,
    failedAction = 'auth.login_failed',
  ): Promise<UserWithSecret> {
    const tenantId = input.tenant ?? DEFAULT_TENANT;
    const username = input.username.trim().toLowerCase();
    const key = `${tenantId}\n${username}\n${ip ?? ''}`;
    const wait = this.throttle.retryAfter(key);
    if (wait > 0) {
      throw new TesseraError('TOO_MANY_ATTEMPTS', `Too many failed sign-ins; try again in ${wait} seconds.`, {
        retryAfterSeconds: wait,
      });
    }
    // A name no user can have (a NUL byte would even make PostgreSQL refuse the query) finds nobody.
    const user = USERNAME_PATTERN.test(username)
      ? await this.store.users.findByUsername(tenantId, username)
      : undefined;
    if (!(await verifyPassword(user?.passwordHash ?? null, input.password)) || !user) {
      this.throttle.fail(key);
      if (await this.store.tenants.exists(tenantId)) {
        const actor: Actor = { tenantId, userId: user?.id ?? null, tokenId: null, ip };
        await this.audit.record(
          this.store,
          actor,
          failedAction,
          user ? { type: 'user', id: user.id } : null,
          {
            username,
          },
        );
      }
      throw new TesseraError('INVALID_CREDENTIALS', 'The username or password is wrong.');
    }
    this.throttle.succeed(key);
    return user;
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
