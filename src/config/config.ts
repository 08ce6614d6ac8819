import path from 'node:path';
import ipaddr from 'ipaddr.js';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';
import { TesseraError } from '../core/errors.ts';
import { checkPassword, DEFAULT_MIN_PASSWORD_LENGTH } from '../core/password-policy.ts';

/**
 * Every start-up setting, its environment variable, default and meaning, in one validated place. Run-time
 * settings that admins change while the service runs (lifespans, feature flags) live in the store instead:
 * see `src/core/settings.ts`.
 */
const env = (name: string, description: string) => ({ 'x-env': name, description });

/** Who may read `/metrics`. */
export const METRICS_ACCESS = ['off', 'open', 'token'] as const;
export type MetricsAccess = (typeof METRICS_ACCESS)[number];

export const ConfigSchema = Type.Object(
  {
    port: Type.Integer({
      minimum: 0,
      maximum: 65535,
      default: 8080,
      ...env('TESSERA_PORT', 'TCP port to listen on (0 picks a free one).'),
    }),
    host: Type.String({
      minLength: 1,
      default: '127.0.0.1',
      ...env('TESSERA_HOST', 'Interface to listen on; 0.0.0.0 for all.'),
    }),
    dataDir: Type.String({
      minLength: 1,
      default: './data',
      ...env('TESSERA_DATA_DIR', 'Where the SQLite file and generated secrets are kept.'),
    }),
    databaseUrl: Type.Optional(
      Type.String({
        pattern: '^postgres(ql)?://',
        ...env(
          'TESSERA_DATABASE_URL',
          'Unset: an SQLite file in the data dir. postgres://user:pass@host/db: PostgreSQL.',
        ),
      }),
    ),
    secret: Type.Optional(
      Type.String({
        minLength: 32,
        ...env(
          'TESSERA_SECRET',
          'Server secret (pepper) that keys token hashes, 32+ characters. Unset: generated into the data dir.',
        ),
      }),
    ),
    encryptionKey: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_=+/-]{43,44}(,[A-Za-z0-9_=+/-]{43,44})*$',
        ...env(
          'TESSERA_ENCRYPTION_KEY',
          'AES-256 key(s), base64 of 32 bytes, for retrievable tokens; comma-separated to rotate (first encrypts). Unset: generated into the data dir.',
        ),
      }),
    ),
    adminPassword: Type.Optional(
      Type.String({
        ...env(
          'TESSERA_ADMIN_PASSWORD',
          'Password for the first admin user, 12+ characters and not a common one. Unset: generated and printed once.',
        ),
      }),
    ),
    publicUrl: Type.Optional(
      Type.String({
        pattern: '^https?://',
        ...env('TESSERA_PUBLIC_URL', 'The URL clients reach the service at, for links and examples.'),
      }),
    ),
    logLevel: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
      { default: 'info', ...env('TESSERA_LOG_LEVEL', 'fatal, error, warn, info, debug, trace or silent.') },
    ),
    cacheTtlSeconds: Type.Number({
      minimum: 0,
      maximum: 3600,
      default: 5,
      ...env(
        'TESSERA_CACHE_TTL_SECONDS',
        'How long a verified token (and the run-time settings) stay in the in-process cache; the bound on cross-node revocation and settings lag. 0 turns caching off.',
      ),
    }),
    cacheMaxEntries: Type.Integer({
      minimum: 1,
      maximum: 10_000_000,
      default: 100_000,
      ...env('TESSERA_CACHE_MAX_ENTRIES', 'Most tokens the verification cache holds.'),
    }),
    usageFlushSeconds: Type.Number({
      minimum: 0.05,
      maximum: 3600,
      default: 2,
      ...env(
        'TESSERA_USAGE_FLUSH_SECONDS',
        'How often batched usage (last used, use count) is written to the store.',
      ),
    }),
    trustProxy: Type.Array(Type.String(), {
      default: [],
      ...env(
        'TESSERA_TRUST_PROXY',
        'Addresses or CIDR ranges of your load balancers, comma-separated (10.0.0.0/8,127.0.0.1): the client IP is taken from X-Forwarded-For only on connections from these. Unset: the connecting address.',
      ),
    }),
    metrics: Type.Union(
      METRICS_ACCESS.map((m) => Type.Literal(m)),
      {
        default: 'off',
        ...env(
          'TESSERA_METRICS',
          'Who may read /metrics: off (404), open (anyone who reaches the port), or token (a bearer token, TESSERA_METRICS_TOKEN).',
        ),
      },
    ),
    metricsToken: Type.Optional(
      Type.String({
        minLength: 32,
        ...env(
          'TESSERA_METRICS_TOKEN',
          'The bearer token Prometheus presents at /metrics, 32+ characters; required by and only with TESSERA_METRICS=token.',
        ),
      }),
    ),
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;
export type ConfigKey = keyof Config;

/** Thrown when configuration is invalid; the message names the variable. */
export class ConfigError extends Error {}

