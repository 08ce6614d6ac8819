import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { Token } from '../../api/types.ts';
import { SelectAllHeader, SelectCell } from '../../components/SelectionCells.tsx';
import { SortHeader } from '../../components/SortHeader.tsx';
import { ExpiryCell, StatusBadge } from '../../components/TokenBadges.tsx';
import { formatDate, formatDateTime, KIND_LABELS } from '../../lib/format.ts';
import type { TokenFilters } from './token-filters.ts';

export interface TokenNames {
  user: (id: number) => string;
  department: (id: number | null) => string;
  userType: (id: number | null) => string;
}

interface TokenTableProps {
  tokens: Token[];
  names: TokenNames;
  selected: Set<string>;
  onSelect: (ids: string[], selected: boolean) => void;
  sort: Pick<TokenFilters, 'sort' | 'order'>;
  onSort: (sort: TokenFilters['sort']) => void;
  /** Where a row's link goes (keeps the list's filters in the address). */
  inspectHref: (id: string) => string;
  onOpen: (id: string) => void;
}

/**
 * The token list: a checkbox per row for bulk revocation, and the name as a link to the inspect view (the
 * whole row opens it on click, the link is what keyboard users tab to).
 */
export function TokenTable({
  tokens,
  names,
  selected,
  onSelect,
  sort,
  onSort,
  inspectHref,
  onOpen,
}: TokenTableProps) {
  const selectable = tokens.filter((t) => t.status === 'active').map((t) => t.id);
  return (
    <Table.ScrollContainer minWidth={980}>
      <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="sm" fz="sm">
        <Table.Thead>
          <Table.Tr>
            <SelectAllHeader
              label="Select all active tokens on this page"
              ids={selectable}
              selected={selected}
              onSelect={onSelect}
            />
            <SortHeader label="Name" column="name" sort={sort} onSort={onSort} />
            <Table.Th>Kind</Table.Th>
            <Table.Th>User</Table.Th>
            <Table.Th>Department</Table.Th>
            <Table.Th>User type</Table.Th>
            <SortHeader label="Created" column="createdAt" sort={sort} onSort={onSort} />
            <SortHeader label="Expires" column="expiresAt" sort={sort} onSort={onSort} />
            <Table.Th>Last used</Table.Th>
            <Table.Th>Status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.map((token) => (
            <Table.Tr
              key={token.id}
              onClick={(event) => {
                // Clicks on the checkbox or the link do their own thing.
                if ((event.target as HTMLElement).closest('input, a, button, label')) return;
                onOpen(token.id);
              }}
              style={{ cursor: 'pointer' }}
              bg={selected.has(token.id) ? 'var(--mantine-color-blue-light)' : undefined}
            >
              <SelectCell
                label={`Select ${token.name}`}
                id={token.id}
                selected={selected}
                disabled={token.status !== 'active'}
                onSelect={onSelect}
              />
              <Table.Td maw={260}>
                <Anchor component={Link} to={inspectHref(token.id)} fw={600} fz="sm">
                  {token.name}
                </Anchor>
                <Text size="xs" c="dimmed" ff="monospace" truncate>
                  {token.hint}
                </Text>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{KIND_LABELS[token.kind]}</Table.Td>
              <Table.Td>{names.user(token.userId)}</Table.Td>
              <Table.Td>{names.department(token.departmentId)}</Table.Td>
              <Table.Td>{names.userType(token.userTypeId)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }} title={formatDateTime(token.createdAt)}>
                {formatDate(token.createdAt)}
              </Table.Td>
              <Table.Td>
                <ExpiryCell expiresAt={token.expiresAt} status={token.status} />
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }} title={formatDateTime(token.lastUsedAt)}>
                {formatDate(token.lastUsedAt, 'Never')}
              </Table.Td>
              <Table.Td>
                <StatusBadge status={token.status} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
