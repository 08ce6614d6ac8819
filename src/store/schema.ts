import type { Generated } from 'kysely';

/**
 * Table shapes as the query code sees them (camelCase; the CamelCasePlugin maps them to the snake_case
 * columns the migrations create). Times are epoch milliseconds; lists are JSON text.
 */
export interface Database {
  tenants: { id: string; name: string; createdAt: number };
  users: {
    id: Generated<number>;
    tenantId: string;
    username: string;
    email: string | null;
    fullName: string | null;
    role: string;
    permissions: string | null;
    departmentId: number | null;
    userTypeId: number | null;
    preferredLanguage: string | null;
    passwordHash: string | null;
    sso: Generated<number>;
    createdAt: number;
    updatedAt: number;
  };
  departments: DirectoryTable;
  userTypes: DirectoryTable;
  tokens: {
    id: string;
    tenantId: string;
    kind: string;
    name: string;
    description: string | null;
    hash: string;
    hint: string;
    permissions: string;
    resources: string;
    userId: number;
    createdBy: number | null;
    departmentId: number | null;
    userTypeId: number | null;
    createdAt: number;
    expiresAt: number;
    revokedAt: number | null;
    lastUsedAt: number | null;
    lastUsedIp: string | null;
    useCount: Generated<number>;
    ciphertext: string | null;
    parentId: string | null;
    clientId: string | null;
    sourceId: string | null;
    familyId: string | null;
    reportId: string | null;
    sessionType: string | null;
    deviceName: string | null;
  };
  reports: {
    tenantId: string;
    id: string;
    name: string;
    description: string | null;
    viewerUrl: string | null;
    createdBy: number | null;
    createdAt: number;
    updatedAt: number;
  };
  oauthClients: {
    id: string;
    tenantId: string;
    name: string;
    secretHash: string;
    secretHint: string;
    permissions: string;
    userId: number;
    accessTokenLifespan: number | null;
    createdBy: number | null;
    createdAt: number;
    secretRotatedAt: number | null;
  };
  signingKeys: {
    kid: string;
    alg: string;
    publicJwk: string;
    privateJwk: string;
    createdAt: number;
    retiredAt: number | null;
  };
  settings: { tenantId: string; key: string; value: string; updatedAt: number };
  permissions: { tenantId: string; name: string; label: string; description: string; createdAt: number };
  auditEvents: {
    id: Generated<number>;
    tenantId: string;
    at: number;
    actorUserId: number | null;
    actorTokenId: string | null;
    action: string;
    targetType: string | null;
    targetId: string | null;
    ip: string | null;
    details: string | null;
  };
}

interface DirectoryTable {
  id: Generated<number>;
  tenantId: string;
  name: string;
  description: string | null;
  createdAt: number;
}
