import { TesseraError } from './errors.ts';
import { destinationRefusal, outboundPolicy } from './outbound-policy.ts';
import { DEFAULT_MIN_PASSWORD_LENGTH } from './password-policy.ts';

/**
 * The settings an administrator changes at run time (seed 003's `_conf`), with their defaults. They live in
 * the store, so a change made with `tessera conf set` reaches a running service on its next read.
 */
export interface SettingDefinition {
  type: 'integer' | 'boolean' | 'string';
  default: number | boolean | string;
  /** A short name for forms ("Default token lifespan"). */
  label: string;
  description: string;
  unit?: 'days' | 'hours' | 'milliseconds' | 'characters';
  min?: number;
  max?: number;
  /** For strings: an http(s) URL (or empty), or a space-separated list of origins for `frame-ancestors`. */
  format?: 'url' | 'origins';
  /** A credential: kept encrypted at rest, never shown or audited, only said to be set. */
  secret?: boolean;
  /** For strings: an example value, shown as a form's placeholder. */
  example?: string;
  /** For integers: another setting (of the same unit) this one may not exceed. */
  atMost?: string;
}

/** The longest string setting, in characters. */
export const MAX_SETTING_LENGTH = 2000;

export const SETTINGS = {
  'authentication.token.refresh_token_lifespan': {
    label: 'Refresh token lifespan',
    type: 'integer',
    default: 60,
    unit: 'days',
    min: 1,
    max: 3650,
    description: 'Lifespan of refresh tokens created after the change.',
  },
  'authentication.token.access_token_lifespan': {
    label: 'Access token lifespan',
    type: 'integer',
    default: 24,
    unit: 'hours',
    min: 1,
    max: 8760,
    description: 'Lifespan of API access tokens created after the change.',
  },
  'authentication.token.api_token_max_lifespan': {
    label: 'Maximum token lifetime',
    type: 'integer',
    default: 365,
    unit: 'days',
    min: 1,
    max: 3650,
    description: 'Longest expiry an API or personal token may be given.',
  },
  'authentication.token.api_token_default_lifespan': {
    label: 'Default token lifespan',
    type: 'integer',
    default: 30,
    unit: 'days',
    min: 1,
    max: 3650,
    atMost: 'authentication.token.api_token_max_lifespan',
    description: 'Expiry of an API or personal token created without one.',
  },
  'authentication.session_lifespan': {
    label: 'Console session lifespan',
    type: 'integer',
    default: 12,
    unit: 'hours',
    min: 1,
    max: 720,
    description: 'Lifespan of a console sign-in session.',
  },
  'authentication.mobile_session_lifespan': {
    label: 'Mobile session lifespan',
    type: 'integer',
    default: 30,
    unit: 'days',
    min: 1,
    max: 365,
    description: 'Lifespan of a mobile app session.',
  },
  'authentication.password_min_length': {
    label: 'Minimum password length',
    type: 'integer',
    default: DEFAULT_MIN_PASSWORD_LENGTH,
    unit: 'characters',
    min: 8,
    max: 128,
    description:
      'Shortest password a person may choose. Common and breached passwords are refused at any length.',
  },
  'oauth.allow_user_credentials': {
    label: 'Accept user credentials as client credentials',
    type: 'boolean',
    default: true,
    description:
      "Accept a user's username and password as client_id and client_secret at the token endpoint.",
  },
  'oauth.refresh_token_rotation': {
    label: 'Rotate refresh tokens',
    type: 'boolean',
    default: false,
    description:
      'Issue a new refresh token on each refresh_token grant; reuse of an old one revokes the family.',
  },
  'oauth.jwt_access_tokens': {
    label: 'JWT access tokens',
    type: 'boolean',
    default: false,
    description: 'Issue OAuth access tokens as signed JWTs (RFC 9068) instead of opaque tsr_at_ tokens.',
  },
  'sharing.frame_ancestors': {
    label: 'Allowed frame ancestors',
    example: 'https://intranet.example.com',
    type: 'string',
    default: '',
    format: 'origins',
    description:
      'Origins allowed to embed report share pages (/view/{token}) in an iframe, separated by spaces. Empty: this instance only.',
  },
  'cloud.enabled': {
    label: 'Publish to the cloud',
    type: 'boolean',
    default: false,
    description: 'Let report share tokens be published to a cloud Tessera instance.',
  },
  'cloud.url': {
    label: 'Cloud URL',
    example: 'https://cloud.example.com',
    type: 'string',
    default: '',
    format: 'url',
    description: 'The cloud instance’s base URL.',
  },
  'cloud.api_token': {
    label: 'Cloud API token',
    type: 'string',
    default: '',
    secret: true,
    description:
      'An API token on the cloud instance with tokens:manage, reports:read and reports:manage (kept encrypted).',
  },
  'cloud.public_url': {
    label: 'Public URL',
    example: 'https://reports.example.com',
    type: 'string',
    default: '',
    format: 'url',
    description: 'The address share links to the cloud use. Empty: the cloud URL.',
  },
  'cloud.timeout_ms': {
    label: 'Timeout',
    type: 'integer',
    default: 2000,
    unit: 'milliseconds',
    min: 100,
    max: 60000,
    description: 'How long to wait for the cloud instance before answering with local tokens and a warning.',
  },
  'outbound.allow_http': {
    label: 'Allow plain http for outbound calls',
    type: 'boolean',
    default: false,
    description:
      'Let this instance call services (the cloud instance) over plain http. Off: https only, so credentials and answers are never sent in the clear.',
  },
  'outbound.allow_private_network': {
    label: 'Allow outbound calls to private addresses',
    type: 'boolean',
    default: false,
    description:
      'Let this instance call loopback, private and link-local addresses (127.0.0.1, 10.x, 192.168.x, 169.254.x, ::1, fc00::/7) and localhost. Off: such addresses are refused when a URL is saved and after every DNS lookup, so a URL cannot reach internal services or cloud metadata.',
  },
  'feature_flags.enable_swagger': {
    label: 'Swagger UI',
    type: 'boolean',
    default: false,
    description: 'Serve Swagger UI at /docs.',
  },
} as const satisfies Record<string, SettingDefinition>;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue = number | boolean | string;
export type Settings = {
  [K in SettingKey]: (typeof SETTINGS)[K]['default'] extends boolean
    ? boolean
    : (typeof SETTINGS)[K]['default'] extends string
      ? string
      : number;
};

