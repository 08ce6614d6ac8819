import { Button, Code, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { Fragment, useState } from 'react';
import type { AuditEvent } from '../api/types.ts';
import { formatDateTime } from '../lib/format.ts';
import { AuditCards } from './AuditCards.tsx';
import { actorName, detailsLabel, hasDetails, targetText } from './audit-format.ts';

interface AuditTableProps {
  events: AuditEvent[];
  /** user id → name, for the "By" column. */
  userNames: Map<number, string>;
  /** Hides the target column where every row has the same target (a token's own trail). */
  showTarget?: boolean;
  /** Details behind a "Show details" button, as indented JSON in a row of their own (the full audit log). */
  expandableDetails?: boolean;
  caption: string;
}

/**
 * Audit events: when, what, by whom, from where, and the details the server recorded. A table on wide
 * screens; stacked cards on narrow ones (phones), where a table would scroll sideways.
 */
export function AuditTable({
  events,
  userNames,
  showTarget = true,
  expandableDetails = false,
  caption,
}: AuditTableProps) {
  const [open, setOpen] = useState<Set<number>>(new Set());
  const toggle = (id: number) =>
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const narrow = useMediaQuery('(max-width: 48em)') ?? false;
  const columns = showTarget ? 6 : 5;
  if (narrow)
    return (
      <AuditCards
        events={events}
        userNames={userNames}
        showTarget={showTarget}
        expandableDetails={expandableDetails}
        open={open}
        onToggle={toggle}
        caption={caption}
      />
    );
  return (
    <Table.ScrollContainer minWidth={showTarget ? 720 : 480}>
      <Table striped={!expandableDetails} verticalSpacing="xs" fz="sm">
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
            <Fragment key={event.id}>
              <Table.Tr>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(event.at)}</Table.Td>
                <Table.Td>
                  <Code>{event.action}</Code>
                </Table.Td>
                <Table.Td>{actorName(event, userNames)}</Table.Td>
                <Table.Td>{event.ip ?? '—'}</Table.Td>
                {showTarget ? (
                  <Table.Td>
                    <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                      {targetText(event)}
                    </Text>
                  </Table.Td>
                ) : null}
                <Table.Td>
                  {!hasDetails(event) ? (
                    '—'
                  ) : expandableDetails ? (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      aria-expanded={open.has(event.id)}
                      aria-controls={open.has(event.id) ? `audit-details-${event.id}` : undefined}
                      aria-label={detailsLabel(event, open.has(event.id))}
                      onClick={() => toggle(event.id)}
                    >
                      {open.has(event.id) ? 'Hide details' : 'Show details'}
                    </Button>
                  ) : (
                    <Code style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                      {JSON.stringify(event.details)}
                    </Code>
                  )}
                </Table.Td>
              </Table.Tr>
              {expandableDetails && open.has(event.id) ? (
                <Table.Tr id={`audit-details-${event.id}`}>
                  <Table.Td colSpan={columns} bg="var(--mantine-color-gray-0)">
                    <Code
                      block
                      // Sticks to the left of a table scrolled sideways (narrow screens), so it is in view.
                      style={{
                        whiteSpace: 'pre-wrap',
                        overflowWrap: 'anywhere',
                        position: 'sticky',
                        left: 0,
                        maxWidth: 'min(100%, calc(100vw - 64px))',
                      }}
                    >
                      {JSON.stringify(event.details, null, 2)}
                    </Code>
                  </Table.Td>
                </Table.Tr>
              ) : null}
            </Fragment>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
