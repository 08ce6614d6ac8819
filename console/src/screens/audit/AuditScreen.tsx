import { Button, Collapse, Paper, Stack, Text, Title } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useEffect } from 'react';
import { useAuditLog } from '../../api/hooks/audit.ts';
import { namesById, userName, useUsers } from '../../api/hooks/directory.ts';
import { isAdmin, useMe } from '../../api/hooks/session.ts';
import { AuditTable } from '../../components/AuditTable.tsx';
import { CursorPager, useCursorPages } from '../../components/CursorPager.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { AuditFilterBar } from './AuditFilterBar.tsx';
import { AUDIT_FILTER_DEFAULTS, toAuditQuery, useAuditFilters } from './audit-filters.ts';

const PAGE_SIZE = 50;

/** The tenant's audit log, newest first, with filters kept in the address (administrators with audit:read). */
export function AuditScreen() {
  const { filters, update } = useAuditFilters();
  const pages = useCursorPages();
  const narrow = useMediaQuery('(max-width: 48em)') ?? false;
  const [filtersOpen, { toggle: toggleFilters }] = useDisclosure(false);
  const filterKey = JSON.stringify(filters);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a filter change starts again at page 1
  useEffect(() => pages.reset(), [filterKey]);

  const log = useAuditLog(toAuditQuery(filters, pages.cursor, PAGE_SIZE));
  // Names for the "By" column and the actor filter need users:read; without it ids are shown.
  const readsUsers = isAdmin(useMe().data, 'users:read');
  const users = useUsers(readsUsers);
  const filtered = filterKey !== JSON.stringify(AUDIT_FILTER_DEFAULTS);
  const events = log.data?.items ?? [];

  return (
    <Stack>
      <div>
        <Title order={2}>Audit log</Title>
        <Text size="sm" c="dimmed">
          Every change and sign-in, newest first. Dates are whole days in UTC.
        </Text>
      </div>
      {narrow ? (
        <Button variant="default" onClick={toggleFilters} aria-expanded={filtersOpen} w="fit-content">
          {filtersOpen ? 'Hide filters' : 'Filters'}
        </Button>
      ) : null}
      <Collapse expanded={!narrow || filtersOpen}>
        <AuditFilterBar filters={filters} onChange={update} users={readsUsers ? (users.data ?? []) : null} />
      </Collapse>
      <ErrorAlert error={log.error} title="Could not load the audit log" onRetry={log.refetch} />
      {log.isLoading ? <Loading label="Loading the audit log…" /> : null}
      {log.data && events.length === 0 ? (
        <EmptyState
          title={filtered ? 'No audit events match these filters' : 'No audit events yet'}
          hint={filtered ? 'Clear the filters to see every event.' : undefined}
        />
      ) : null}
      {events.length ? (
        <Paper withBorder={!narrow} bg={narrow ? 'transparent' : undefined} aria-busy={log.isFetching}>
          <AuditTable
            events={events}
            userNames={namesById(users.data, userName)}
            caption={`Audit events, page ${pages.page}`}
            expandableDetails
          />
        </Paper>
      ) : null}
      <CursorPager pages={pages} query={log} />
    </Stack>
  );
}