/** The keys of settings that hold credentials. */
export const SECRET_SETTINGS: readonly SettingKey[] = Object.entries(SETTINGS)
  .filter(([, def]) => (def as SettingDefinition).secret)
  .map(([key]) => key as SettingKey);

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}

/** A setting's definition as the API describes it to forms: its key, and `maxLength` for strings. */
export type SettingDescription = Omit<SettingDefinition, 'secret'> & {
  key: SettingKey;
  secret: boolean;
  maxLength?: number;
};

/** Every setting's definition, in the order of {@link SETTINGS}. */
export function describeSettings(): SettingDescription[] {
  return Object.entries(SETTINGS).map(([key, def]: [string, SettingDefinition]) => ({
    key: key as SettingKey,
    ...def,
    secret: def.secret === true,
    ...(def.type === 'string' ? { maxLength: MAX_SETTING_LENGTH } : {}),
  }));
}

/**
 * The rules between settings (`atMost`), checked on the values a change would leave. A rule is checked only
 * when the change touches one of its two keys, so an unrelated change never fails on older stored values;
 * the refusal names the key that was changed (the bounded one when both were).
 */
export function checkSettingRelations(result: Settings, changed: readonly string[]): void {
  // A destination the service calls is checked against the outbound rules as they will be after the change.
  const cloudUrl = result['cloud.url'];
  if (changed.includes('cloud.url') && cloudUrl !== '') {
    const refused = destinationRefusal(cloudUrl, outboundPolicy(result));
    if (refused) throw new TesseraError('VALIDATION_FAILED', `cloud.url: ${refused}`, { field: 'cloud.url' });
  }
  for (const [key, def] of Object.entries(SETTINGS) as [SettingKey, SettingDefinition][]) {
    const bound = def.atMost as SettingKey | undefined;
    if (!bound || !(changed.includes(key) || changed.includes(bound))) continue;
    const value = result[key] as number;
    const limit = result[bound] as number;
    if (value <= limit) continue;
    if (changed.includes(key))
      throw new TesseraError(
        'VALIDATION_FAILED',
        `${key}: must not be longer than ${bound} (${limit} ${def.unit})`,
        { field: key },
      );
    throw new TesseraError(
      'VALIDATION_FAILED',
      `${bound}: must not be shorter than ${key} (${value} ${def.unit}); lower that first`,
      { field: bound },
    );
  }
}

