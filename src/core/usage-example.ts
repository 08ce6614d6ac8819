import type { TokenRecord } from './model.ts';

/**
 * Seed 004's "description of use": plain words and ready-to-run curl commands for one token, with a
 * placeholder where the token goes (the token itself is never shown again).
 */
export function describeUse(
  token: Pick<TokenRecord, 'permissions' | 'resources'>,
  baseUrl: string,
): { text: string; examples: string[] } {
  const permission = token.permissions.find((p) => p !== '*');
  const resource = token.resources[0];
  const body = JSON.stringify({
    token: '$TESSERA_TOKEN',
    ...(permission ? { permission } : {}),
    ...(resource ? { resource } : {}),
  });
  const what = [
    token.permissions.length ? `permissions ${token.permissions.join(', ')}` : null,
    token.resources.length ? `resources ${token.resources.join(', ')}` : null,
  ]
    .filter(Boolean)
    .join(' and ');
  return {
    text:
      `Send the token with each request as "Authorization: Bearer <token>" (or a TOKEN header, or ?token=). ` +
      `The receiving application checks it with one call to ${baseUrl}/api/verify; this token carries ${what || 'no permissions'}.`,
    examples: [
      `export TESSERA_TOKEN='<the token shown when it was created>'`,
      `curl -s -X POST ${baseUrl}/api/verify -H 'Content-Type: application/json' -d '${body.replace('"$TESSERA_TOKEN"', `"'"$TESSERA_TOKEN"'"`)}'`,
      `curl -s ${baseUrl}/api/verify -H "Authorization: Bearer $TESSERA_TOKEN"`,
    ],
  };
}
