import { Anchor, Checkbox, Group, Paper, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { Token } from '../../api/types.ts';
import { ExpiryCell, StatusBadge } from '../../components/TokenBadges.tsx';
import { formatDate, KIND_LABELS } from '../../lib/format.ts';
import type { TokenNames } from './TokenTable.tsx';

interface TokenCardsProps {
  tokens: Token[];
  names: TokenNames;
  selected: Set<string>;
  onSelect: (ids: string[], selected: boolean) => void;
  inspectHref: (id: string) => string;
}

/** The token list on a phone: one card per token with the same facts and controls as a table row. */
export function TokenCards({ tokens, names, selected, onSelect, inspectHref }: TokenCardsProps) {
  return (
    <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Tokens">
      {tokens.map((token) => (
        <Paper
          key={token.id}
          component="li"
          withBorder
          p="sm"
          bg={selected.has(token.id) ? 'var(--mantine-color-blue-light)' : undefined}
        >
          <Group align="start" wrap="nowrap" gap="sm">
            <Checkbox
              mt={4}
              aria-label={`Select ${token.name}`}
              checked={selected.has(token.id)}
              disabled={token.status !== 'active'}
              onChange={(event) => onSelect([token.id], event.currentTarget.checked)}
            />
            <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
              <Group justify="space-between" wrap="nowrap" align="start">
                <Anchor component={Link} to={inspectHref(token.id)} fw={600} fz="sm">
                  {token.name}
                </Anchor>
                <StatusBadge status={token.status} />
              </Group>
              <Text size="xs" c="dimmed">
                {KIND_LABELS[token.kind]} · {names.user(token.userId)}
                {token.departmentId !== null ? ` · ${names.department(token.departmentId)}` : ''}
                {token.userTypeId !== null ? ` · ${names.userType(token.userTypeId)}` : ''}
              </Text>
              <Group gap="xs" wrap="wrap">
                <Text size="xs" c="dimmed">
                  Expires
                </Text>
                <ExpiryCell expiresAt={token.expiresAt} status={token.status} />
              </Group>
              <Text size="xs" c="dimmed">
                Created {formatDate(token.createdAt)} · last used {formatDate(token.lastUsedAt, 'never')}
              </Text>
            </Stack>
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}
