import type { AuditLog } from './audit.ts';
import type { PermissionCatalog } from './catalog.ts';
import type { Clock } from './clock.ts';
import { DIRECTORY_NOUN } from './directory.ts';
import { invalid, TesseraError } from './errors.ts';
import type { Page, User, UserQuery, UserWithSecret } from './model.ts';
import { checkPassword } from './password-policy.ts';
import { ALL, type Role, rightsOf } from './permissions.ts';
import { type Actor, type Principal, requireAdmin, requireHolds, requirePermission } from './principal.ts';
import { hashPassword } from './secrets.ts';
import type { SettingsService } from './settings-service.ts';
import type { Store } from './store.ts';
import { checkName } from './text.ts';
import type { Verifier } from './verifier.ts';

export interface UserInput {
  username: string;
  email?: string | null;
  fullName?: string | null;
  role?: Role;
  permissions?: string[] | null;
  departmentId?: number | null;
  userTypeId?: number | null;
  preferredLanguage?: string | null;
  /** Signs in through single sign-on (no password; refresh tokens only from the console). */
  sso?: boolean;
  password?: string;
}

export interface UserView extends User {
  /** What the user holds now: the explicit list or the role's defaults. */
  effectivePermissions: string[];
}

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._@+-]{0,99}$/;
/** Fields that decide who can sign in as a user and with what rights: named first when refused. */
const SIGN_IN_FIELDS = ['password', 'role', 'permissions', 'sso', 'username', 'email'] as const;
/** What a user changes for themselves only on their profile, which asks for the current password. */
export const PROFILE_SIGN_IN_FIELDS = ['password', 'email'] as const;

export function userView(user: User): UserView {
  return { ...user, effectivePermissions: rightsOf(user) };
}

