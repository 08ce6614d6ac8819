import { Command, InvalidArgumentError, Option } from 'commander';
import { type Config, ConfigError, loadConfig } from '../config/config.ts';
import { loadSecrets } from '../config/secrets.ts';
import { DEFAULT_TENANT } from '../core/auth.ts';
import { systemClock } from '../core/clock.ts';
import { TesseraError } from '../core/errors.ts';
import { tokenStatus } from '../core/model.ts';
import { cliActor, cliPrincipal } from '../core/principal.ts';
import { maskSecrets, SETTINGS } from '../core/settings.ts';
import { createTessera, type Tessera } from '../core/tessera.ts';
import { normalizeUsername } from '../core/users.ts';
import { openConfiguredStore, startServer } from '../server.ts';
import { PgInvalidation } from '../store/pg-invalidation.ts';
import { printStartup } from './startup.ts';

const program = new Command('tessera')
  .description('Tessera: scoped, expiring API tokens, verified in one call.')
  .option('--data-dir <dir>', 'data directory (TESSERA_DATA_DIR)')
  .option('--database-url <url>', 'postgres://… to use PostgreSQL (TESSERA_DATABASE_URL)')
  .option('--tenant <id>', 'tenant to act on', DEFAULT_TENANT)
  .showHelpAfterError();

function config(extra: Partial<Record<keyof Config, unknown>> = {}): Config {
  const global = program.opts<{ dataDir?: string; databaseUrl?: string }>();
  return loadConfig(process.env, { dataDir: global.dataDir, databaseUrl: global.databaseUrl, ...extra });
}

/** Runs `fn` with the core over the configured store, then closes it (flushing nothing: the CLI verifies nothing). */
async function withCore<T>(fn: (tessera: Tessera, tenantId: string) => Promise<T>): Promise<T> {
  const cfg = config();
  const secrets = loadSecrets(cfg);
  const store = await openConfiguredStore(cfg);
  // On PostgreSQL, what a command revokes reaches the running nodes' caches at once (it listens to nothing).
  const invalidation =
    store.dialect === 'postgres' && cfg.databaseUrl
      ? await PgInvalidation.start({ databaseUrl: cfg.databaseUrl, db: store.db, listen: false })
      : undefined;
  try {
    const tessera = createTessera({
      store,
      clock: systemClock,
      pepper: secrets.pepper,
      cipher: secrets.cipher,
      cache: { cacheTtlMs: 0, cacheMaxEntries: 1 },
      ...(invalidation ? { invalidation } : {}),
    });
    const boot = await tessera.auth.bootstrap(cfg.adminPassword);
    // The first command on an empty database creates the admin; `serve` will not show this password later.
    if (boot.created && boot.generated) {
      console.error(
        `First start: created administrator "admin". Admin password (shown only this once): ${boot.password}`,
      );
    }
    return await fn(tessera, program.opts<{ tenant: string }>().tenant);
  } finally {
    await invalidation?.close();
    await store.close();
  }
}

async function userId(tessera: Tessera, tenantId: string, username: string): Promise<number> {
  const user = await tessera.store.users.findByUsername(tenantId, normalizeUsername(username));
  if (!user) throw new TesseraError('USER_NOT_FOUND', `No user ${username} in tenant ${tenantId}.`);
  return user.id;
}

const integer = (value: string) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number');
  return Number(value);
};

program
  .command('serve')
  .description('run the service (runs migrations and, on an empty database, creates the admin user)')
  .option('-p, --port <port>', 'port (TESSERA_PORT, default 8080)')
  .option('-H, --host <host>', 'interface (TESSERA_HOST, default 127.0.0.1)')
  .option('--log-level <level>', 'log level (TESSERA_LOG_LEVEL, default info)')
  .action(async (options: { port?: string; host?: string; logLevel?: string }) => {
    const cfg = config({ port: options.port, host: options.host, logLevel: options.logLevel });
    const server = await startServer(cfg);
    printStartup(cfg, server);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      });
    }
  });

program
  .command('migrate')
  .description('bring the database schema up to date, then exit')
  .action(async () => {
    const store = await openConfiguredStore(config());
    await store.close();
    console.log('Database schema is up to date.');
  });

const admin = program.command('admin').description('users and the first administrator');
admin
  .command('create-user <username>')
  .description('create a user (prints a generated password unless --password is given)')
  .addOption(new Option('--role <role>', 'admin or member').choices(['admin', 'member']).default('member'))
  .option('--email <email>')
  .option('--full-name <name>')
  .option(
    '--password <password>',
    'at least authentication.password_min_length characters, 12 by default, not a common one (default: generated)',
  )
  .action(
    async (
      username: string,
      o: { role: 'admin' | 'member'; email?: string; fullName?: string; password?: string },
    ) => {
      const password = o.password ?? generatedPassword();
      const user = await withCore((t, tenant) =>
        t.users.createAs(cliActor(tenant), {
          username,
          role: o.role,
          email: o.email,
          fullName: o.fullName,
          password,
        }),
      );
      console.log(
        `Created ${user.role} ${user.username} (id ${user.id}).${o.password ? '' : `\nPassword (shown once): ${password}`}`,
      );
    },
  );
