import { type TSchema, Type } from 'typebox';
import type { AuditEvent, DirectoryEntry } from '../core/model.ts';
import { SETTINGS } from '../core/settings.ts';
import { TOKEN_KINDS } from '../core/token-format.ts';
import type { TokenDetails, TokenView } from '../core/tokens.ts';
import type { UserView } from '../core/users.ts';

/** Wire shapes of the management API (TypeBox, so they validate, serialize and document at once). */

export const Iso = Type.String({ format: 'date-time' });
const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
export const Uuid = Type.String({ format: 'uuid' });
export const Name = Type.String({ minLength: 1, maxLength: 100 });
export const Description = Type.String({ maxLength: 1000 });
export const PermissionName = Type.String({ minLength: 3, maxLength: 100 });
export const Limit = Type.Integer({ minimum: 1, maximum: 200, default: 50 });
export const Cursor = Type.String({ maxLength: 500 });

export const TokenKindSchema = Type.Union(TOKEN_KINDS.map((k) => Type.Literal(k)));
export const TokenStatusSchema = Type.Union([
  Type.Literal('active'),
  Type.Literal('expired'),
  Type.Literal('revoked'),
]);

export const TokenJson = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    description: nullable(Type.String()),
    kind: TokenKindSchema,
    hint: Type.String({ description: 'The prefix and last four characters, to recognise the token by.' }),
    permissions: Type.Array(Type.String()),
    resources: Type.Array(Type.String()),
    userId: Type.Integer(),
    createdBy: nullable(Type.Integer()),
    departmentId: nullable(Type.Integer()),
    userTypeId: nullable(Type.Integer()),
    tenantId: Type.String(),
    createdAt: Iso,
    expiresAt: Iso,
    revokedAt: nullable(Iso),
    status: TokenStatusSchema,
    retrievable: Type.Boolean(),
    parentId: nullable(Type.String({ description: 'The token this one replaced by rotation.' })),
    lastUsedAt: nullable(Iso),
    lastUsedIp: nullable(Type.String()),
    useCount: Type.Integer(),
  },
  { $id: 'Token', title: 'Token' },
);

export const CreatedTokenJson = Type.Object(
  {
    ...TokenJson.properties,
    token: Type.String({ description: 'The token string. Shown in this response only: copy it now.' }),
  },
  { $id: 'CreatedToken', title: 'CreatedToken' },
);

export const TokenDetailsJson = Type.Object(
  {
    ...TokenJson.properties,
    user: nullable(
      Type.Object({
        id: Type.Integer(),
        username: Type.String(),
        fullName: nullable(Type.String()),
        email: nullable(Type.String()),
      }),
    ),
    department: nullable(Type.Object({ id: Type.Integer(), name: Type.String() })),
    userType: nullable(Type.Object({ id: Type.Integer(), name: Type.String() })),
    usage: Type.Object(
      { text: Type.String(), examples: Type.Array(Type.String()) },
      { description: 'How to use this token: a description and ready curl commands.' },
    ),
  },
  { $id: 'TokenDetails', title: 'TokenDetails' },
);

export const UserJson = Type.Object(
  {
    id: Type.Integer(),
    tenantId: Type.String(),
    username: Type.String(),
    email: nullable(Type.String()),
    fullName: nullable(Type.String()),
    role: Type.Union([Type.Literal('admin'), Type.Literal('member')]),
    permissions: nullable(
      Type.Array(Type.String(), { description: 'Explicit permissions; null means the role defaults.' }),
    ),
    effectivePermissions: Type.Array(Type.String(), {
      description: 'What the user holds now; * is every permission.',
    }),
    departmentId: nullable(Type.Integer()),
    userTypeId: nullable(Type.Integer()),
    preferredLanguage: nullable(Type.String()),
    sso: Type.Boolean({
      description: 'Signs in through single sign-on: refresh tokens come from the console, not a password.',
    }),
    createdAt: Iso,
    updatedAt: Iso,
  },
  { $id: 'User', title: 'User' },
);

export const DirectoryEntryJson = Type.Object(
  {
    id: Type.Integer(),
    tenantId: Type.String(),
    name: Type.String(),
    description: nullable(Type.String()),
    createdAt: Iso,
  },
  { $id: 'DirectoryEntry', title: 'DirectoryEntry' },
);

export const SettingsJson = Type.Object(
  Object.fromEntries(
    Object.entries(SETTINGS).map(([key, def]) => [
      key,
      def.type === 'boolean'
        ? Type.Boolean({ description: def.description })
        : def.type === 'string'
          ? Type.String({ description: def.description })
          : Type.Integer({
              description: `${def.description} (${'unit' in def ? def.unit : ''}, default ${def.default})`,
            }),
    ]),
  ),
  { $id: 'Settings', title: 'Settings' },
);

export const AuditEventJson = Type.Object(
  {
    id: Type.Integer(),
    at: Iso,
    action: Type.String(),
    actorUserId: nullable(Type.Integer()),
    actorTokenId: nullable(Type.String()),
    targetType: nullable(Type.String()),
    targetId: nullable(Type.String()),
    ip: nullable(Type.String()),
    details: nullable(Type.Record(Type.String(), Type.Unknown())),
  },
  { $id: 'AuditEvent', title: 'AuditEvent' },
);

export const PermissionJson = Type.Object(
  { name: Type.String(), label: Type.String(), description: Type.String(), builtIn: Type.Boolean() },
  { $id: 'Permission', title: 'Permission' },
);

/** A page of a cursor-paginated listing. */
export function pageOf(item: TSchema) {
  return Type.Object({
    items: Type.Array(item),
    nextCursor: nullable(
      Type.String({ description: 'Pass as ?cursor= for the next page; null on the last page.' }),
    ),
  });
}

export const ref = (schema: TSchema) => Type.Ref((schema as { $id?: string }).$id!);

/** A string limited to the given values (an OpenAPI enum), typed as their union. */
export function StringEnum<T extends string>(values: readonly T[], options: { description?: string } = {}) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
}

/** Every shared schema, added to the app so routes and the OpenAPI document refer to them by name. */
export const SHARED_SCHEMAS = [
  TokenJson,
  CreatedTokenJson,
  TokenDetailsJson,
  UserJson,
  DirectoryEntryJson,
  SettingsJson,
  AuditEventJson,
  PermissionJson,
];

// Formatting domain data for the wire: epoch milliseconds become ISO 8601 strings.

export const iso = (ms: number) => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export function tokenJson(t: TokenView) {
  return {
    ...t,
    createdAt: iso(t.createdAt),
    expiresAt: iso(t.expiresAt),
    revokedAt: isoOrNull(t.revokedAt),
    lastUsedAt: isoOrNull(t.lastUsedAt),
  };
}

export function tokenDetailsJson(t: TokenDetails) {
  return { ...t, ...tokenJson(t) };
}

export function userJson(u: UserView) {
  return { ...u, createdAt: iso(u.createdAt), updatedAt: iso(u.updatedAt) };
}

export function entryJson(e: DirectoryEntry) {
  return { ...e, createdAt: iso(e.createdAt) };
}

export function auditJson(e: AuditEvent) {
  return { ...e, at: iso(e.at) };
}

/** The OpenAPI security of every authenticated route: a Bearer token or a TOKEN header. */
export const security: Record<string, string[]>[] = [{ bearer: [] }, { tokenHeader: [] }];
