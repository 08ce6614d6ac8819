import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { Session } from '../../api/types.ts';
import { SelectAllHeader, SelectCell } from '../../components/SelectionCells.tsx';
import { nextSort, SortHeader } from '../../components/SortHeader.tsx';
import { ExpiryCell, StatusBadge } from '../../components/TokenBadges.tsx';
import { formatDateTime } from '../../lib/format.ts';
import type { SessionFilters } from './session-filters.ts';

type Sort = Pick<SessionFilters, 'sort' | 'order'>;

interface SessionTableProps {
  sessions: Session[];
  selected: Set<string>;
  onSelect: (ids: string[], selected: boolean) => void;
  sort: Sort;
  onSort: (sort: Sort) => void;
  inspectHref: (id: string) => string;
  onOpen: (id: string) => void;
}

/** The user a session belongs to, as the list and the inspect view name it. */
export const sessionUser = (session: Session) => session.username ?? `User #${session.userId}`;

/**
 * Seed 004's "Mobile Users Logged In": a checkbox per active session for bulk revocation, the user name as
 * the link to the inspect view (the whole row opens it on click).
 */
export function SessionTable({
  sessions,
  selected,
  onSelect,
  sort,
  onSort,
  inspectHref,
  onOpen,
}: SessionTableProps) {
  const selectable = sessions.filter((s) => s.status === 'active').map((s) => s.id);
  const sortBy = (column: Sort['sort']) => onSort(nextSort(sort, column));
  return (
    <Table.ScrollContainer minWidth={960}>
      <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="xs" fz="sm">
        <Table.Thead>
          <Table.Tr>
            <SelectAllHeader
              label="Select all active sessions on this page"
              ids={selectable}
              selected={selected}
              onSelect={onSelect}
            />
            <Table.Th style={{ whiteSpace: 'nowrap' }}>User name</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th>Department</Table.Th>
            <Table.Th style={{ whiteSpace: 'nowrap' }}>User type</Table.Th>
            <Table.Th>Device</Table.Th>
            <SortHeader label="Last active" column="lastActiveAt" sort={sort} onSort={sortBy} />
            <SortHeader label="Expires" column="expiresAt" sort={sort} onSort={sortBy} />
            <Table.Th>Status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sessions.map((session) => {
            const user = sessionUser(session);
            return (
              <Table.Tr
                key={session.id}
                onClick={(event) => {
                  if ((event.target as HTMLElement).closest('input, a, button, label')) return;
                  onOpen(session.id);
                }}
                style={{ cursor: 'pointer' }}
                bg={selected.has(session.id) ? 'var(--mantine-color-blue-light)' : undefined}
              >
                <SelectCell
                  label={`Select ${user} on ${session.deviceName ?? 'an unnamed device'}`}
                  id={session.id}
                  selected={selected}
                  disabled={session.status !== 'active'}
                  onSelect={onSelect}
                />
                <Table.Td>
                  <Anchor component={Link} to={inspectHref(session.id)} fw={600} fz="sm">
                    {user}
                  </Anchor>
                </Table.Td>
                <Table.Td>{session.email ?? '—'}</Table.Td>
                <Table.Td>{session.department?.name ?? '—'}</Table.Td>
                <Table.Td>{session.userType?.name ?? '—'}</Table.Td>
                <Table.Td maw={180}>
                  <Text size="sm" truncate title={session.deviceName ?? undefined}>
                    {session.deviceName ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td miw={110}>{formatDateTime(session.lastActiveAt)}</Table.Td>
                <Table.Td>
                  <ExpiryCell expiresAt={session.expiresAt} status={session.status} />
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={session.status} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
