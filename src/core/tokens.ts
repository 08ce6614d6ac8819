import type { AuditLog } from './audit.ts';
import type { PermissionCatalog } from './catalog.ts';
import { type Clock, DAY } from './clock.ts';
import { invalid, TesseraError } from './errors.ts';
import { type ExpiryInput, resolveExpiry } from './expiry.ts';
import { timeOrderedId } from './ids.ts';
import {
  type NewToken,
  type Page,
  type TokenQuery,
  type TokenRecord,
  type TokenStatus,
  tokenStatus,
} from './model.ts';
import { effectivePermissions, rightsOf } from './permissions.ts';
import { isAdmin, type Principal, requireAdmin, requireHolds, requirePermission } from './principal.ts';
import { requireShareLinkRight } from './report-access.ts';
import { type TokenCipher, tokenHash } from './secrets.ts';
import type { SettingsService } from './settings-service.ts';
import type { Store } from './store.ts';
import { checkText, cleanName } from './text.ts';
import { generateToken, type TokenKind, tokenHint } from './token-format.ts';
import { TokenRules, type TokenSpec } from './token-rules.ts';
import type { UsageRecorder } from './usage.ts';
import { describeUse } from './usage-example.ts';
import type { Verifier } from './verifier.ts';

export interface CreateTokenInput {
  name: string;
  description?: string | null;
  expiresInDays?: number;
  expiresAt?: string;
  permissions: string[];
  userId?: number;
  departmentId?: number | null;
  userTypeId?: number | null;
  resources?: string[];
  retrievable?: boolean;
}

export interface TokenView extends TokenRecord {
  status: TokenStatus;
}

export interface IssuedToken {
  token: string;
  record: TokenView;
}

/** A token string made elsewhere (a signed JWT access token), with the row id it names and its hint. */
export interface PresetToken {
  id: string;
  token: string;
  hint: string;
}

export interface TokenDetails extends TokenView {
  user: { id: number; username: string; fullName: string | null; email: string | null } | null;
  department: { id: number; name: string } | null;
  userType: { id: number; name: string } | null;
  usage: { text: string; examples: string[] };
}

/** Which tokens a listing covers: every token a caller may see, or only their personal ones. */
export type TokenScope = 'managed' | 'personal';

const ROTATABLE: readonly TokenKind[] = ['api', 'pat', 'shr'];

/**
 * API tokens and personal tokens: issue, list, inspect, rename, revoke (one or many), rotate, reveal.
 * Every rule lives here; the HTTP layer only parses and formats.
 */
