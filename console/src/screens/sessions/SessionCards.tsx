import { Anchor, Checkbox, Group, Paper, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { Session } from '../../api/types.ts';
import { ExpiryCell, StatusBadge } from '../../components/TokenBadges.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { sessionUser } from './SessionTable.tsx';

interface SessionCardsProps {
  sessions: Session[];
  selected: Set<string>;
  onSelect: (ids: string[], selected: boolean) => void;
  inspectHref: (id: string) => string;
}

/** The mobile session list on a phone: one card per session with the same facts and controls as a row. */
export function SessionCards({ sessions, selected, onSelect, inspectHref }: SessionCardsProps) {
  return (
    <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Mobile sessions">
      {sessions.map((session) => {
        const user = sessionUser(session);
        const where = [session.department?.name, session.userType?.name].filter(Boolean).join(' · ');
        return (
          <Paper
            key={session.id}
            component="li"
            withBorder
            p="sm"
            bg={selected.has(session.id) ? 'var(--mantine-color-blue-light)' : undefined}
          >
            <Group align="start" wrap="nowrap" gap="sm">
              <Checkbox
                mt={4}
                aria-label={`Select ${user} on ${session.deviceName ?? 'an unnamed device'}`}
                checked={selected.has(session.id)}
                disabled={session.status !== 'active'}
                onChange={(event) => onSelect([session.id], event.currentTarget.checked)}
              />
              <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
                <Group justify="space-between" wrap="nowrap" align="start">
                  <Anchor component={Link} to={inspectHref(session.id)} fw={600} fz="sm">
                    {user}
                  </Anchor>
                  <StatusBadge status={session.status} />
                </Group>
                <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                  {session.deviceName ?? 'Unnamed device'}
                  {session.email ? ` · ${session.email}` : ''}
                </Text>
                {where ? (
                  <Text size="xs" c="dimmed">
                    {where}
                  </Text>
                ) : null}
                <Group gap="xs" wrap="wrap">
                  <Text size="xs" c="dimmed">
                    Expires
                  </Text>
                  <ExpiryCell expiresAt={session.expiresAt} status={session.status} />
                </Group>
                <Text size="xs" c="dimmed">
                  Last active {formatDateTime(session.lastActiveAt)}
                </Text>
              </Stack>
            </Group>
          </Paper>
        );
      })}
    </Stack>
  );
}
