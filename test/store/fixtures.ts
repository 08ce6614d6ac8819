import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import type { NewToken, UserWithSecret } from '../../src/core/model.ts';
import type { Store } from '../../src/core/store.ts';
import { type Dialect, freshStore, START } from '../support/harness.ts';

/**
 * Shared set-up for the store suite: one migrated database per file and dialect, and a fresh tenant per
 * test, so tests in a file never see each other's rows.
 */
export function useStore(dialect: Dialect): () => Store {
  let opened: Awaited<ReturnType<typeof freshStore>> | undefined;
  beforeAll(async () => {
    opened = await freshStore(dialect);
  });
  afterAll(() => opened?.close());
  return () => {
    if (!opened) throw new Error('store not open yet');
    return opened.store;
  };
}

let tenants = 0;

/** A tenant id no other test uses. */
export function newTenant(): string {
  tenants += 1;
  return `tenant-${process.pid}-${tenants}`;
}

export function userFields(
  tenantId: string,
  username: string,
  overrides: Partial<Omit<UserWithSecret, 'id'>> = {},
): Omit<UserWithSecret, 'id'> {
  return {
    tenantId,
    username,
    email: `${username}@example.com`,
    fullName: null,
    role: 'member',
    permissions: null,
    departmentId: null,
    userTypeId: null,
    preferredLanguage: null,
    sso: false,
    passwordHash: null,
    createdAt: START,
    updatedAt: START,
    ...overrides,
  };
}

export function tokenFields(tenantId: string, userId: number, overrides: Partial<NewToken> = {}): NewToken {
  return {
    id: randomUUID(),
    tenantId,
    kind: 'api',
    name: 'a token',
    description: null,
    hint: 'tsr_api_abcd…wxyz',
    permissions: ['subscription:execute'],
    resources: [],
    userId,
    createdBy: null,
    departmentId: null,
    userTypeId: null,
    createdAt: START,
    expiresAt: START + 30 * 86_400_000,
    revokedAt: null,
    parentId: null,
    clientId: null,
    sourceId: null,
    familyId: null,
    reportId: null,
    sessionType: null,
    deviceName: null,
    hash: randomBytes(32).toString('base64url'),
    ciphertext: null,
    ...overrides,
  };
}

/** Inserts a token and returns what was inserted. */
export async function addToken(
  store: Store,
  tenantId: string,
  userId: number,
  overrides: Partial<NewToken> = {},
): Promise<NewToken> {
  const token = tokenFields(tenantId, userId, overrides);
  await store.tokens.insert(token);
  return token;
}
