import { Code, Group, Paper, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { ReactNode } from 'react';
import type { Token } from '../../api/types.ts';
import { ExpiryCell, StatusBadge } from '../../components/TokenBadges.tsx';
import { formatDate } from '../../lib/format.ts';

interface OwnTokenListProps {
  tokens: Token[];
  caption: string;
  /** The buttons for one token (Revoke, Regenerate), labelled with its name. */
  actions: (token: Token) => ReactNode;
}

/** The signed-in user's own tokens: a table on wide screens, one card per token on a phone. */
export function OwnTokenList({ tokens, caption, actions }: OwnTokenListProps) {
  const narrow = useMediaQuery('(max-width: 48em)') ?? false;
  if (narrow) {
    return (
      <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={caption}>
        {tokens.map((token) => (
          <Paper key={token.id} component="li" withBorder p="sm">
            <Stack gap={4}>
              <Group justify="space-between" wrap="nowrap" align="start">
                <Text fw={600} size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {token.name}
                </Text>
                <StatusBadge status={token.status} />
              </Group>
              <Text size="xs" c="dimmed">
                <Code>{token.hint}</Code> · created {formatDate(token.createdAt)} · last used{' '}
                {formatDate(token.lastUsedAt, 'never')}
              </Text>
              <Group gap="xs" wrap="wrap">
                <Text size="xs" c="dimmed">
                  Expires
                </Text>
                <ExpiryCell expiresAt={token.expiresAt} status={token.status} />
              </Group>
              {token.status === 'active' ? <Group gap="xs">{actions(token)}</Group> : null}
            </Stack>
          </Paper>
        ))}
      </Stack>
    );
  }
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="xs" fz="sm" highlightOnHover>
        <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Token</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Expires</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.map((token) => (
            <Table.Tr key={token.id}>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{token.name}</Table.Td>
              <Table.Td>
                <Code>{token.hint}</Code>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(token.createdAt)}</Table.Td>
              <Table.Td>
                <ExpiryCell expiresAt={token.expiresAt} status={token.status} />
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(token.lastUsedAt, 'Never')}</Table.Td>
              <Table.Td>
                <StatusBadge status={token.status} />
              </Table.Td>
              <Table.Td>
                {token.status === 'active' ? (
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    {actions(token)}
                  </Group>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