admin
  .command('reset-password <username>')
  .description('set a new password (prints a generated one unless --password is given)')
  .option('--password <password>')
  .action(async (username: string, o: { password?: string }) => {
    const password = o.password ?? generatedPassword();
    await withCore(async (t, tenant) =>
      t.users.updateAs(cliActor(tenant), await userId(t, tenant, username), { password }),
    );
    console.log(
      `Password of ${username} changed.${o.password ? '' : `\nNew password (shown once): ${password}`}`,
    );
  });

const token = program.command('token').description('create, list and revoke API tokens');
token
  .command('create')
  .description('create an API token and print it (shown once)')
  .requiredOption('--name <name>')
  .requiredOption('--user <username>', 'the associated user')
  .option('--permissions <list>', 'comma-separated, e.g. subscription:execute,semantic-model:refresh', '')
  .option('--expires-in-days <days>', 'e.g. 30, 60 or 90', integer)
  .option('--expires-at <date>', 'a custom date, e.g. 2027-06-30')
  .option('--description <text>')
  .action(
    async (o: {
      name: string;
      user: string;
      permissions: string;
      expiresInDays?: number;
      expiresAt?: string;
      description?: string;
    }) => {
      const issued = await withCore(async (t, tenant) => {
        const id = await userId(t, tenant, o.user);
        const permissions = o.permissions
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean);
        return t.tokens.create(
          cliPrincipal(tenant, id),
          {
            name: o.name,
            description: o.description,
            permissions,
            expiresInDays: o.expiresInDays,
            expiresAt: o.expiresAt,
          },
          'api',
        );
      });
      console.log(
        `Created token ${issued.record.id}, expires ${new Date(issued.record.expiresAt).toISOString()}.`,
      );
      console.log(`Token (shown once, copy it now): ${issued.token}`);
    },
  );
token
  .command('list')
  .description('list tokens')
  .addOption(new Option('--status <status>').choices(['active', 'expired', 'revoked']))
  .option('--limit <n>', 'how many', integer, 50)
  .action(async (o: { status?: 'active' | 'expired' | 'revoked'; limit: number }) => {
    const page = await withCore(async (t, tenant) => {
      const admins = await t.store.users.list(tenant, { role: 'admin', limit: 1 });
      return t.tokens.list(
        cliPrincipal(tenant, admins.items[0]?.id ?? 0),
        { status: o.status, sort: 'createdAt', order: 'desc', limit: o.limit },
        'managed',
      );
    });
    const now = systemClock.now();
    console.table(
      page.items.map((t) => ({
        id: t.id,
        name: t.name,
        kind: t.kind,
        hint: t.hint,
        user: t.userId,
        status: tokenStatus(t, now),
        expires: new Date(t.expiresAt).toISOString(),
      })),
    );
  });
token
  .command('revoke <ids...>')
  .description('revoke tokens by id')
  .action(async (ids: string[]) => {
    const count = await withCore((t, tenant) => t.tokens.revokeMany(cliPrincipal(tenant, 0), ids));
    console.log(`Revoked ${count} token(s).`);
  });

const keys = program
  .command('keys')
  .description('keys that sign JWT access tokens (oauth.jwt_access_tokens)');
keys
  .command('list')
  .description('list the published signing keys, newest first')
  .action(async () => {
    const items = await withCore((t) => t.signingKeys.describe());
    const when = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());
    console.table(
      items.map((k) => ({
        kid: k.kid,
        alg: k.alg,
        status: k.status,
        created: when(k.createdAt),
        retired: when(k.retiredAt),
        'leaves JWKS': when(k.removeAfter),
      })),
    );
  });
keys
  .command('rotate')
  .description('make a new signing key; the old one verifies until its tokens have expired')
  .action(async () => {
    const { key, retired } = await withCore((t, tenant) => t.signingKeys.rotateAs(cliActor(tenant)));
    console.log(`New signing key ${key.kid} (${key.alg}).`);
    if (retired.length > 0)
      console.log(`Retired (still published until their tokens expire): ${retired.join(', ')}`);
  });

const conf = program
  .command('conf')
  .description('run-time settings; changes reach a running service at once');
conf.command('list').action(async () => {
  const values = maskSecrets(await withCore((t, tenant) => t.settings.get(tenant)));
  for (const [key, value] of Object.entries(values)) {
    const def = SETTINGS[key as keyof typeof SETTINGS];
    console.log(
      `${key} = ${value}${'unit' in def ? ` ${def.unit}` : ''}    # ${def.description} Default ${def.default}.`,
    );
  }
});
conf.command('get <key>').action(async (key: string) => {
  const values = maskSecrets(await withCore((t, tenant) => t.settings.get(tenant)));
  if (!(key in values))
    throw new TesseraError('UNKNOWN_SETTING', `No setting is named ${key}. Run "tessera conf list".`);
  console.log(String(values[key as keyof typeof values]));
});
conf
  .command('set <key> <value>')
  .description('e.g. tessera conf set authentication.token.refresh_token_lifespan 180')
  .action(async (key: string, value: string) => {
    const values = maskSecrets(
      await withCore((t, tenant) => t.settings.apply(cliActor(tenant), { [key]: value })),
    );
    console.log(`${key} = ${values[key as keyof typeof values]}`);
  });

function generatedPassword(): string {
  return crypto
    .getRandomValues(new Uint8Array(15))
    .reduce((s, b) => s + b.toString(36).padStart(2, '0'), '')
    .slice(0, 20);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigError || error instanceof TesseraError) {
    console.error(`tessera: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