export class TokenService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly pepper: Buffer,
    private readonly cipher: TokenCipher,
    catalog: PermissionCatalog,
    private readonly settings: SettingsService,
    private readonly verifier: Verifier,
    private readonly usage: UsageRecorder,
    private readonly audit: AuditLog,
  ) {
    this.rules = new TokenRules(store, catalog);
  }

  private readonly rules: TokenRules;

  /** Issues an admin API token (`api`) or a personal token (`pat`, always for the caller). */
  async create(principal: Principal, input: CreateTokenInput, kind: 'api' | 'pat'): Promise<IssuedToken> {
    requirePermission(principal, 'tokens:manage');
    const userId = kind === 'pat' ? principal.userId : (input.userId ?? principal.userId);
    if (userId !== principal.userId && !isAdmin(principal, 'tokens:manage')) {
      throw new TesseraError('FORBIDDEN', 'userId: only administrators may create tokens for another user.', {
        field: 'userId',
      });
    }
    if (input.retrievable && !isAdmin(principal, 'tokens:manage')) {
      throw new TesseraError('FORBIDDEN', 'retrievable: only administrators may create retrievable tokens.', {
        field: 'retrievable',
      });
    }
    const user = await this.store.users.get(principal.tenantId, userId);
    if (!user) throw invalid('userId', `no user ${userId} in this tenant`);
    // A token for someone else acts as them (their role, their sessions): only for a caller holding all they hold.
    if (userId !== principal.userId)
      requireHolds(principal, rightsOf(user), 'userId', `act as ${user.username}, who holds them`);
    if (!isAdmin(principal, 'tokens:manage')) {
      // A binding other than the user's own (or none) would pass checks the user's own sessions fail.
      for (const [field, own, asked] of [
        ['departmentId', user.departmentId, input.departmentId],
        ['userTypeId', user.userTypeId, input.userTypeId],
      ] as const) {
        if (asked !== undefined && own !== null && asked !== own) {
          throw new TesseraError('FORBIDDEN', `${field}: only administrators may bind a token elsewhere.`, {
            field,
          });
        }
      }
    }
    const now = this.clock.now();
    const expiresAt = await this.expiryFor(principal, input, now);
    // Unless asked otherwise, a token made with a bound token is bound as it is.
    const bound = await this.rules.callerBindings(principal);
    const spec = await this.rules.check(principal, user, {
      kind,
      name: input.name,
      description: input.description ?? null,
      permissions: input.permissions,
      resources: input.resources ?? [...(bound?.resources ?? [])],
      userId,
      departmentId:
        input.departmentId === undefined ? (bound?.departmentId ?? user.departmentId) : input.departmentId,
      userTypeId: input.userTypeId === undefined ? (bound?.userTypeId ?? user.userTypeId) : input.userTypeId,
      expiresAt,
      retrievable: input.retrievable ?? false,
      parentId: null,
    });
    return this.store.transaction(async (tx) => {
      const issued = await this.insert(tx, principal.tenantId, principal.userId, spec, now);
      await this.audit.record(
        tx,
        principal,
        'token.create',
        { type: 'token', id: issued.record.id },
        {
          kind,
          name: spec.name,
          userId,
          permissions: spec.permissions,
        },
      );
      return issued;
    });
  }

  /**
   * When a new API, personal or share token expires: the asked days or date, else the tenant's default
   * lifespan, never beyond its maximum (`authentication.token.api_token_*_lifespan`), and never beyond the
   * token asking for it (see {@link creatorExpiry}): by default it ends with that token, and a longer
   * asked expiry is refused.
   */
  async expiryFor(principal: Principal, input: ExpiryInput, now: number): Promise<number> {
    const settings = await this.settings.get(principal.tenantId);
    const expiresAt = resolveExpiry(input, now, {
      defaultDays: settings['authentication.token.api_token_default_lifespan'],
      maxDays: settings['authentication.token.api_token_max_lifespan'],
    });
    const limit = creatorExpiry(principal);
    if (limit === undefined || expiresAt <= limit) return expiresAt;
    if (input.expiresAt === undefined && input.expiresInDays === undefined) return limit;
    const field = input.expiresAt === undefined ? 'expiresInDays' : 'expiresAt';
    throw new TesseraError(
      'EXPIRY_TOO_FAR',
      `${field}: a token made with another token cannot outlive it; yours expires at ${new Date(limit).toISOString()}`,
      { field },
    );
  }

  /**
   * Issues a token without the creation rules, for sessions and other kinds whose rules live elsewhere.
   * Runs inside the caller's transaction. With `preset`, stores that string (keyed hash only) instead of a
   * new random token.
   */
  issue(
    store: Store,
    tenantId: string,
    createdBy: number | null,
    spec: TokenSpec,
    preset?: PresetToken,
  ): Promise<IssuedToken> {
    return this.insert(store, tenantId, createdBy, spec, undefined, preset);
  }

  async list(
    principal: Principal,
    query: Omit<TokenQuery, 'now'>,
    scope: TokenScope,
  ): Promise<Page<TokenView>> {
    requirePermission(principal, 'tokens:manage');
    const now = this.clock.now();
    const q: TokenQuery = { ...query, now };
    if (scope === 'personal') {
      q.userId = principal.userId;
      q.kinds = ['pat'];
    } else {
      if (!isAdmin(principal, 'tokens:manage')) {
        // A member asking for another user's tokens gets none, not their own under that filter.
        if (q.userId !== undefined && q.userId !== principal.userId) return { items: [], nextCursor: null };
        q.userId = principal.userId;
      }
      // Sign-in sessions have their own listing; they show here only when asked for by kind.
      q.kinds ??= ['api', 'pat', 'shr', 'rt', 'at'];
    }
    const page = await this.store.tokens.list(principal.tenantId, q);
    return { items: page.items.map((t) => this.view(t, now)), nextCursor: page.nextCursor };
  }

  /** Seed 004's inspect view: the token, its user, department and user type, usage, and how to use it. */
  async inspect(principal: Principal, id: string, baseUrl: string): Promise<TokenDetails> {
    const token = await this.visible(principal, id);
    const [user, department, userType] = await Promise.all([
      this.store.users.get(principal.tenantId, token.userId),
      token.departmentId === null
        ? undefined
        : this.store.directory('departments').get(principal.tenantId, token.departmentId),
      token.userTypeId === null
        ? undefined
        : this.store.directory('user_types').get(principal.tenantId, token.userTypeId),
    ]);
    const pending = this.usage.peek(token.id);
    if (pending) {
      token.useCount += pending.count;
      if (token.lastUsedAt === null || pending.lastUsedAt >= token.lastUsedAt) {
        token.lastUsedAt = pending.lastUsedAt;
        token.lastUsedIp = pending.lastUsedIp;
      }
    }
    return {
      ...this.view(token, this.clock.now()),
      user: user
        ? { id: user.id, username: user.username, fullName: user.fullName, email: user.email }
        : null,
      department: department ? { id: department.id, name: department.name } : null,
      userType: userType ? { id: userType.id, name: userType.name } : null,
      usage: describeUse(token, baseUrl),
    };
  }

  async update(
    principal: Principal,
    id: string,
    patch: { name?: string; description?: string | null },
  ): Promise<TokenView> {
    await this.visible(principal, id);
    if (patch.description) checkText('description', patch.description);
    const clean = { ...patch, ...(patch.name === undefined ? {} : { name: cleanName(patch.name) }) };
    return this.store.transaction(async (tx) => {
      const updated = await tx.tokens.update(principal.tenantId, id, clean);
      if (!updated) throw new TesseraError('TOKEN_NOT_FOUND', `No token ${id}.`);
      await this.audit.record(tx, principal, 'token.update', { type: 'token', id }, clean);
      return this.view(updated, this.clock.now());
    });
  }

  /** Revokes one token the caller may see; revoking a revoked token is a no-op. */
  async revoke(principal: Principal, id: string, scope: TokenScope): Promise<void> {
    const token = await this.visible(principal, id);
    if (scope === 'personal' && (token.kind !== 'pat' || token.userId !== principal.userId)) {
      throw new TesseraError('TOKEN_NOT_FOUND', `No personal token ${id}.`);
    }
    await this.revokeMany(principal, [id]);
  }

  /** Revokes many tokens in one conditional UPDATE; returns how many were active and are now revoked. */
  async revokeMany(principal: Principal, ids: string[]): Promise<number> {
    requirePermission(principal, 'tokens:manage');
    const unique = [...new Set(ids)];
    const onlyUser = isAdmin(principal, 'tokens:manage') ? undefined : principal.userId;
    const revoked = await this.store.transaction(async (tx) => {
      const rows = await tx.tokens.revoke(principal.tenantId, unique, this.clock.now(), onlyUser);
      for (const row of rows)
        await this.audit.record(tx, principal, 'token.revoke', { type: 'token', id: row.id });
      return rows;
    });
    this.verifier.forget(revoked.map((r) => r.hash));
    return revoked.length;
  }

  /** Revokes a credential the caller is holding (sign-out). */
  async revokeOwn(principal: Principal): Promise<void> {
    const rows = await this.store.transaction(async (tx) => {
      const revoked = await tx.tokens.revoke(principal.tenantId, [principal.tokenId], this.clock.now());
      await this.audit.record(tx, principal, 'auth.logout', { type: 'token', id: principal.tokenId });
      return revoked;
    });
    this.verifier.forget(rows.map((r) => r.hash));
  }

  /**
   * A new token with the same settings and lifetime length; the old one is revoked at once, or after
   * `graceSeconds` so that deployments can switch over. Both happen in one transaction, and only if the
   * old token was still active, so two concurrent rotations cannot both succeed.
   */
  async rotate(principal: Principal, id: string, graceSeconds = 0): Promise<IssuedToken> {
    const old = await this.visible(principal, id);
    if (!ROTATABLE.includes(old.kind)) {
      throw new TesseraError(
        'TOKEN_NOT_ROTATABLE',
        `A ${old.kind} token cannot be rotated; sign in again or use its own flow.`,
      );
    }
    const now = this.clock.now();
    if (tokenStatus(old, now) !== 'active')
      throw new TesseraError('TOKEN_NOT_ACTIVE', `Token ${id} is ${tokenStatus(old, now)}.`);
    if (old.revokedAt !== null)
      throw new TesseraError('TOKEN_NOT_ACTIVE', `Token ${id} was already rotated; its grace period runs.`);
    // A new share link is a new bearer secret for its report: the rule that makes one applies.
    if (old.kind === 'shr') requireShareLinkRight(principal, { id: old.reportId ?? '' });
    const user = await this.store.users.get(principal.tenantId, old.userId);
    if (!user) throw new TesseraError('TOKEN_NOT_ACTIVE', `The user of token ${id} no longer exists.`);
    const settings = await this.settings.get(principal.tenantId);
    const maxAt = now + settings['authentication.token.api_token_max_lifespan'] * DAY;
    const spec = await this.rules.check(principal, user, {
      kind: old.kind,
      name: old.name,
      description: old.description,
      permissions: old.permissions,
      resources: old.resources,
      userId: old.userId,
      departmentId: old.departmentId,
      userTypeId: old.userTypeId,
      retrievable: old.retrievable,
      expiresAt: Math.min(now + (old.expiresAt - old.createdAt), maxAt, creatorExpiry(principal) ?? maxAt),
      parentId: old.id,
      reportId: old.reportId,
    });
    const { issued, hashes } = await this.store.transaction(async (tx) => {
      // Only a token with no revocation scheduled can be rotated: of two racing rotations, one wins.
      const revoked = await tx.tokens.scheduleRevocation(
        principal.tenantId,
        old.id,
        now + graceSeconds * 1000,
      );
      if (revoked.length === 0)
        throw new TesseraError('TOKEN_NOT_ACTIVE', `Token ${id} was revoked or rotated meanwhile.`);
      const fresh = await this.insert(tx, principal.tenantId, principal.userId, spec, now);
      await this.audit.record(
        tx,
        principal,
        'token.rotate',
        { type: 'token', id: old.id },
        { newTokenId: fresh.record.id, graceSeconds },
      );
      return { issued: fresh, hashes: revoked.map((r) => r.hash) };
    });
    // The cached entry still has no revocation time; drop it so the scheduled one is seen.
    this.verifier.forget(hashes);
    return issued;
  }

  /** Shows a retrievable token's string again: admins only, and every reveal is audited. */
  async reveal(principal: Principal, id: string): Promise<string> {
    requireAdmin(principal, 'tokens:manage');
    // A token shown to another token would outlive it and escape its bindings: people reveal, signed in.
    if (principal.kind !== 'ses')
      throw new TesseraError(
        'FORBIDDEN',
        'id: tokens are shown again only in a signed-in session, not to another token.',
        {
          field: 'id',
        },
      );
    const record = await this.store.tokens.get(principal.tenantId, id);
    if (!record) throw new TesseraError('TOKEN_NOT_FOUND', `No token ${id}.`);
    // Whoever sees a token string can act with it: only someone holding all it carries may see it, and a
    // report's share link only someone who manages reports.
    const owner = await this.store.users.get(principal.tenantId, record.userId);
    const carried = owner ? effectivePermissions(record.permissions, rightsOf(owner)) : [];
    if (record.kind === 'shr') carried.push('reports:manage');
    requireHolds(principal, carried, 'id', 'see a token that carries them');
    const sealed = await this.store.tokens.ciphertext(principal.tenantId, id);
    if (sealed === undefined) throw new TesseraError('TOKEN_NOT_FOUND', `No token ${id}.`);
    if (sealed === null)
      throw new TesseraError(
        'TOKEN_NOT_RETRIEVABLE',
        `Token ${id} was not created retrievable; it cannot be shown again.`,
      );
    const token = this.cipher.decrypt(sealed);
    await this.audit.record(this.store, principal, 'token.reveal', { type: 'token', id });
    return token;
  }

  /** The token if the caller may see it: admins see the tenant's, everyone else their own. Otherwise 404. */
  private async visible(principal: Principal, id: string): Promise<TokenRecord> {
    requirePermission(principal, 'tokens:manage');
    const token = await this.store.tokens.get(principal.tenantId, id);
    if (!token || (token.userId !== principal.userId && !isAdmin(principal, 'tokens:manage'))) {
      throw new TesseraError('TOKEN_NOT_FOUND', `No token ${id} in your tenant.`);
    }
    return token;
  }

  private async insert(
    store: Store,
    tenantId: string,
    createdBy: number | null,
    spec: TokenSpec,
    now = this.clock.now(),
    preset?: PresetToken,
  ): Promise<IssuedToken> {
    const token = preset?.token ?? generateToken(spec.kind);
    const { retrievable, ...fields } = spec;
    const row: NewToken = {
      ...fields,
      id: preset?.id ?? timeOrderedId(now),
      tenantId,
      createdBy,
      hint: preset?.hint ?? tokenHint(token),
      hash: tokenHash(this.pepper, token),
      ciphertext: retrievable ? this.cipher.encrypt(token) : null,
      clientId: spec.clientId ?? null,
      sourceId: spec.sourceId ?? null,
      familyId: spec.familyId ?? null,
      reportId: spec.reportId ?? null,
      sessionType: spec.sessionType ?? null,
      deviceName: spec.deviceName ?? null,
      createdAt: now,
      revokedAt: null,
    };
    await store.tokens.insert(row);
    const { hash: _hash, ciphertext: _ciphertext, ...rest } = row;
    const record: TokenRecord = { ...rest, lastUsedAt: null, lastUsedIp: null, useCount: 0, retrievable };
    return { token, record: this.view(record, row.createdAt) };
  }

  private view(token: TokenRecord, now: number): TokenView {
    return { ...token, status: tokenStatus(token, now) };
  }
}

/**
 * How long a token made or rotated by this principal may live at most: no limit from a sign-in session (a
 * person signed in with their password), otherwise the calling token's own expiry, so that a short-lived
 * access token cannot mint a year-long token and a token cannot rotate itself forever.
 */
function creatorExpiry(principal: Principal): number | undefined {
  return principal.kind === 'ses' ? undefined : principal.expiresAt;
}
