import { Button, Collapse, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { useDepartments, useUsers, useUserTypes } from '../../api/hooks/directory.ts';
import { isAdmin, useMe } from '../../api/hooks/session.ts';
import { useRevokeSessions, useSessionList } from '../../api/hooks/sessions.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
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
  const [confirmingRevoke, setConfirmingRevoke] = useState(false);
  const narrow = useMediaQuery('(max-width: 48em)') ?? false;
  const [filtersOpen, { toggle: toggleFilters }] = useDisclosure(false);

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
  const revokeSelected = () =>
    revokeMany.mutate([...selected], {
      onSuccess: (revoked) => {
        const asked = selected.size;
        setConfirmingRevoke(false);
        clear();
        notifications.show({
          color: 'green',
          message:
            revoked === asked
              ? `Revoked ${plural(revoked, 'session')}.`
              : `Revoked ${plural(revoked, 'session')}; ${asked - revoked} were no longer active.`,
        });
      },
    });

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
        <Button
          color="red"
          variant="light"
          disabled={selected.size === 0}
          onClick={() => setConfirmingRevoke(true)}
        >
          Revoke selected{selected.size ? ` (${selected.size})` : ''}
        </Button>
      </Group>
      {narrow ? (
        <Button variant="default" onClick={toggleFilters} aria-expanded={filtersOpen} w="fit-content">
          {filtersOpen ? 'Hide filters' : 'Search and filters'}
        </Button>
      ) : null}
      <Collapse expanded={!narrow || filtersOpen}>
        <SessionFilterBar
          filters={filters}
          onChange={update}
          directory={{
            users: users.data ?? [],
            departments: departments.data ?? [],
            userTypes: userTypes.data ?? [],
          }}
        />
      </Collapse>
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
        <CursorPager
          page={pages.page}
          nextCursor={list.data?.nextCursor}
          onNext={pages.next}
          onPrevious={pages.previous}
          loading={list.isFetching}
        />
      </Group>

      <ConfirmModal
        opened={confirmingRevoke}
        title={`Revoke ${plural(selected.size, 'session')}?`}
        confirmLabel={`Revoke ${plural(selected.size, 'session')}`}
        danger
        loading={revokeMany.isPending}
        error={revokeMany.error}
        onConfirm={revokeSelected}
        onClose={() => {
          revokeMany.reset();
          setConfirmingRevoke(false);
        }}
      >
        {`${plural(selected.size, 'device')} will be signed out of the mobile app at their next request. This cannot be undone.`}
      </ConfirmModal>
      <SessionInspectDrawer id={inspectedId} onClose={() => navigate(`/sessions${location.search}`)} />
    </Stack>
  );
}
