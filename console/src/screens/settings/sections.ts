import type { SettingDefinition, Settings } from '../../api/types.ts';

export type SettingKey = keyof Settings;

/** One setting as the form shows it: the server's definition (GET /api/settings/_definitions). */
export type SettingField = SettingDefinition & { key: SettingKey };

export interface SettingSection {
  title: string;
  description: string;
  fields: SettingField[];
}

/**
 * How the screen groups the settings, by key only: labels, descriptions, units and limits come from the
 * server's definitions. A setting the server has and no section names lands in "Other settings".
 */
const LAYOUT: { title: string; description: string; keys: SettingKey[] }[] = [
  {
    title: 'API tokens',
    description: 'Expiry of API and personal tokens.',
    keys: ['authentication.token.api_token_default_lifespan', 'authentication.token.api_token_max_lifespan'],
  },
  {
    title: 'Sign-in',
    description: 'How long people stay signed in, and the passwords they may choose.',
    keys: [
      'authentication.mobile_session_lifespan',
      'authentication.session_lifespan',
      'authentication.password_min_length',
    ],
  },
  {
    title: 'OAuth',
    description: 'Tokens issued at /oauth/token.',
    keys: [
      'authentication.token.access_token_lifespan',
      'authentication.token.refresh_token_lifespan',
      'oauth.allow_user_credentials',
      'oauth.refresh_token_rotation',
      'oauth.jwt_access_tokens',
    ],
  },
  {
    title: 'Report sharing',
    description: 'Where report share pages may be embedded.',
    keys: ['sharing.frame_ancestors'],
  },
  {
    title: 'Cloud publishing',
    description: 'Publish report share tokens to a cloud Tessera instance.',
    keys: ['cloud.enabled', 'cloud.url', 'cloud.api_token', 'cloud.public_url', 'cloud.timeout_ms'],
  },
  {
    title: 'Outbound connections',
    description:
      'Calls this service makes (cloud publishing): https to public addresses only, unless allowed here.',
    keys: ['outbound.allow_http', 'outbound.allow_private_network'],
  },
  {
    title: 'API documentation',
    description: 'The interactive API reference.',
    keys: ['feature_flags.enable_swagger'],
  },
];

/** The server's definitions in the screen's sections, in the layout's order. */
export function groupSettings(definitions: SettingDefinition[]): SettingSection[] {
  const byKey = new Map(definitions.map((d) => [d.key, d as SettingField]));
  const sections = LAYOUT.map(({ title, description, keys }) => ({
    title,
    description,
    fields: keys.flatMap((key) => byKey.get(key) ?? []),
  }));
  const placed = new Set<string>(LAYOUT.flatMap((s) => s.keys));
  const others = definitions.filter((d) => !placed.has(d.key)) as SettingField[];
  if (others.length) sections.push({ title: 'Other settings', description: '', fields: others });
  return sections.filter((s) => s.fields.length > 0);
}