/** What a credential setting shows instead of its value once it is set. */
export const SECRET_MASK = '********';

/** The settings with every credential replaced by {@link SECRET_MASK} (or '' when unset). */
export function maskSecrets<T extends Partial<Settings>>(settings: T): T {
  const out: Record<string, unknown> = { ...settings };
  for (const key of SECRET_SETTINGS)
    if (typeof out[key] === 'string' && out[key] !== '') out[key] = SECRET_MASK;
  return out as T;
}

/** The full settings object from the stored overrides; unknown or stale stored keys are ignored. */
export function resolveSettings(stored: Record<string, unknown>): Settings {
  const out: Record<string, SettingValue> = {};
  for (const [key, def] of Object.entries(SETTINGS)) {
    const value = stored[key];
    out[key] = typeof value === typeof def.default ? (value as SettingValue) : def.default;
  }
  return out as Settings;
}

/**
 * Checks one value against its definition. With `fromText` (the command line) it accepts strings such as
 * "180" and "True"; the JSON API passes false, so a value of the wrong JSON type is refused, not coerced.
 */
export function coerceSetting(key: string, raw: unknown, fromText = true): SettingValue {
  if (!isSettingKey(key))
    throw new TesseraError('UNKNOWN_SETTING', `No setting is named ${key}.`, { field: key });
  const def: SettingDefinition = SETTINGS[key];
  if (def.type === 'string') return coerceText(key, def, raw);
  if (def.type === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (fromText && typeof raw === 'string' && /^(true|false)$/i.test(raw.trim()))
      return raw.trim().toLowerCase() === 'true';
    throw new TesseraError('VALIDATION_FAILED', `${key}: must be true or false`, { field: key });
  }
  const value = fromText && typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TesseraError('VALIDATION_FAILED', `${key}: must be a whole number of ${def.unit}`, {
      field: key,
    });
  }
  if ((def.min !== undefined && value < def.min) || (def.max !== undefined && value > def.max)) {
    throw new TesseraError(
      'VALIDATION_FAILED',
      `${key}: must be between ${def.min} and ${def.max} ${def.unit}`,
      {
        field: key,
      },
    );
  }
  return value;
}

const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

function coerceText(key: string, def: SettingDefinition, raw: unknown): string {
  if (typeof raw !== 'string')
    throw new TesseraError('VALIDATION_FAILED', `${key}: must be a string`, { field: key });
  const value = raw.trim();
  const fail = (why: string) => {
    throw new TesseraError('VALIDATION_FAILED', `${key}: ${why}`, { field: key });
  };
  if (value.length > MAX_SETTING_LENGTH) fail(`must be at most ${MAX_SETTING_LENGTH} characters`);
  if (def.format === 'url' && value !== '') {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      // reported below
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash)
      fail('must be an http or https URL without query or fragment, e.g. https://cloud.example.com');
    return value.replace(/\/+$/, '');
  }
  if (def.format === 'origins') {
    const bad = value.split(/\s+/).find((origin) => origin !== '' && !ORIGIN.test(origin));
    if (bad !== undefined) fail(`${bad} is not an origin such as https://intranet.example.com`);
    return value.split(/\s+/).join(' ');
  }
  return value;
}
