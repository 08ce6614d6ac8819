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
export type SettingDefinition = Schemas['SettingDefinition'];
export type Report = Schemas['Report'];
export type ReportToken = Schemas['ReportToken'];
export type TokenKind = Token['kind'];
export type TokenStatus = Token['status'];

export type TokenListQuery = NonNullable<paths['/api/tokens']['get']['parameters']['query']>;
export type CreateTokenBody = NonNullable<
  paths['/api/tokens']['post']['requestBody']
>['content']['application/json'];
export type Session = Schemas['Session'];
export type SessionListQuery = NonNullable<paths['/api/sessions']['get']['parameters']['query']>;
export type OAuthClient =
  paths['/api/clients']['get']['responses'][200]['content']['application/json']['items'][number];
export type CreatedOAuthClient =
  paths['/api/clients']['post']['responses'][201]['content']['application/json'];
export type CreateClientBody = NonNullable<
  paths['/api/clients']['post']['requestBody']
>['content']['application/json'];
export type ProfileChanges = NonNullable<
  paths['/api/me']['patch']['requestBody']
>['content']['application/json'];
export type PersonalTokenBody = NonNullable<
  paths['/api/me/tokens']['post']['requestBody']
>['content']['application/json'];
export type NewReport = NonNullable<
  paths['/api/reports']['post']['requestBody']
>['content']['application/json'];
export type AuditQuery = NonNullable<paths['/api/audit']['get']['parameters']['query']>;
export type { operations };
export type UserListQuery = NonNullable<paths['/api/users']['get']['parameters']['query']>;
export type NewUser = NonNullable<paths['/api/users']['post']['requestBody']>['content']['application/json'];
export type UserChanges = NonNullable<
  paths['/api/users/{id}']['patch']['requestBody']
>['content']['application/json'];
export type DirectoryEntryBody = NonNullable<
  paths['/api/departments']['post']['requestBody']
>['content']['application/json'];
