import { Code, Table, Text } from '@mantine/core';
import type { AuditEvent } from '../api/types.ts';
import { formatDateTime } from '../lib/format.ts';

interface AuditTableProps {
  events: AuditEvent[];
  /** user id → name, for the "By" column. */
  userNames: Map<number, string>;
  /** Hides the target column where every row has the same target (a token's own trail). */
  showTarget?: boolean;
  caption: string;
}

/** Audit events: when, what, by whom, from where, and the details the server recorded. */
export function AuditTable({ events, userNames, showTarget = true, caption }: AuditTableProps) {
  return (
    <Table.ScrollContainer minWidth={showTarget ? 720 : 480}>
      <Table striped verticalSpacing="xs" fz="sm">
        <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>By</Table.Th>
            <Table.Th>IP</Table.Th>
            {showTarget ? <Table.Th>Target</Table.Th> : null}
            <Table.Th>Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((event) => (
            <Table.Tr key={event.id}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(event.at)}</Table.Td>
              <Table.Td>
                <Code>{event.action}</Code>
              </Table.Td>
              <Table.Td>
                {event.actorUserId === null
                  ? event.actorTokenId === 'cli'
                    ? 'Command line'
                    : 'System'
                  : (userNames.get(event.actorUserId) ?? `User #${event.actorUserId}`)}
              </Table.Td>
              <Table.Td>{event.ip ?? '—'}</Table.Td>
              {showTarget ? (
                <Table.Td>
                  <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                    {event.targetType ? `${event.targetType} ${event.targetId ?? ''}` : '—'}
                  </Text>
                </Table.Td>
              ) : null}
              <Table.Td>
                {event.details && Object.keys(event.details).length ? (
                  <Code style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                    {JSON.stringify(event.details)}
                  </Code>
                ) : (
                  '—'
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
