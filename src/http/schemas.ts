import { type TSchema, Type } from 'typebox';
import type { ReportToken } from '../core/cloud-port.ts';
import type { AuditEvent, DirectoryEntry, Report } from '../core/model.ts';
import type { SessionView } from '../core/sessions.ts';
import { SETTINGS } from '../core/settings.ts';
import { NAME_PATTERN, TEXT_PATTERN } from '../core/text.ts';
import { TOKEN_KINDS } from '../core/token-format.ts';
import type { TokenDetails, TokenView } from '../core/tokens.ts';
import type { UserView } from '../core/users.ts';

/** Wire shapes of the management API (TypeBox, so they validate, serialize and document at once). */

export const Iso = Type.String({ format: 'date-time' });
const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
export const Uuid = Type.String({ format: 'uuid' });
/** One line of text a person reads (a name, a label): no control, bidirectional or zero-width characters. */
export const SafeLine = (options: { minLength?: number; maxLength: number; description?: string }) =>
  Type.String({ ...options, pattern: NAME_PATTERN });
/** Free text (a description): as {@link SafeLine}, but tabs and line breaks are allowed. */
export const SafeText = (options: { maxLength: number; description?: string }) =>
  Type.String({ ...options, pattern: TEXT_PATTERN });
export const Name = SafeLine({ minLength: 1, maxLength: 100 });
export const Description = SafeText({ maxLength: 1000 });
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
    reportId: nullable(Type.String({ description: 'The report a share token (kind shr) opens.' })),
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
    url: Type.Optional(
      Type.String({ description: 'Report share tokens only: the share link, <base URL>/view/<token>.' }),
    ),
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

export const SettingDefinitionJson = Type.Object(
  {
    key: Type.String({ description: 'The dotted key, as in GET /api/settings.' }),
    label: Type.String({ description: 'A short name for forms.' }),
    description: Type.String(),
    type: StringEnum(['integer', 'boolean', 'string'] as const),
    default: Type.Union([Type.Integer(), Type.Boolean(), Type.String()]),
    unit: Type.Optional(StringEnum(['days', 'hours', 'milliseconds', 'characters'] as const)),
    min: Type.Optional(Type.Integer()),
    max: Type.Optional(Type.Integer()),
    atMost: Type.Optional(
      Type.String({ description: 'Another setting (same unit) whose value this one may not exceed.' }),
    ),
    maxLength: Type.Optional(Type.Integer({ description: 'For strings: the most characters allowed.' })),
    format: Type.Optional(
      StringEnum(['url', 'origins'] as const, {
        description:
          'url: an http(s) URL without query or fragment, or empty; origins: space-separated origins.',
      }),
    ),
    example: Type.Optional(Type.String()),
    secret: Type.Boolean({ description: 'A credential: GET /api/settings shows it masked once set.' }),
  },
  { $id: 'SettingDefinition', title: 'SettingDefinition' },
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

const Named = Type.Object({ id: Type.Integer(), name: Type.String() });

/** Seed 004's "Mobile Users Logged In" row: a sign-in session with its user and last activity. */
export const SessionJson = Type.Object(
  {
    id: Uuid,
    type: StringEnum(['mobile', 'console'] as const, { description: 'Where the session was opened.' }),
    userId: Type.Integer(),
    username: nullable(Type.String({ description: 'Null when the user has since been deleted.' })),
    email: nullable(Type.String()),
    department: nullable(Named),
    userType: nullable(Named),
    deviceName: nullable(Type.String({ description: 'The device a mobile session was opened on.' })),
    lastActiveAt: Type.String({
      format: 'date-time',
      description: 'The last request made with the session, or its sign-in when there was none.',
    }),
    expiresAt: Iso,
    createdAt: Iso,
    status: TokenStatusSchema,
  },
  { $id: 'Session', title: 'Session' },
);

export const OwnSessionJson = Type.Object(
  {
    ...SessionJson.properties,
    current: Type.Boolean({ description: 'The session this request is made with.' }),
  },
  { $id: 'OwnSession', title: 'OwnSession' },
);

/**
 * A report id: one URL path segment such as `team:sales-dashboard`. Its characters are checked by the core
 * (REPORT_ID_PATTERN), which says what is wrong in words rather than as a regular expression.
 */
export const ReportId = Type.String({
  minLength: 1,
  maxLength: 200,
  description: 'A report id such as team:sales-dashboard: letters, digits and . _ : - (no /, not only dots).',
});

export const ReportJson = Type.Object(
  {
    id: ReportId,
    tenantId: Type.String(),
    name: Type.String(),
    description: nullable(Type.String()),
    viewerUrl: nullable(
      Type.String({ description: 'Where the report is rendered; {token} and {reportId} are filled in.' }),
    ),
    createdBy: nullable(Type.Integer()),
    createdAt: Iso,
    updatedAt: Iso,
  },
  { $id: 'Report', title: 'Report' },
);

/** Seed 001's share token as a report's listing shows it, local or on the cloud. */
export const ReportTokenJson = Type.Object(
  {
    id: Type.String(),
    type: Type.Literal('report'),
    reportId: Type.String(),
    token: Type.String({ description: 'The token string (share tokens are retrievable).' }),
    cloud: Type.Boolean({ description: 'True for a token held by the cloud instance.' }),
    url: Type.Optional(Type.String({ description: 'The share link: <public URL>/view/<token>.' })),
    name: Type.String(),
    createdAt: Iso,
    expiresAt: Iso,
    _links: Type.Object({ self: Type.Object({ href: Type.String() }) }),
  },
  { $id: 'ReportToken', title: 'ReportToken' },
);

export const ReportTokenListJson = Type.Object(
  {
    tokens: Type.Array(Type.Ref('ReportToken')),
    warning: nullable(
      Type.Object(
        { code: Type.String(), message: Type.String() },
        { description: "Why the cloud's tokens are missing; null when they are not." },
      ),
    ),
  },
  { $id: 'ReportTokenList', title: 'ReportTokenList' },
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
  SettingDefinitionJson,
  AuditEventJson,
  PermissionJson,
  ReportJson,
  ReportTokenJson,
  ReportTokenListJson,
  SessionJson,
  OwnSessionJson,
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

export function sessionJson<T extends SessionView>(s: T) {
  return {
    ...s,
    lastActiveAt: iso(s.lastActiveAt),
    expiresAt: iso(s.expiresAt),
    createdAt: iso(s.createdAt),
  };
}

export function reportJson(r: Report) {
  return { ...r, createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt) };
}

export function reportTokenJson({ href, createdAt, expiresAt, ...t }: ReportToken) {
  return { ...t, createdAt: iso(createdAt), expiresAt: iso(expiresAt), _links: { self: { href } } };
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
