import type { components, operations, paths } from './schema';

type Schemas = components['schemas'];
export type Token = Schemas['Token'];
export type TokenDetails = Schemas['TokenDetails'];
export type CreatedToken = Schemas['CreatedToken'];
export type User = Schemas['User'];
export type DirectoryEntry = Schemas['DirectoryEntry'];
export type Permission = Schemas['Permission'];
export type AuditEvent = Schemas['AuditEvent'];
export type Settings = Schemas['Settings'];
export type TokenKind = Token['kind'];
export type TokenStatus = Token['status'];

export type TokenListQuery = NonNullable<paths['/api/tokens']['get']['parameters']['query']>;
export type CreateTokenBody = NonNullable<
  paths['/api/tokens']['post']['requestBody']
>['content']['application/json'];
export type AuditQuery = NonNullable<paths['/api/audit']['get']['parameters']['query']>;
export type { operations };
