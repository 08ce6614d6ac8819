import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useEffect } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { useDepartments, useUsers, useUserTypes } from '../../api/hooks/directory.ts';
import { isAdmin, useMe } from '../../api/hooks/session.ts';
import { useRevokeSessions, useSessionList } from '../../api/hooks/sessions.ts';
import { BulkRevoke } from '../../components/BulkRevoke.tsx';
import { CursorPager, useCursorPages } from '../../components/CursorPager.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { plural } from '../../lib/format.ts';
import { useSelection } from '../../lib/use-selection.ts';
import { SessionCards } from './SessionCards.tsx';
import { SessionFilterBar } from './SessionFilterBar.tsx';
import { SessionInspectDrawer } from './SessionInspectDrawer.tsx';
import { SessionTable } from './SessionTable.tsx';
import { toSessionQuery, useSessionFilters } from './session-filters.ts';

const PAGE_SIZE = 25;

/** Seed 004's "Mobile Users Logged In": who is signed in to the mobile app, inspect, single and bulk revoke. */
export function SessionsScreen() {
  const { id: inspectedId } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const { filters, update } = useSessionFilters();
  const pages = useCursorPages();
  const { selected, select, clear } = useSelection();
  const narrow = useMediaQuery('(max-width: 48em)') ?? false;

  const me = useMe();
  const directory = isAdmin(me.data, 'users:read');
  const users = useUsers(directory);
  const departments = useDepartments(directory);
  const userTypes = useUserTypes(directory);
  const list = useSessionList(toSessionQuery(filters, pages.cursor, PAGE_SIZE));
  const revokeMany = useRevokeSessions();

  const filterKey = JSON.stringify(filters);
  // biome-ignore lint/correctness/useExhaustiveDependencies: new filters start at page 1 with nothing selected
  useEffect(() => {
    pages.reset();
    clear();
  }, [filterKey]);

  const inspectHref = (id: string) => `/sessions/${id}${location.search}`;

  const sessions = list.data?.items ?? [];
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <div>
          <Title order={2}>Mobile users logged in</Title>
          <Text size="sm" c="dimmed">
            Who is signed in to the mobile app. Revoke a session to sign its device out.
          </Text>
        </div>
        <BulkRevoke
          selected={selected}
          noun="session"
          revoke={revokeMany}
          onRevoked={clear}
          consequence={(count) =>
            `${plural(count, 'device')} will be signed out of the mobile app at their next request. This cannot be undone.`
          }
        />
      </Group>
      <SessionFilterBar
        filters={filters}
        onChange={update}
        directory={{
          users: users.data ?? [],
          departments: departments.data ?? [],
          userTypes: userTypes.data ?? [],
        }}
      />
      <ErrorAlert error={list.error} title="Could not load mobile sessions" onRetry={list.refetch} />
      {list.isLoading ? <Loading label="Loading mobile sessions…" /> : null}
      {list.data && sessions.length === 0 ? (
        <EmptyState
          title="No mobile sessions match these filters"
          hint="Users appear here once they sign in to the mobile app."
        />
      ) : null}
      {sessions.length && narrow ? (
        <SessionCards sessions={sessions} selected={selected} onSelect={select} inspectHref={inspectHref} />
      ) : null}
      {sessions.length && !narrow ? (
        <Paper withBorder aria-busy={list.isFetching}>
          <SessionTable
            sessions={sessions}
            selected={selected}
            onSelect={select}
            sort={filters}
            onSort={update}
            inspectHref={inspectHref}
            onOpen={(id) => navigate(inspectHref(id))}
          />
        </Paper>
      ) : null}
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed" aria-live="polite">
          {selected.size ? `${plural(selected.size, 'session')} selected` : ''}
        </Text>
        <CursorPager pages={pages} query={list} />
      </Group>

      <SessionInspectDrawer id={inspectedId} onClose={() => navigate(`/sessions${location.search}`)} />
    </Stack>
  );
}
