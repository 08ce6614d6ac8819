import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { LRUCache } from 'lru-cache';
import type { AuditLog } from '../audit.ts';
import type { PermissionCatalog } from '../catalog.ts';
import type { Clock } from '../clock.ts';
import { invalid, TesseraError } from '../errors.ts';
import { FailureAudit } from '../failure-audit.ts';
import { growingCache } from '../growing-cache.ts';
import type { NewOAuthClient, OAuthClient } from '../model.ts';
import { ALL, PermissionSet, roleDefaultPermissions } from '../permissions.ts';
import { type Actor, type Principal, requireAdmin, requireHolds } from '../principal.ts';
import { tokenHash } from '../secrets.ts';
import type { Store } from '../store.ts';
import { cleanName } from '../text.ts';
import { type LoginThrottle, SIGN_IN_LIMITS } from '../throttle.ts';
import { generateToken, tokenHint } from '../token-format.ts';
import type { Verifier } from '../verifier.ts';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_CHARS = 22;

/**
 * A client id: `cli_` and 22 base62 characters, at least one of them upper case. Usernames are lower case,
 * so a client id can never be mistaken for a username on the token endpoint (seed 002's user credentials).
 */
export const CLIENT_ID_PATTERN = /^cli_(?=[0-9a-z]*[A-Z])[0-9A-Za-z]{22}$/;

/** Longest access-token lifespan a client may be given, in seconds (one year, as the setting's maximum). */
export const MAX_CLIENT_TOKEN_LIFESPAN = 365 * 24 * 3600;

function newClientId(): string {
  for (;;) {
    const bytes = randomBytes(32);
    // 248 = 4 × 62: bytes from 248 up are dropped, so every character is equally likely.
    const chars = [...bytes].filter((b) => b < 248).map((b) => ALPHABET[b % 62]);
    const id = `cli_${chars.join('').slice(0, ID_CHARS)}`;
    if (CLIENT_ID_PATTERN.test(id)) return id;
  }
}

/** A client as read for authentication: its keyed secret hash, and the digest of the secret last proven. */
interface AuthEntry {
  client: OAuthClient;
  secretHash: string;
  proven?: Buffer;
}

export interface CreateClientInput {
  name: string;
  permissions: string[];
  /** Seconds; omitted or null for the `authentication.token.access_token_lifespan` setting. */
  accessTokenLifespan?: number | null;
  /** The owner whose permissions bound the client's tokens; default: the caller. */
  userId?: number;
}

/** A client with its secret, as answered once at creation and on each secret rotation. */
export interface ClientWithSecret {
  client: OAuthClient;
  secret: string;
}

/**
 * Registered OAuth clients (machine to machine): an admin registers one with the scopes it may ask for;
 * its secret is shown once and kept as a keyed hash. Deleting a client revokes every token issued to it.
 */
export class ClientService {
  /** A keyed hash no secret has, compared against when the client id is unknown, so timing tells nothing. */
  private readonly dummyHash: string;
  /**
   * Clients as read for authentication (with their secret's keyed hash), kept for `cacheTtlMs`: resource
   * servers introspect on every request they serve. A local secret rotation or deletion drops the entry;
   * one made on another node is seen within the TTL, the bound every cache here has.
   */
  private readonly forAuth: LRUCache<string, AuthEntry>;
  private readonly caching: boolean;
  /** Bumped by every local change, so a read that raced it is not cached. */
  private generation = 0;