/** Users (seed 004): who they are, what they hold, and who may change them. */
export class UserService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly catalog: PermissionCatalog,
    private readonly verifier: Verifier,
    private readonly audit: AuditLog,
    private readonly settings: SettingsService,
  ) {}

  async list(principal: Principal, query: UserQuery): Promise<Page<UserView>> {
    requireAdmin(principal, 'users:read');
    const page = await this.store.users.list(principal.tenantId, query);
    return { items: page.items.map(userView), nextCursor: page.nextCursor };
  }

  async get(principal: Principal, id: number): Promise<UserView> {
    requireAdmin(principal, 'users:read');
    return userView(await this.find(principal.tenantId, id));
  }

  /** Creates a user holding no more than the caller holds. */
  async create(principal: Principal, input: UserInput): Promise<UserView> {
    requireAdmin(principal, 'users:write');
    const rights = rightsOf({ role: input.role ?? 'member', permissions: input.permissions ?? null });
    requireHolds(principal, rights, input.permissions ? 'permissions' : 'role', 'give them to a user');
    return this.createAs(principal, input);
  }

  /** Creates a user on behalf of an actor (an admin, or the command line). */
  async createAs(actor: Actor, input: UserInput): Promise<UserView> {
    const username = normalizeUsername(input.username);
    await this.checkFields(actor.tenantId, input, username);
    if (await this.store.users.findByUsername(actor.tenantId, username)) {
      throw new TesseraError('USERNAME_TAKEN', `username: ${username} is taken`, { field: 'username' });
    }
    const now = this.clock.now();
    const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
    return this.store.transaction(async (tx) => {
      const user = await tx.users.insert({
        tenantId: actor.tenantId,
        username,
        email: input.email ?? null,
        fullName: input.fullName ?? null,
        role: input.role ?? 'member',
        permissions: input.permissions ?? null,
        departmentId: input.departmentId ?? null,
        userTypeId: input.userTypeId ?? null,
        preferredLanguage: input.preferredLanguage ?? null,
        sso: input.sso ?? false,
        passwordHash,
        createdAt: now,
        updatedAt: now,
      });
      await this.audit.record(
        tx,
        actor,
        'user.create',
        { type: 'user', id: user.id },
        { username, role: user.role },
      );
      return userView(user);
    });
  }

  /**
   * Changes a user: only for a caller holding every right the user holds, and a new role or list of
   * permissions only within the caller's own rights.
   */
  async update(principal: Principal, id: number, patch: Partial<UserInput>): Promise<UserView> {
    requireAdmin(principal, 'users:write');
    const current = await this.find(principal.tenantId, id);
    // Acting on someone who holds more than you (even on their name) is theirs or a fuller admin's to do.
    const touched = SIGN_IN_FIELDS.find((field) => patch[field] !== undefined);
    this.requireOutranks(principal, current, touched ?? Object.keys(patch)[0] ?? 'id');
    const own = PROFILE_SIGN_IN_FIELDS.find((field) => patch[field] !== undefined);
    if (principal.userId === id && own !== undefined) {
      throw new TesseraError(
        'FORBIDDEN',
        `${own}: change your own password and email on your profile (PATCH /api/me), which asks for your current password.`,
        { field: own },
      );
    }
    if (patch.role !== undefined || patch.permissions !== undefined) {
      const rights = rightsOf({
        role: patch.role ?? current.role,
        permissions: patch.permissions === undefined ? current.permissions : patch.permissions,
      });
      requireHolds(
        principal,
        rights,
        patch.permissions === undefined ? 'role' : 'permissions',
        'give them to a user',
      );
    }
    return this.updateAs(principal, id, patch, {
      keepSessionId: principal.userId === id ? principal.tokenId : undefined,
    });
  }

  /**
   * Changes a user; a change of role or permissions reaches their tokens at once (the cache is dropped),
   * and a new password (or a switch to single sign-on) ends every console and mobile session of theirs
   * but `keepSessionId`.
   */
  async updateAs(
    actor: Actor,
    id: number,
    patch: Partial<UserInput>,
    options: { keepSessionId?: string } = {},
  ): Promise<UserView> {
    const current = await this.find(actor.tenantId, id);
    await this.checkFields(actor.tenantId, patch, current.username, current);
    const { password, username, ...rest } = patch;
    const changes: Partial<UserWithSecret> = { ...rest, updatedAt: this.clock.now() };
    if (username !== undefined) {
      changes.username = normalizeUsername(username);
      const other = await this.store.users.findByUsername(actor.tenantId, changes.username);
      if (other && other.id !== id)
        throw new TesseraError('USERNAME_TAKEN', `username: ${changes.username} is taken`, {
          field: 'username',
        });
    }
    if (password !== undefined) changes.passwordHash = await hashPassword(password);
    // A single-sign-on user signs in through their identity provider only: no password is kept.
    if (patch.sso === true) changes.passwordHash = null;
    const user = await this.store.transaction(async (tx) => {
      if (
        current.role === 'admin' &&
        patch.role === 'member' &&
        (await tx.users.countAdmins(actor.tenantId)) <= 1
      ) {
        throw new TesseraError(
          'LAST_ADMIN',
          'role: this is the last administrator; make another user admin first.',
          { field: 'role' },
        );
      }
      const updated = await tx.users.update(actor.tenantId, id, changes);
      if (!updated) throw new TesseraError('USER_NOT_FOUND', `No user ${id} in your tenant.`);
      const fields = Object.keys(patch).filter((k) => k !== 'password');
      const signInChanged = password !== undefined || (patch.sso === true && !current.sso);
      const ended = signInChanged ? await this.endSessionsIn(tx, actor, id, options.keepSessionId) : [];
      await this.audit.record(
        tx,
        actor,
        'user.update',
        { type: 'user', id },
        { fields, passwordChanged: password !== undefined, sessionsEnded: ended.length },
      );
      return { updated, ended };
    });
    this.verifier.forget(user.ended.map((r) => r.hash));
    if (patch.role !== undefined || patch.permissions !== undefined) this.verifier.forgetAll();
    return userView(user.updated);
  }

  /** Deletes a user and revokes every token they hold, in one transaction. */
  async delete(principal: Principal, id: number): Promise<void> {
    requireAdmin(principal, 'users:write');
    const user = await this.find(principal.tenantId, id);
    this.requireOutranks(principal, user, 'id');
    const revoked = await this.store.transaction(async (tx) => {
      if (user.role === 'admin' && (await tx.users.countAdmins(principal.tenantId)) <= 1) {
        throw new TesseraError(
          'LAST_ADMIN',
          'This is the last administrator; make another user admin first.',
        );
      }
      const rows = await tx.tokens.revokeAllOfUser(principal.tenantId, id, this.clock.now());
      await tx.users.delete(principal.tenantId, id);
      await this.audit.record(
        tx,
        principal,
        'user.delete',
        { type: 'user', id },
        { username: user.username, tokensRevoked: rows.length },
      );
      return rows;
    });
    this.verifier.forget(revoked.map((r) => r.hash));
  }

  /**
   * Ends every console and mobile session of a user ("sign out everywhere"): the user's own, keeping the
   * one in use, or any user's for an administrator holding users:write. Returns how many ended.
   */
  async signOutEverywhere(principal: Principal, id: number): Promise<number> {
    const own = id === principal.userId;
    // Your own sessions, as their listing, need tokens:manage; another user's, an administrator's users:write.
    if (own) requirePermission(principal, 'tokens:manage');
    else requireAdmin(principal, 'users:write');
    const user = await this.find(principal.tenantId, id);
    // Signing out a fuller administrator is theirs to decide, as is deleting them.
    if (!own) this.requireOutranks(principal, user, 'id');
    const ended = await this.store.transaction(async (tx) => {
      const rows = await this.endSessionsIn(tx, principal, id, own ? principal.tokenId : undefined);
      await this.audit.record(
        tx,
        principal,
        'user.sign_out_everywhere',
        { type: 'user', id },
        {
          sessionsEnded: rows.length,
        },
      );
      return rows;
    });
    this.verifier.forget(ended.map((r) => r.hash));
    return ended.length;
  }

  /**
   * Changing who can sign in as a user needs every right that user holds: otherwise a narrow admin could
   * reset a fuller admin's password and sign in as them.
   */
  private requireOutranks(principal: Principal, user: User, field: string): void {
    requireHolds(
      principal,
      rightsOf(user),
      field,
      `change, sign out or delete ${user.username}, who holds them`,
    );
  }

  private async endSessionsIn(
    tx: Store,
    actor: Actor,
    userId: number,
    keep: string | undefined,
  ): Promise<{ id: string; hash: string }[]> {
    const rows = await tx.tokens.revokeAllOfUser(actor.tenantId, userId, this.clock.now(), {
      kinds: ['ses'],
      exceptId: keep,
    });
    for (const row of rows)
      await this.audit.record(tx, actor, 'session.revoke', { type: 'session', id: row.id });
    return rows;
  }

  private async find(tenantId: string, id: number): Promise<UserWithSecret> {
    const user = await this.store.users.get(tenantId, id);
    if (!user) throw new TesseraError('USER_NOT_FOUND', `No user ${id} in your tenant.`);
    return user;
  }

  /** The rules shared by create and update: known permissions, real bindings, a strong enough password. */
  private async checkFields(
    tenantId: string,
    input: Partial<UserInput>,
    username: string,
    current?: Pick<User, 'email' | 'fullName' | 'sso'>,
  ): Promise<void> {
    if (input.username !== undefined) normalizeUsername(input.username);
    if (input.fullName) checkName('fullName', input.fullName);
    if (input.password !== undefined) {
      if (input.sso ?? current?.sso)
        throw invalid(
          'password',
          'single sign-on users sign in through their identity provider, not a password',
        );
      const minLength = (await this.settings.get(tenantId))['authentication.password_min_length'];
      checkPassword(input.password, {
        minLength,
        context: [
          username,
          input.username,
          input.email ?? current?.email,
          input.fullName ?? current?.fullName,
        ],
      });
    }
    if (input.permissions) {
      const explicit = input.permissions.filter((p) => p !== ALL);
      await this.catalog.assertKnown(tenantId, explicit, 'permissions');
    }
    for (const [kind, field] of [
      ['departments', 'departmentId'],
      ['user_types', 'userTypeId'],
    ] as const) {
      const id = input[field];
      if (id !== undefined && id !== null && !(await this.store.directory(kind).get(tenantId, id))) {
        throw invalid(field, `no ${DIRECTORY_NOUN[kind]} ${id} in this tenant`);
      }
    }
  }
}

/** Usernames compare without case; they are kept lower-case. */
export function normalizeUsername(raw: string): string {
  const username = raw.trim().toLowerCase();
  if (!USERNAME_PATTERN.test(username)) {
    throw invalid('username', 'use 1-100 letters, digits and . _ @ + - (an email address works)');
  }
  return username;
}
