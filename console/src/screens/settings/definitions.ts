import type { Settings } from '../../api/types.ts';

export type SettingKey = keyof Settings;

interface Common {
  key: SettingKey;
  label: string;
  description: string;
}
export type SettingField =
  | (Common & { type: 'integer'; unit: 'days' | 'hours' | 'milliseconds'; min: number; max: number })
  | (Common & { type: 'boolean' })
  | (Common & { type: 'string'; format?: 'url' | 'origins'; secret?: boolean; placeholder?: string });

export interface SettingSection {
  title: string;
  description: string;
  fields: SettingField[];
}

/**
 * The settings as the screen groups them. GET /api/settings answers values only, so labels, units and
 * bounds are repeated here from the server's definitions (src/core/settings.ts); the keys are checked
 * against the API's Settings type, and the server validates again.
 */
export const SECTIONS: SettingSection[] = [
  {
    title: 'API tokens',
    description: 'Expiry of API and personal tokens.',
    fields: [
      {
        key: 'authentication.token.api_token_default_lifespan',
        type: 'integer',
        label: 'Default token lifespan',
        description: 'Expiry of an API or personal token created without one.',
        unit: 'days',
        min: 1,
        max: 3650,
      },
      {
        key: 'authentication.token.api_token_max_lifespan',
        type: 'integer',
        label: 'Maximum token lifetime',
        description: 'Longest expiry an API or personal token may be given.',
        unit: 'days',
        min: 1,
        max: 3650,
      },
    ],
  },
  {
    title: 'Sign-in sessions',
    description: 'How long people stay signed in.',
    fields: [
      {
        key: 'authentication.mobile_session_lifespan',
        type: 'integer',
        label: 'Mobile session lifespan',
        description: 'Lifespan of a mobile app session.',
        unit: 'days',
        min: 1,
        max: 365,
      },
      {
        key: 'authentication.session_lifespan',
        type: 'integer',
        label: 'Console session lifespan',
        description: 'Lifespan of a console sign-in session.',
        unit: 'hours',
        min: 1,
        max: 720,
      },
    ],
  },
  {
    title: 'OAuth',
    description: 'Tokens issued at /oauth/token.',
    fields: [
      {
        key: 'authentication.token.access_token_lifespan',
        type: 'integer',
        label: 'Access token lifespan',
        description: 'Lifespan of API access tokens created after the change.',
        unit: 'hours',
        min: 1,
        max: 8760,
      },
      {
        key: 'authentication.token.refresh_token_lifespan',
        type: 'integer',
        label: 'Refresh token lifespan',
        description: 'Lifespan of refresh tokens created after the change.',
        unit: 'days',
        min: 1,
        max: 3650,
      },
      {
        key: 'oauth.allow_user_credentials',
        type: 'boolean',
        label: 'Accept user credentials as client credentials',
        description: "A user's username and password work as client_id and client_secret.",
      },
      {
        key: 'oauth.refresh_token_rotation',
        type: 'boolean',
        label: 'Rotate refresh tokens',
        description: 'Each refresh issues a new refresh token; reusing an old one revokes the family.',
      },
      {
        key: 'oauth.jwt_access_tokens',
        type: 'boolean',
        label: 'JWT access tokens',
        description: 'Issue access tokens as signed JWTs (RFC 9068) instead of opaque tsr_at_ tokens.',
      },
    ],
  },
  {
    title: 'Report sharing',
    description: 'Where report share pages may be embedded.',
    fields: [
      {
        key: 'sharing.frame_ancestors',
        type: 'string',
        format: 'origins',
        label: 'Allowed frame ancestors',
        description:
          'Origins that may embed /view/{token} in an iframe, separated by spaces. Empty: this instance only.',
        placeholder: 'https://intranet.example.com',
      },
    ],
  },
  {
    title: 'Cloud publishing',
    description: 'Publish report share tokens to a cloud Tessera instance.',
    fields: [
      {
        key: 'cloud.enabled',
        type: 'boolean',
        label: 'Publish to the cloud',
        description: 'Report share tokens can be published to the cloud instance below.',
      },
      {
        key: 'cloud.url',
        type: 'string',
        format: 'url',
        label: 'Cloud URL',
        description: 'The cloud instance’s base URL.',
        placeholder: 'https://cloud.example.com',
      },
      {
        key: 'cloud.api_token',
        type: 'string',
        secret: true,
        label: 'Cloud API token',
        description:
          'An API token on the cloud instance with tokens:manage, reports:read and reports:manage. Kept encrypted.',
      },
      {
        key: 'cloud.public_url',
        type: 'string',
        format: 'url',
        label: 'Public URL',
        description: 'The address share links use. Empty: the cloud URL.',
        placeholder: 'https://reports.example.com',
      },
      {
        key: 'cloud.timeout_ms',
        type: 'integer',
        label: 'Timeout',
        description:
          'How long to wait for the cloud instance before answering with local tokens and a warning.',
        unit: 'milliseconds',
        min: 100,
        max: 60000,
      },
    ],
  },
  {
    title: 'API documentation',
    description: 'The interactive API reference.',
    fields: [
      {
        key: 'feature_flags.enable_swagger',
        type: 'boolean',
        label: 'Swagger UI',
        description: 'Serve Swagger UI at /docs.',
      },
    ],
  },
];

export const FIELDS: SettingField[] = SECTIONS.flatMap((section) => section.fields);

const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

/** What is wrong with a value before it is sent, in the words shown beside the field; null when fine. */
export function checkSetting(field: SettingField, value: string | boolean): string | null {
  if (field.type === 'boolean') return null;
  const text = String(value).trim();
  if (field.type === 'integer') {
    if (!/^\d+$/.test(text)) return `Enter a whole number of ${field.unit}.`;
    const n = Number(text);
    if (n < field.min || n > field.max) return `Enter ${field.min} to ${field.max} ${field.unit}.`;
    return null;
  }
  if (text.length > 2000) return 'At most 2000 characters.';
  if (field.format === 'url' && text !== '') {
    let url: URL | undefined;
    try {
      url = new URL(text);
    } catch {
      // reported below
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash)
      return 'Enter an http or https URL without query or fragment, e.g. https://cloud.example.com.';
  }
  if (field.format === 'origins') {
    const bad = text.split(/\s+/).find((origin) => origin !== '' && !ORIGIN.test(origin));
    if (bad !== undefined) return `${bad} is not an origin such as https://intranet.example.com.`;
  }
  return null;
}
