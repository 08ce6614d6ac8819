import type { AuditLog } from './audit.ts';
import type { PermissionCatalog } from './catalog.ts';
import type { Clock } from './clock.ts';
import { invalid, TesseraError } from './errors.ts';
import type { DirectoryEntry, DirectoryKind, Page, User, UserQuery, UserWithSecret } from './model.ts';
import { ALL, type Role, roleDefaultPermissions } from './permissions.ts';
import { type Actor, type Principal, requireAdmin } from './principal.ts';
import { hashPassword, verifyPassword } from './secrets.ts';
import type { Store } from './store.ts';
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
const MIN_PASSWORD = 8;
const DIRECTORY_NOUN: Record<DirectoryKind, string> = { departments: 'department', user_types: 'user type' };
const DIRECTORY_NOT_FOUND = {
  departments: 'DEPARTMENT_NOT_FOUND',
  user_types: 'USER_TYPE_NOT_FOUND',
} as const;

export function userView(user: User): UserView {
  return { ...user, effectivePermissions: user.permissions ?? roleDefaultPermissions(user.role) };
}

/** Users, departments and user types (seed 004), and each user's own profile. */
export class UserService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly catalog: PermissionCatalog,
    private readonly verifier: Verifier,
    private readonly audit: AuditLog,
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

  async create(principal: Principal, input: UserInput): Promise<UserView> {
    requireAdmin(principal, 'users:write');
    return this.createAs(principal, input);
  }

  /** Creates a user on behalf of an actor (an admin, or the command line). */
  async createAs(actor: Actor, input: UserInput): Promise<UserView> {
    const username = normalizeUsername(input.username);
    await this.checkFields(actor.tenantId, input);
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

  async update(principal: Principal, id: number, patch: Partial<UserInput>): Promise<UserView> {
    requireAdmin(principal, 'users:write');
    return this.updateAs(principal, id, patch);
  }

  /** Changes a user; a change of role or permissions reaches their tokens at once (the cache is dropped). */
  async updateAs(actor: Actor, id: number, patch: Partial<UserInput>): Promise<UserView> {
    const current = await this.find(actor.tenantId, id);
    await this.checkFields(actor.tenantId, patch);
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
      await this.audit.record(
        tx,
        actor,
        'user.update',
        { type: 'user', id },
        { fields, passwordChanged: password !== undefined },
      );
      return updated;
    });
    if (patch.role !== undefined || patch.permissions !== undefined) this.verifier.forgetAll();
    return userView(user);
  }

  /** Deletes a user and revokes every token they hold, in one transaction. */
  async delete(principal: Principal, id: number): Promise<void> {
    requireAdmin(principal, 'users:write');
    const user = await this.find(principal.tenantId, id);
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

  async me(principal: Principal): Promise<UserView> {
    return userView(await this.find(principal.tenantId, principal.userId));
  }

  /** A user changes their own profile; a new password needs the current one. */
  async updateMe(
    principal: Principal,
    patch: {
      fullName?: string | null;
      email?: string | null;
      preferredLanguage?: string | null;
      password?: string;
      currentPassword?: string;
    },
  ): Promise<UserView> {
    const { currentPassword, ...changes } = patch;
    if (changes.password !== undefined) {
      const me = await this.find(principal.tenantId, principal.userId);
      if (currentPassword === undefined) throw invalid('currentPassword', 'needed to set a new password');
      if (!(await verifyPassword(me.passwordHash, currentPassword))) {
        throw new TesseraError('FORBIDDEN', 'currentPassword: is not your current password', {
          field: 'currentPassword',
        });
      }
    }
    return this.updateAs(principal, principal.userId, changes);
  }

  // Departments and user types

  async listEntries(principal: Principal, kind: DirectoryKind): Promise<DirectoryEntry[]> {
    requireAdmin(principal, 'users:read');
    return this.store.directory(kind).list(principal.tenantId);
  }

  async getEntry(principal: Principal, kind: DirectoryKind, id: number): Promise<DirectoryEntry> {
    requireAdmin(principal, 'users:read');
    return this.findEntry(principal.tenantId, kind, id);
  }

  async createEntry(
    principal: Principal,
    kind: DirectoryKind,
    input: { name: string; description?: string | null },
  ): Promise<DirectoryEntry> {
    requireAdmin(principal, 'users:write');
    const name = input.name.trim();
    if (name === '') throw invalid('name', 'must not be empty');
    await this.assertNameFree(principal.tenantId, kind, name, null);
    return this.store.transaction(async (tx) => {
      const entry = await tx.directory(kind).insert({
        tenantId: principal.tenantId,
        name,
        description: input.description ?? null,
        createdAt: this.clock.now(),
      });
      await this.audit.record(
        tx,
        principal,
        `${DIRECTORY_NOUN[kind].replace(' ', '_')}.create`,
        { type: kind, id: entry.id },
        { name },
      );
      return entry;
    });
  }

  async updateEntry(
    principal: Principal,
    kind: DirectoryKind,
    id: number,
    patch: { name?: string; description?: string | null },
  ): Promise<DirectoryEntry> {
    requireAdmin(principal, 'users:write');
    await this.findEntry(principal.tenantId, kind, id);
    const changes = { ...patch, ...(patch.name === undefined ? {} : { name: patch.name.trim() }) };
    if (changes.name !== undefined) {
      if (changes.name === '') throw invalid('name', 'must not be empty');
      await this.assertNameFree(principal.tenantId, kind, changes.name, id);
    }
    return this.store.transaction(async (tx) => {
      const entry = await tx.directory(kind).update(principal.tenantId, id, changes);
      if (!entry) throw new TesseraError(DIRECTORY_NOT_FOUND[kind], `No ${DIRECTORY_NOUN[kind]} ${id}.`);
      await this.audit.record(
        tx,
        principal,
        `${DIRECTORY_NOUN[kind].replace(' ', '_')}.update`,
        { type: kind, id },
        changes,
      );
      return entry;
    });
  }

  async deleteEntry(principal: Principal, kind: DirectoryKind, id: number): Promise<void> {
    requireAdmin(principal, 'users:write');
    await this.findEntry(principal.tenantId, kind, id);
    await this.store.transaction(async (tx) => {
      if (await tx.directory(kind).inUse(principal.tenantId, id, this.clock.now())) {
        throw new TesseraError(
          'IN_USE',
          `This ${DIRECTORY_NOUN[kind]} is still assigned to users or active tokens.`,
        );
      }
      await tx.directory(kind).delete(principal.tenantId, id);
      await this.audit.record(tx, principal, `${DIRECTORY_NOUN[kind].replace(' ', '_')}.delete`, {
        type: kind,
        id,
      });
    });
  }

  private async find(tenantId: string, id: number): Promise<UserWithSecret> {
    const user = await this.store.users.get(tenantId, id);
    if (!user) throw new TesseraError('USER_NOT_FOUND', `No user ${id} in your tenant.`);
    return user;
  }

  private async findEntry(tenantId: string, kind: DirectoryKind, id: number): Promise<DirectoryEntry> {
    const entry = await this.store.directory(kind).get(tenantId, id);
    if (!entry)
      throw new TesseraError(DIRECTORY_NOT_FOUND[kind], `No ${DIRECTORY_NOUN[kind]} ${id} in your tenant.`);
    return entry;
  }

  private async assertNameFree(
    tenantId: string,
    kind: DirectoryKind,
    name: string,
    self: number | null,
  ): Promise<void> {
    const clash = (await this.store.directory(kind).list(tenantId)).find(
      (e) => e.name === name && e.id !== self,
    );
    if (clash)
      throw new TesseraError('NAME_TAKEN', `name: a ${DIRECTORY_NOUN[kind]} named ${name} exists`, {
        field: 'name',
      });
  }

  /** The rules shared by create and update: known permissions, real bindings, a long enough password. */
  private async checkFields(tenantId: string, input: Partial<UserInput>): Promise<void> {
    if (input.username !== undefined) normalizeUsername(input.username);
    if (input.password !== undefined && input.password.length < MIN_PASSWORD) {
      throw invalid('password', `must be at least ${MIN_PASSWORD} characters`);
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
