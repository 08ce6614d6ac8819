import { Type } from 'typebox';
import { ERROR_CODES, type ErrorCode } from '../core/errors.ts';
import type { TokenView } from '../core/tokens.ts';
import { Iso, iso, isoOrNull, TokenStatusSchema } from './schemas.ts';

/** Wire shapes of seed 003's `/integration/v1` family: snake_case fields, as its clients read them. */

/** Seed 003's error body: `{ detail, code }`, a readable sentence and a stable code from the one error table. */
export const IntegrationErrorBody = Type.Object(
  {
    detail: Type.String({ description: 'What went wrong, in a sentence; names the field at fault.' }),
    code: Type.Unsafe<ErrorCode>({ type: 'string', enum: Object.keys(ERROR_CODES) }),
  },
  { $id: 'IntegrationErrorBody', title: 'IntegrationError' },
);

const UserIdOut = Type.Integer({ description: 'The user the token belongs to.' });
const Status = {
  ...TokenStatusSchema,
  description: 'active, expired or revoked, at the time of the response.',
};

export const RefreshTokenObject = Type.Object(
  {
    refresh_token: Type.String({ description: 'The refresh token (tsr_rt_…). Keep it secret.' }),
    user_id: UserIdOut,
    created_at: Iso,
    name: Type.String(),
    token_expires_at: Iso,
    token_status: Status,
    last_used_at: Type.Union([Iso, Type.Null()], {
      description: 'When it last minted an access token; null if never.',
    }),
  },
  { $id: 'RefreshToken', title: 'RefreshToken' },
);

export const RevokedAccessTokensObject = Type.Object(
  {
    ...RefreshTokenObject.properties,
    access_tokens_revoked: Type.Integer({ description: 'How many active access tokens this call revoked.' }),
  },
  { $id: 'RefreshTokenWithRevokedCount', title: 'RefreshTokenWithRevokedCount' },
);

export const AccessTokenObject = Type.Object(
  {
    api_access_token: Type.String({
      description: 'The access token (tsr_at_…), for a TOKEN or Bearer header.',
    }),
    user_id: UserIdOut,
    created_at: Iso,
    token_expires_at: Iso,
    token_status: Status,
  },
  { $id: 'APIAccessToken', title: 'APIAccessToken' },
);

/** Every schema of this family, added to the app so the OpenAPI document names them. */
export const INTEGRATION_SCHEMAS = [
  IntegrationErrorBody,
  RefreshTokenObject,
  RevokedAccessTokensObject,
  AccessTokenObject,
];

/** A refresh token on the wire; `secret` is the token string the caller sent or was just given. */
export function refreshTokenObject(view: TokenView, secret: string) {
  return {
    refresh_token: secret,
    user_id: view.userId,
    created_at: iso(view.createdAt),
    name: view.name,
    token_expires_at: iso(view.expiresAt),
    token_status: view.status,
    last_used_at: isoOrNull(view.lastUsedAt),
  };
}

/** An access token on the wire. */
export function accessTokenObject(view: TokenView, secret: string) {
  return {
    api_access_token: secret,
    user_id: view.userId,
    created_at: iso(view.createdAt),
    token_expires_at: iso(view.expiresAt),
    token_status: view.status,
  };
}