  private readonly failures: FailureAudit;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly pepper: Buffer,
    private readonly catalog: PermissionCatalog,
    private readonly verifier: Verifier,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditLog,
    cacheTtlMs = 0,
  ) {
    this.dummyHash = tokenHash(pepper, generateToken('cs'));
    this.failures = new FailureAudit(store, clock, SIGN_IN_LIMITS.windowMs);
    // lru-cache reads a ttl of 0 as "never expires"; 0 here means "do not cache".
    this.forAuth = growingCache(10_000, { ttl: Math.max(cacheTtlMs, 1) });
    this.caching = cacheTtlMs > 0;
  }

  /** Registers a client; its permissions must be in the catalog and held by its owner and by the caller. */
  async create(principal: Principal, input: CreateClientInput): Promise<ClientWithSecret> {
    requireAdmin(principal, 'clients:manage');
    const name = cleanName(input.name);
    const permissions = [...new Set(input.permissions)];
    if (permissions.length === 0) throw invalid('permissions', 'choose at least one permission');
    if (permissions.includes(ALL)) throw invalid('permissions', 'list the permissions one by one, not *');
    const lifespan = input.accessTokenLifespan ?? null;
    if (
      lifespan !== null &&
      (!Number.isInteger(lifespan) || lifespan < 1 || lifespan > MAX_CLIENT_TOKEN_LIFESPAN)
    )
      throw invalid(
        'accessTokenLifespan',
        `must be a whole number of seconds, 1 to ${MAX_CLIENT_TOKEN_LIFESPAN}`,
      );
    const userId = input.userId ?? principal.userId;
    const owner = await this.store.users.get(principal.tenantId, userId);
    if (!owner) throw invalid('userId', `no user ${userId} in this tenant`);
    await this.catalog.assertKnown(principal.tenantId, permissions, 'permissions');
    const ownerMissing = new PermissionSet(owner.permissions ?? roleDefaultPermissions(owner.role)).missing(
      permissions,
    );
    if (ownerMissing.length > 0) {
      throw new TesseraError(
        'PERMISSION_NOT_HELD',
        `permissions: user ${owner.username} does not hold ${ownerMissing.join(', ')}`,
        { field: 'permissions' },
      );
    }
    const callerMissing = principal.permissions.missing(permissions);
    if (callerMissing.length > 0) {
      throw new TesseraError(
        'PERMISSION_NOT_HELD',
        `permissions: you do not hold ${callerMissing.join(', ')}`,
        {
          field: 'permissions',
        },
      );
    }
    const secret = generateToken('cs');
    const row: NewOAuthClient = {
      id: newClientId(),
      tenantId: principal.tenantId,
      name,
      secretHash: tokenHash(this.pepper, secret),
      secretHint: tokenHint(secret),
      permissions,
      userId,
      accessTokenLifespan: lifespan,
      createdBy: principal.userId,
      createdAt: this.clock.now(),
      secretRotatedAt: null,
    };
    await this.store.transaction(async (tx) => {
      await tx.clients.insert(row);
      await this.audit.record(
        tx,
        principal,
        'client.create',
        { type: 'client', id: row.id },
        {
          name,
          permissions,
          userId,
        },
      );
    });
    const { secretHash: _, ...client } = row;
    return { client, secret };
  }

  /** Every client of the caller's tenant, newest first. */
  async list(principal: Principal): Promise<OAuthClient[]> {
    requireAdmin(principal, 'clients:manage');
    return this.store.clients.list(principal.tenantId);
  }

  /** One client of the caller's tenant, or CLIENT_NOT_FOUND. */
  async get(principal: Principal, id: string): Promise<OAuthClient> {
    requireAdmin(principal, 'clients:manage');
    const client = await this.store.clients.get(principal.tenantId, id);
    if (!client) throw new TesseraError('CLIENT_NOT_FOUND', `No OAuth client ${id} in your tenant.`);
    return client;
  }

  /** Deletes a client and revokes every token issued to it, in one transaction. */
  async delete(principal: Principal, id: string): Promise<void> {
    requireAdmin(principal, 'clients:manage');
    this.forget(id);
    const revoked = await this.store.transaction(async (tx) => {
      if (!(await tx.clients.delete(principal.tenantId, id)))
        throw new TesseraError('CLIENT_NOT_FOUND', `No OAuth client ${id} in your tenant.`);
      const rows = await tx.tokens.revokeWhere(principal.tenantId, 'clientId', [id], this.clock.now());
      await this.audit.record(
        tx,
        principal,
        'client.delete',
        { type: 'client', id },
        {
          tokensRevoked: rows.length,
        },
      );
      return rows;
    });
    this.forget(id);
    this.verifier.forget(revoked.map((r) => r.hash));
  }

  /** Replaces a client's secret (the old one stops working at once); the new one is returned once. */
  async rotateSecret(principal: Principal, id: string): Promise<ClientWithSecret> {
    requireAdmin(principal, 'clients:manage');
    const current = await this.store.clients.get(principal.tenantId, id);
    if (!current) throw new TesseraError('CLIENT_NOT_FOUND', `No OAuth client ${id} in your tenant.`);
    // The new secret speaks for the client: only someone holding all it carries may have it.
    requireHolds(principal, current.permissions, 'id', 'take the secret of a client that carries them');
    const secret = generateToken('cs');
    this.forget(id);
    const client = await this.store.transaction(async (tx) => {
      const updated = await tx.clients.setSecret(
        principal.tenantId,
        id,
        tokenHash(this.pepper, secret),
        tokenHint(secret),
        this.clock.now(),
      );
      if (!updated) throw new TesseraError('CLIENT_NOT_FOUND', `No OAuth client ${id} in your tenant.`);
      await this.audit.record(tx, principal, 'client.rotate_secret', { type: 'client', id });
      return updated;
    });
    this.forget(id);
    return { client, secret };
  }

  /**
   * Checks a client id and secret: keyed hashes compared in constant time, throttled per client id and IP
   * like sign-in. Unknown client or wrong secret is INVALID_CLIENT; too many failures TOO_MANY_ATTEMPTS.
   */
  async authenticate(clientId: string, secret: string, ip: string | null): Promise<OAuthClient> {
    const key = `client\n${clientId}\n${ip ?? ''}`;
    const wait = this.throttle.retryAfter(key);
    if (wait > 0) {
      throw new TesseraError('TOO_MANY_ATTEMPTS', `Too many failed attempts; try again in ${wait} seconds.`, {
        retryAfterSeconds: wait,
      });
    }
    // Counted as a failure before anything is awaited, and taken back when right: concurrent guesses
    // cannot all pass the check above together.
    this.throttle.fail(key);
    let found: AuthEntry | undefined;
    try {
      found = CLIENT_ID_PATTERN.test(clientId) ? await this.findForAuth(clientId) : undefined;
    } catch (error) {
      // Nothing was checked (the database could not be read): no failure to count.
      this.throttle.forgive(key);
      throw error;
    }
    if (!found || !this.secretMatches(found, secret)) {
      if (found) {
        const actor: Actor = { tenantId: found.client.tenantId, userId: null, tokenId: null, ip };
        const target = { type: 'client', id: clientId };
        await this.failures.failed(actor, 'client.auth_failed', target, { clientId }, 'wrong_secret');
      }
      throw new TesseraError('INVALID_CLIENT', 'Client authentication failed.');
    }
    this.throttle.succeed(key);
    this.failures.succeeded(found.client.tenantId, 'client.auth_failed', { clientId }, ip);
    return found.client;
  }

  /** Compares keyed hashes in constant time (against a dummy for an unknown client, so timing tells nothing). */
  private secretMatches(found: AuthEntry | undefined, secret: string): boolean {
    // A secret this node already proved against the keyed hash is known again by its SHA-256, several times
    // cheaper than the HMAC; that digest of a random 256-bit secret lives only in this cache entry.
    const digest = hash('sha256', secret, 'buffer');
    if (found?.proven && timingSafeEqual(digest, found.proven)) return true;
    const presented = Buffer.from(tokenHash(this.pepper, secret));
    const expected = Buffer.from(found?.secretHash ?? this.dummyHash);
    const matches = presented.length === expected.length && timingSafeEqual(presented, expected);
    if (matches && found) found.proven = digest;
    return matches;
  }

  /** A client with its secret's keyed hash, from the cache or the store. */
  private async findForAuth(clientId: string): Promise<AuthEntry | undefined> {
    const cached = this.forAuth.get(clientId);
    if (cached) return cached;
    const generation = this.generation;
    const row = await this.store.clients.findForAuth(clientId);
    if (!row) return undefined;
    const { secretHash, ...client } = row;
    const found: AuthEntry = { client, secretHash };
    if (this.caching && generation === this.generation) this.forAuth.set(clientId, found);
    return found;
  }

  /** Drops a client from the authentication cache, before and after a change to it. */
  private forget(clientId: string): void {
    this.generation++;
    this.forAuth.delete(clientId);
  }
}
