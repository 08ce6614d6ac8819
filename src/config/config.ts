import path from 'node:path';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';

/**
 * Every start-up setting, its environment variable, default and meaning, in one validated place. Run-time
 * settings that admins change while the service runs (lifespans, feature flags) live in the store instead:
 * see `src/core/settings.ts`.
 */
const env = (name: string, description: string) => ({ 'x-env': name, description });

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
        minLength: 8,
        ...env(
          'TESSERA_ADMIN_PASSWORD',
          'Password for the first admin user. Unset: generated and printed once.',
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
    trustProxy: Type.Boolean({
      default: false,
      ...env('TESSERA_TRUST_PROXY', 'Take the client IP from X-Forwarded-For (set behind a load balancer).'),
    }),
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
  const config = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, raw));
  const problems = [...Value.Errors(ConfigSchema, config)].map((e) => {
    const key = e.instancePath.slice(1) as ConfigKey;
    return `${names[key] ?? key}: ${e.message}${key in raw ? ` (got ${JSON.stringify(key === 'secret' || key === 'adminPassword' || key === 'encryptionKey' ? '…' : raw[key])})` : ''}`;
  });
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  const result = config as Config;
  return { ...result, dataDir: path.resolve(result.dataDir) };
}
