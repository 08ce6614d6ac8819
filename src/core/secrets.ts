import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createSecretKey,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';

/** The pepper as a key object, made once: an HMAC keyed by a KeyObject skips importing the key each time. */
const pepperKeys = new WeakMap<Buffer, KeyObject>();

/** Keyed hash of a token (HMAC-SHA256 under the server pepper): what the store indexes instead of the token. */
export function tokenHash(pepper: Buffer, token: string): string {
  let key = pepperKeys.get(pepper);
  if (!key) {
    key = createSecretKey(pepper);
    pepperKeys.set(pepper, key);
  }
  return createHmac('sha256', key).update(token).digest('base64url');
}

/** One AES-256-GCM key and the id stored beside each ciphertext it made. */
export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export function encryptionKey(key: Buffer): EncryptionKey {
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
}

/**
 * Encrypts retrievable token strings. The first key encrypts; every key decrypts, so an operator rotates
 * by putting a new key first and keeping the old ones until no ciphertext uses them.
 */
export class TokenCipher {
  constructor(private readonly keys: EncryptionKey[]) {
    if (keys.length === 0) throw new Error('TokenCipher needs at least one key');
  }

  encrypt(plain: string): string {
    const current = this.keys[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', current.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const parts = [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url'));
    return `v1.${current.id}.${parts.join('.')}`;
  }

  decrypt(sealed: string): string {
    const [version, keyId, iv, body, tag] = sealed.split('.');
    const entry = this.keys.find((k) => k.id === keyId);
    if (version !== 'v1' || !entry || !iv || !body || !tag) {
      throw new Error(`cannot decrypt: no key with id ${keyId ?? '?'} is configured`);
    }
    const decipher = createDecipheriv('aes-256-gcm', entry.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}

// OWASP's argon2id recommendation: 19 MiB, two passes, one lane.
const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
let dummyHash: Promise<string> | undefined;

/** Hashes a user's password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return argonHash(password, ARGON2_OPTIONS);
}

/**
 * Checks a password against a stored hash. With no hash (unknown user) it still spends the same work on
 * a dummy hash, so response time does not tell which usernames exist.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (stored === null) {
    dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    await argonVerify(await dummyHash, password);
    return false;
  }
  try {
    return await argonVerify(stored, password);
  } catch {
    return false;
  }
}
