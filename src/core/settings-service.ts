import type { AuditLog } from './audit.ts';
import type { Clock } from './clock.ts';
import { TesseraError } from './errors.ts';
import { type Actor, type Principal, requireAdmin } from './principal.ts';
import type { TokenCipher } from './secrets.ts';
import {
  checkSettingRelations,
  coerceSetting,
  describeSettings,
  maskSecrets,
  resolveSettings,
  SECRET_MASK,
  SECRET_SETTINGS,
  type SettingDescription,
  type SettingKey,
  type Settings,
  type SettingValue,
} from './settings.ts';
import type { Store } from './store.ts';

/**
 * Reads and changes run-time settings. They live in the store, so the CLI and every node share them; each
 * node keeps them for `cacheTtlMs` (the same bound as the token cache), and a change made through this
 * service is seen at once here.
 */
export class SettingsService {
  private readonly cache = new Map<string, { settings: Settings; readAt: number }>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly cacheTtlMs = 0,
    private readonly cipher?: TokenCipher,
  ) {}

  /** A credential setting (`cloud.api_token`) in plain text, for the code that uses it; '' when unset. */
  async secret(tenantId: string, key: SettingKey): Promise<string> {
    const sealed = (await this.get(tenantId))[key];
    return typeof sealed === 'string' && sealed !== '' && this.cipher ? this.cipher.decrypt(sealed) : '';
  }

  /**
   * The tenant's settings. Inside a transaction pass its store: on SQLite a read through the outer store
   * waits for the transaction's connection, which the transaction never gives back.
   */
  async get(tenantId: string, store: Store = this.store): Promise<Settings> {
    const now = this.clock.now();
    const cached = this.cache.get(tenantId);
    if (cached && now - cached.readAt < this.cacheTtlMs) return cached.settings;
    const settings = resolveSettings(await store.settings.all(tenantId));
    if (this.cacheTtlMs > 0) this.cache.set(tenantId, { settings, readAt: now });
    return settings;
  }

  /** For the API: admins with settings:manage only; credentials are only said to be set. */
  async read(principal: Principal): Promise<Settings> {
    requireAdmin(principal, 'settings:manage');
    return maskSecrets(await this.get(principal.tenantId));
  }

  /** For the API: every setting's label, description, type, unit, limits, default and secret flag. */
  definitions(principal: Principal): SettingDescription[] {
    requireAdmin(principal, 'settings:manage');
    return describeSettings();
  }

  async update(principal: Principal, values: Record<string, unknown>): Promise<Settings> {
    requireAdmin(principal, 'settings:manage');
    return maskSecrets(await this.apply(principal, values, false));
  }

  /**
   * Validates every value first (alone, then against the settings it is bounded by), then writes them all in
   * one transaction (nothing half-written). Two admins racing could still leave a default past the maximum:
   * issuance caps it at the maximum anyway (see `resolveExpiry`).
   * `fromText`: accept command-line strings ("180", "true") for numbers and booleans.
   */
  async apply(actor: Actor, values: Record<string, unknown>, fromText = true): Promise<Settings> {
    const entries = Object.entries(values);
    if (entries.length === 0)
      throw new TesseraError('VALIDATION_FAILED', 'body: give at least one setting to change');
    const coerced: Record<string, SettingValue> = {};
    for (const [key, raw] of entries) {
      // A form sending back the mask it was shown leaves the credential as it is.
      if (raw === SECRET_MASK && SECRET_SETTINGS.includes(key as SettingKey)) continue;
      coerced[key] = coerceSetting(key, raw, fromText);
    }
    this.cache.delete(actor.tenantId);
    const current = await this.get(actor.tenantId);
    // The cloud's API token is for the cloud it was given with: a new cloud.url clears it unless one comes along.
    if (
      'cloud.url' in coerced &&
      coerced['cloud.url'] !== current['cloud.url'] &&
      !('cloud.api_token' in coerced) &&
      current['cloud.api_token'] !== ''
    ) {
      coerced['cloud.api_token'] = '';
    }
    checkSettingRelations({ ...current, ...coerced } as Settings, Object.keys(coerced));
    const before = maskSecrets(current);
    const stored = { ...coerced };
    for (const key of SECRET_SETTINGS) {
      const value = stored[key];
      if (typeof value !== 'string' || value === '') continue;
      if (!this.cipher) throw new Error('a credential setting needs the token cipher');
      stored[key] = this.cipher.encrypt(value);
    }
    const after = maskSecrets(coerced as Partial<Settings>);
    await this.store.transaction(async (tx) => {
      if (Object.keys(stored).length > 0) await tx.settings.set(actor.tenantId, stored, this.clock.now());
      const changes = Object.fromEntries(
        Object.keys(coerced).map((k) => [k, { from: before[k as SettingKey], to: after[k as SettingKey] }]),
      );
      await this.audit.record(
        tx,
        actor,
        'settings.update',
        { type: 'settings', id: actor.tenantId },
        changes,
      );
    });
    this.cache.delete(actor.tenantId);
    return this.get(actor.tenantId);
  }
}