/** The environment variable of every key, from the schema. */
export function envNames(): Record<ConfigKey, string> {
  return Object.fromEntries(
    Object.entries(ConfigSchema.properties).map(([key, schema]) => [
      key,
      (schema as unknown as { 'x-env': string })['x-env'],
    ]),
  ) as Record<ConfigKey, string>;
}

/**
 * Reads configuration from the environment, then command-line overrides (already keyed by config key),
 * applies defaults and validates. Refuses with a message naming the variable on a bad value.
 */
export function loadConfig(
  environment: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Record<ConfigKey, unknown>> = {},
): Config {
  const names = envNames();
  const raw: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(names)) {
    const value = environment[name];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) raw[key] = value;
  const problems: string[] = [];
  if (typeof raw.trustProxy === 'string') {
    try {
      raw.trustProxy = parseTrustedProxies(raw.trustProxy);
    } catch (error) {
      problems.push(`${names.trustProxy}: ${(error as Error).message}`);
      delete raw.trustProxy;
    }
  }
  const config = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, raw));
  const reported = new Set<string>();
  for (const e of Value.Errors(ConfigSchema, config)) {
    const key = e.instancePath.slice(1).split('/')[0] as ConfigKey;
    if (reported.has(key)) continue;
    reported.add(key);
    const choices = (ConfigSchema.properties[key] as { anyOf?: { const: unknown }[] } | undefined)?.anyOf;
    const message = choices ? `must be one of ${choices.map((c) => c.const).join(', ')}` : e.message;
    problems.push(
      `${names[key] ?? key}: ${message}${key in raw ? ` (got ${JSON.stringify(SECRET_KEYS.includes(key) ? '…' : raw[key])})` : ''}`,
    );
  }
  const result = config as Config;
  if (problems.length === 0 && (result.metrics === 'token') !== (result.metricsToken !== undefined)) {
    problems.push(
      result.metrics === 'token'
        ? `${names.metricsToken}: required when ${names.metrics}=token`
        : `${names.metricsToken}: is set but ${names.metrics}=${result.metrics}, so it would not be asked for; set ${names.metrics}=token`,
    );
  }
  if (result.adminPassword !== undefined) {
    // The first administrator's password meets the policy every other password meets (at its default).
    try {
      checkPassword(result.adminPassword, {
        minLength: DEFAULT_MIN_PASSWORD_LENGTH,
        field: names.adminPassword,
        context: ['admin'],
      });
    } catch (error) {
      if (!(error instanceof TesseraError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return { ...result, dataDir: path.resolve(result.dataDir) };
}

/** Keys whose values never appear in a message. */
const SECRET_KEYS: readonly ConfigKey[] = ['secret', 'adminPassword', 'encryptionKey', 'metricsToken'];

/**
 * Reads TESSERA_TRUST_PROXY: comma-separated IPv4/IPv6 addresses and CIDR ranges, returned normalised
 * (a range as its network address). Refuses `true`, `false` and ranges that take in every address: trusting
 * every peer lets any client write its own X-Forwarded-For, and so choose the address that sign-in
 * lock-out counts and the audit log records.
 */
export function parseTrustedProxies(value: string): string[] {
  const text = value.trim();
  if (/^(true|yes|on|1)$/i.test(text)) {
    throw new Error(
      `takes the addresses or CIDR ranges of your load balancers, not ${JSON.stringify(text)}: trusting every peer would let any client forge its address with X-Forwarded-For, and so escape the sign-in lock-out and falsify the audit log. Example: TESSERA_TRUST_PROXY=10.0.0.0/8,127.0.0.1`,
    );
  }
  if (/^(false|no|off|0)$/i.test(text)) {
    throw new Error(
      `takes the addresses or CIDR ranges of your load balancers, not ${JSON.stringify(text)}; leave it unset when clients connect directly`,
    );
  }
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [address, bits, ...rest] = entry.split('/');
      const v4 = ipaddr.IPv4.isValidFourPartDecimal(address ?? '');
      const v6 = !v4 && !entry.includes('%') && ipaddr.IPv6.isValid(address ?? '');
      if (bits === undefined && (v4 || v6)) return ipaddr.parse(entry).toString();
      const valid =
        rest.length === 0 &&
        (v4 ? ipaddr.IPv4.isValidCIDRFourPartDecimal(entry) : v6 && ipaddr.IPv6.isValidCIDR(entry));
      if (!valid)
        throw new Error(`${JSON.stringify(entry)} is not an IP address or CIDR range (such as 10.0.0.0/8)`);
      if (Number(bits) === 0) {
        throw new Error(
          `${entry} takes in every address, so any client could forge its address with X-Forwarded-For; list only your load balancers`,
        );
      }
      const network = v4
        ? ipaddr.IPv4.networkAddressFromCIDR(entry)
        : ipaddr.IPv6.networkAddressFromCIDR(entry);
      return `${network.toString()}/${Number(bits)}`;
    });
}
