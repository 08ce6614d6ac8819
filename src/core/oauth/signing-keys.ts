import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { AuditLog } from '../audit.ts';
import { DEFAULT_TENANT } from '../auth.ts';
import { type Clock, HOUR, SECOND } from '../clock.ts';
import { TesseraError } from '../errors.ts';
import type { SigningKey } from '../model.ts';
import { type Actor, type Principal, requireAdmin } from '../principal.ts';
import type { TokenCipher } from '../secrets.ts';
import { resolveSettings } from '../settings.ts';
import type { Store } from '../store.ts';

/** The one algorithm JWT access tokens are signed with: ECDSA P-256 with SHA-256. */
export const SIGNING_ALG = 'ES256';

/** A signing key as the admin API and the CLI show it: never key material. */
export interface SigningKeyInfo {
  kid: string;
  alg: string;
  status: 'active' | 'retired';
  createdAt: number;
  retiredAt: number | null;
  /** When a retired key leaves the JWKS (its last tokens have expired by then); null while active. */
  removeAfter: number | null;
}

/** A published EC public key (RFC 7517), as the JWKS lists it. */
export interface PublicJwk {
  kty: string;
  crv: string;
  x: string;
  y: string;
  kid: string;
  alg: string;
  use: string;
}

/** What a rotation did: the new signing key and the kids it retired. */
export interface KeyRotation {
  key: SigningKeyInfo;
  retired: string[];
}

/** What signing needs: the key id for the header and the private key. */
export interface SigningKeyPair {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
}

export interface SigningKeysOptions {
  /** How often the key set is re-read from the store, so that keys made on other nodes are seen. */
  reloadMs?: number;
  /** The least time between two reloads caused by a token naming an unknown `kid` (forgeries cost no I/O). */
  unknownKidReloadMs?: number;
  /** How old the key set may be when the JWKS is served, so a key made on another node is published soon. */
  jwksReloadMs?: number;
}

interface LoadedKey {
  row: SigningKey;
  publicJwk: PublicJwk;
  publicKey: CryptoKey;
  privateKey?: CryptoKey;
}

/** Active keys first, then retired ones, most recently retired first. */
function order(key: SigningKey): number {
  return key.retiredAt === null ? Number.NEGATIVE_INFINITY : -key.retiredAt;
}

/**
 * The keys that sign JWT access tokens. Instance-wide (the issuer is the instance), kept in the store with
 * the private half encrypted by the token cipher, and held in memory so that verification does no I/O.
 * The newest active key signs; {@link rotate} makes a new one and retires the others, which stay published
 * and keep verifying until every token they signed has expired, then are pruned.
 */
