import { Badge, Button, CopyButton, Group, Paper, Stack, Text } from '@mantine/core';
import type { ReportToken } from '../../api/types.ts';
import { formatDate } from '../../lib/format.ts';
import { embedCode } from './report-links.ts';

interface ShareTokenListProps {
  tokens: ReportToken[];
  onRevoke: (token: ReportToken) => void;
  /** Whether the signed-in user may revoke cloud tokens (admins with tokens:manage). */
  canRevokeCloud: boolean;
}

function CopyAction({ value, label, name }: { value: string | undefined; label: string; name: string }) {
  if (!value) return null;
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Button
          size="compact-sm"
          variant={copied ? 'light' : 'default'}
          color={copied ? 'teal' : undefined}
          onClick={copy}
          aria-label={copied ? `Copied: ${label.toLowerCase()} for ${name}` : `${label} for ${name}`}
        >
          {copied ? 'Copied' : label}
        </Button>
      )}
    </CopyButton>
  );
}

/** A report's share tokens, local and cloud, each with its link, "Copy link", "Copy embed code" and "Revoke". */
export function ShareTokenList({ tokens, onRevoke, canRevokeCloud }: ShareTokenListProps) {
  return (
    <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Share tokens">
      {tokens.map((token) => (
        <Paper key={`${token.cloud}-${token.id}`} component="li" withBorder p="sm" aria-label={token.name}>
          <Stack gap={6}>
            <Group justify="space-between" wrap="wrap" gap="xs">
              <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                <Text fw={600} size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {token.name}
                </Text>
                <Badge variant="light" color={token.cloud ? 'violet' : 'gray'} miw="max-content">
                  {token.cloud ? 'Cloud' : 'Local'}
                </Badge>
              </Group>
              <Text size="xs" c="dimmed">
                Created {formatDate(token.createdAt)} · expires {formatDate(token.expiresAt)}
              </Text>
            </Group>
            <Text
              size="xs"
              ff="monospace"
              c={token.url ? undefined : 'dimmed'}
              style={{ overflowWrap: 'anywhere' }}
            >
              {token.url ?? 'No share link: the cloud did not return one.'}
            </Text>
            <Group gap="xs" wrap="wrap">
              <CopyAction value={token.url} label="Copy link" name={token.name} />
              <CopyAction
                value={token.url && embedCode(token.url)}
                label="Copy embed code"
                name={token.name}
              />
              {!token.cloud || canRevokeCloud ? (
                <Button
                  size="compact-sm"
                  variant="light"
                  color="red"
                  aria-label={`Revoke ${token.name}`}
                  onClick={() => onRevoke(token)}
                >
                  Revoke
                </Button>
              ) : null}
            </Group>
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}
