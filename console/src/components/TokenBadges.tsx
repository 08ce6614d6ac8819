import { Badge, Group, Text } from '@mantine/core';
import type { TokenStatus } from '../api/types.ts';
import { expiryState, formatDate } from '../lib/format.ts';

const STATUS_COLORS: Record<TokenStatus, string> = { active: 'green', expired: 'gray', revoked: 'red' };

export function StatusBadge({ status }: { status: TokenStatus }) {
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" miw="max-content">
      {status}
    </Badge>
  );
}

/** The expiry date, with "expired" or "expires soon" next to it while the token is not revoked. */
export function ExpiryCell({ expiresAt, status }: { expiresAt: string; status: TokenStatus }) {
  const state = status === 'revoked' ? 'ok' : expiryState(expiresAt);
  return (
    <Group gap={4} wrap="wrap" style={{ rowGap: 2 }}>
      <Text size="sm" title={expiresAt} style={{ whiteSpace: 'nowrap' }}>
        {formatDate(expiresAt)}
      </Text>
      {state === 'expired' ? (
        <Badge color="gray" variant="outline" size="sm" miw="max-content">
          expired
        </Badge>
      ) : null}
      {state === 'soon' ? (
        <Badge color="orange" variant="light" size="sm" miw="max-content">
          expires soon
        </Badge>
      ) : null}
    </Group>
  );
}
