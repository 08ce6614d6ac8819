import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encryptionKey, TokenCipher } from '../core/secrets.ts';
import { type Config, ConfigError } from './config.ts';
import { dataDirWarnings, makePrivateDir } from './data-dir.ts';

export interface ServerSecrets {
  pepper: Buffer;
  cipher: TokenCipher;
  /** Warnings to print loudly at start-up: a secret was generated, or the data dir is open to others. */
  warnings: string[];
}

/** Reads a secret file from the data dir, creating it (0600, in a 0700 dir) with `make()` when missing. */
function fileSecret(dir: string, name: string, make: () => string): { value: string; created: boolean } {
  const file = path.join(dir, name);
  if (existsSync(file)) return { value: readFileSync(file, 'utf8').trim(), created: false };
  makePrivateDir(dir);
  const value = make();
  writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { value, created: true };
}

function decodeKey(text: string, variable: string): Buffer {
  const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== 32)
    throw new ConfigError(
      `${variable}: each key must be base64 of exactly 32 bytes (got ${key.length} bytes)`,
    );
  return key;
}

/**
 * The hashing pepper and the encryption keys: from configuration, or generated once into the data dir.
 * A generated secret works for one node; several nodes must share TESSERA_SECRET and TESSERA_ENCRYPTION_KEY.
 */
export function loadSecrets(config: Config): ServerSecrets {
  const warnings = dataDirWarnings(config.dataDir);
  let secret = config.secret;
  if (secret === undefined) {
    const file = fileSecret(config.dataDir, 'secret', () => randomBytes(32).toString('base64url'));
    secret = file.value;
    warnings.push(
      `TESSERA_SECRET is not set: using ${file.created ? 'a newly generated' : 'the generated'} secret in ${path.join(config.dataDir, 'secret')}. ` +
        'Set TESSERA_SECRET (the same on every node) for production; losing it invalidates every token.',
    );
  }
  let keys = config.encryptionKey;
  if (keys === undefined) {
    const file = fileSecret(config.dataDir, 'encryption.key', () => randomBytes(32).toString('base64'));
    keys = file.value;
    warnings.push(
      `TESSERA_ENCRYPTION_KEY is not set: using the generated key in ${path.join(config.dataDir, 'encryption.key')}. ` +
        'Set it (the same on every node) for production; retrievable tokens cannot be revealed without it.',
    );
  }
  const cipher = new TokenCipher(
    keys.split(',').map((k) => encryptionKey(decodeKey(k.trim(), 'TESSERA_ENCRYPTION_KEY'))),
  );
  return { pepper: Buffer.from(secret, 'utf8'), cipher, warnings };
}