export class SigningKeys {
  private keys = new Map<string, LoadedKey>();
  /** performance.now() of the last load: reload pacing is about load, not about the domain clock. */
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;
  private readonly reloadMs: number;
  private readonly unknownKidReloadMs: number;
  private readonly jwksReloadMs: number;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly cipher: TokenCipher,
    private readonly audit: AuditLog,
    options: SigningKeysOptions = {},
  ) {
    this.reloadMs = options.reloadMs ?? 60 * SECOND;
    this.unknownKidReloadMs = options.unknownKidReloadMs ?? SECOND;
    this.jwksReloadMs = options.jwksReloadMs ?? 5 * SECOND;
  }

  /**
   * The key that signs new tokens: the newest active one; on first need, a new key. `store` is the caller's
   * transaction when there is one (on SQLite the outer store would wait for that transaction to end).
   */
  async current(store: Store = this.store): Promise<SigningKeyPair> {
    if (performance.now() - this.loadedAt > this.reloadMs) await this.reload(store);
    const active = [...this.keys.values()].find((k) => k.row.retiredAt === null);
    if (active) return this.pair(active);
    // A key made inside the caller's transaction is not kept in memory: if that transaction rolls back, the
    // key is gone from the store too. The next use reloads whatever was committed.
    const row = await this.create(store);
    this.loadedAt = Number.NEGATIVE_INFINITY;
    return { kid: row.kid, alg: row.alg, privateKey: (await this.load(row, true)).privateKey! };
  }

  /** The public key with this `kid`, for verification; an unknown kid causes a (paced) reload, no more. */
  async verificationKey(kid: string): Promise<CryptoKey | undefined> {
    const since = performance.now() - this.loadedAt;
    const known = this.keys.get(kid);
    if (since > this.reloadMs || (!known && since > this.unknownKidReloadMs)) await this.reload(this.store);
    return this.keys.get(kid)?.publicKey;
  }

  /** The published key set (RFC 7517): active keys and retired keys still inside their retention window. */
  async jwks(): Promise<{ keys: PublicJwk[] }> {
    const keys = await this.published();
    return { keys: keys.map((k) => k.publicJwk) };
  }

  /** For the admin API: the published keys, newest first. */
  async list(principal: Principal): Promise<SigningKeyInfo[]> {
    requireKeyAdmin(principal);
    return this.describe();
  }

  /** The published keys, newest first (for the CLI, which acts with an operator's rights). */
  async describe(): Promise<SigningKeyInfo[]> {
    const retention = await this.retentionMs(this.store);
    return (await this.published()).map(({ row }) => this.info(row, retention));
  }

  private info(row: SigningKey, retention: number): SigningKeyInfo {
    return {
      kid: row.kid,
      alg: row.alg,
      status: row.retiredAt === null ? 'active' : 'retired',
      createdAt: row.createdAt,
      retiredAt: row.retiredAt,
      removeAfter: row.retiredAt === null ? null : row.retiredAt + retention,
    };
  }

  /** For the admin API: see {@link rotateAs}. */
  rotate(principal: Principal): Promise<KeyRotation> {
    requireKeyAdmin(principal);
    return this.rotateAs(principal);
  }

  /**
   * Makes a new signing key and retires every other active key, in one transaction, audited. Tokens signed
   * before keep verifying: retired keys stay published until their retention window has passed.
   */
  async rotateAs(actor: Actor): Promise<KeyRotation> {
    const now = this.clock.now();
    const { row, retired } = await this.store.transaction(async (tx) => {
      const previous = (await tx.signingKeys.list()).filter((k) => k.retiredAt === null);
      const fresh = await this.create(tx);
      const retiredKids: string[] = [];
      for (const key of previous) if (await tx.signingKeys.retire(key.kid, now)) retiredKids.push(key.kid);
      await this.audit.record(
        tx,
        actor,
        'signing_key.rotate',
        { type: 'signing_key', id: fresh.kid },
        { retired: retiredKids },
      );
      return { row: fresh, retired: retiredKids };
    });
    // Not the shared reload: one already running may have read the keys before this commit.
    await this.loadAll(this.store, true);
    return { key: this.info(row, 0), retired };
  }

  /**
   * How long a retired key stays: the access-token lifespan, plus one reload interval, because another
   * node may sign with the key until it next reloads and learns of the retirement.
   */
  private async retentionMs(store: Store): Promise<number> {
    const settings = resolveSettings(await store.settings.all(DEFAULT_TENANT));
    return settings['authentication.token.access_token_lifespan'] * HOUR + this.reloadMs;
  }

  private async published(): Promise<LoadedKey[]> {
    if (performance.now() - this.loadedAt > this.jwksReloadMs) await this.reload(this.store);
    const now = this.clock.now();
    const retention = await this.retentionMs(this.store);
    return [...this.keys.values()]
      .filter((k) => k.row.retiredAt === null || k.row.retiredAt + retention > now)
      .sort((a, b) => order(a.row) - order(b.row) || b.row.createdAt - a.row.createdAt);
  }

  /** Re-reads the key set (one read at a time), pruning retired keys whose window has passed. */
  private reload(store: Store): Promise<void> {
    // Inside a caller's transaction the shared load cannot be reused: it runs on another connection.
    if (store !== this.store) return this.loadAll(store, false);
    this.loading ??= this.loadAll(store, true).finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async loadAll(store: Store, prune: boolean): Promise<void> {
    const rows = await store.signingKeys.list();
    const now = this.clock.now();
    const retention = await this.retentionMs(store);
    const next = new Map<string, LoadedKey>();
    for (const row of rows) {
      if (row.retiredAt !== null && row.retiredAt + retention <= now) {
        if (prune) await store.signingKeys.delete(row.kid);
        continue;
      }
      const known = this.keys.get(row.kid);
      next.set(row.kid, known ? { ...known, row } : await this.load(row, false));
    }
    this.keys = next;
    this.loadedAt = performance.now();
  }

  private async load(row: SigningKey, withPrivate: boolean): Promise<LoadedKey> {
    const publicJwk = JSON.parse(row.publicJwk) as PublicJwk;
    const publicKey = (await importJWK(publicJwk as JWK, row.alg)) as CryptoKey;
    const loaded: LoadedKey = { row, publicJwk, publicKey };
    if (withPrivate) loaded.privateKey = await this.privateKey(row);
    return loaded;
  }

  private async pair(key: LoadedKey): Promise<SigningKeyPair> {
    key.privateKey ??= await this.privateKey(key.row);
    return { kid: key.row.kid, alg: key.row.alg, privateKey: key.privateKey };
  }

  private async privateKey(row: SigningKey): Promise<CryptoKey> {
    const jwk = JSON.parse(this.cipher.decrypt(row.privateJwk)) as JWK;
    return (await importJWK(jwk, row.alg)) as CryptoKey;
  }

  private async create(store: Store): Promise<SigningKey> {
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
    const kid = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: 'sig' };
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG };
    const row: SigningKey = {
      kid,
      alg: SIGNING_ALG,
      publicJwk: JSON.stringify(publicJwk),
      privateJwk: this.cipher.encrypt(JSON.stringify(privateJwk)),
      createdAt: this.clock.now(),
      retiredAt: null,
    };
    await store.signingKeys.insert(row);
    return row;
  }
}

/**
 * Signing keys serve every tenant of the installation, so only administrators of its own (default) tenant
 * with settings:manage see and rotate them: another tenant's administrator must not retire everyone's key.
 */
function requireKeyAdmin(principal: Principal): void {
  requireAdmin(principal, 'settings:manage');
  if (principal.tenantId !== DEFAULT_TENANT)
    throw new TesseraError(
      'FORBIDDEN',
      'Signing keys serve every tenant; administrators of the default tenant manage them.',
    );
}
