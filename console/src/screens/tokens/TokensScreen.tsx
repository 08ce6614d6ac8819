import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { namesById, useDepartments, useUsers, useUserTypes } from '../../api/hooks/directory.ts';
import { isAdmin, useMe } from '../../api/hooks/session.ts';
import { useRevokeTokens, useTokenList } from '../../api/hooks/tokens.ts';
import { BulkRevoke } from '../../components/BulkRevoke.tsx';
import { CursorPager, useCursorPages } from '../../components/CursorPager.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { nextSort } from '../../components/SortHeader.tsx';
import { plural } from '../../lib/format.ts';
import { useSelection } from '../../lib/use-selection.ts';
import { CreateTokenModal } from './CreateTokenModal.tsx';
import { TokenInspectDrawer } from './inspect/TokenInspectDrawer.tsx';
import { TokenCards } from './TokenCards.tsx';
import { TokenFilterBar } from './TokenFilterBar.tsx';
import { type TokenNames, TokenTable } from './TokenTable.tsx';
import { toListQuery, useTokenFilters } from './token-filters.ts';

const PAGE_SIZE = 25;

/** Seed 004's token listing: search, filters, sort, pages, bulk revoke, create and inspect. */
export function TokensScreen() {
  const { id: inspectedId } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const { filters, update } = useTokenFilters();
  const pages = useCursorPages();
  const { selected, select, clear } = useSelection();
  const [creating, setCreating] = useState(false);
  const narrow = useMediaQuery('(max-width: 48em)') ?? false;

  const me = useMe();
  const admin = isAdmin(me.data, 'users:read');
  const users = useUsers(admin);
  const departments = useDepartments(admin);
  const userTypes = useUserTypes(admin);
  const list = useTokenList(toListQuery(filters, pages.cursor, PAGE_SIZE));
  const revokeMany = useRevokeTokens();

  const filterKey = JSON.stringify(filters);
  // biome-ignore lint/correctness/useExhaustiveDependencies: new filters start at page 1 with nothing selected
  useEffect(() => {
    pages.reset();
    clear();
  }, [filterKey]);

  const names = tokenNames(
    me.data?.id,
    namesById(users.data, (u) => u.username),
    namesById(departments.data, (d) => d.name),
    namesById(userTypes.data, (t) => t.name),
  );
  const inspectHref = (id: string) => `/tokens/${id}${location.search}`;

  const tokens = list.data?.items ?? [];
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>API tokens</Title>
        <Group gap="sm">
          <BulkRevoke
            selected={selected}
            noun="token"
            revoke={revokeMany}
            onRevoked={clear}
            consequence={(count) =>
              `${plural(count, 'token')} will stop working at once. This cannot be undone.`
            }
          />
          <Button onClick={() => setCreating(true)}>Create token</Button>
        </Group>
      </Group>
      <TokenFilterBar
        filters={filters}
        onChange={update}
        directory={
          admin
            ? {
                users: users.data ?? [],
                departments: departments.data ?? [],
                userTypes: userTypes.data ?? [],
              }
            : undefined
        }
      />
      <ErrorAlert error={list.error} title="Could not load tokens" onRetry={list.refetch} />
      {list.isLoading ? <Loading label="Loading tokens…" /> : null}
      {list.data && tokens.length === 0 ? (
        <EmptyState title="No tokens match these filters" hint="Change the filters, or create a token." />
      ) : null}
      {tokens.length && narrow ? (
        <TokenCards
          tokens={tokens}
          names={names}
          selected={selected}
          onSelect={select}
          inspectHref={inspectHref}
        />
      ) : null}
      {tokens.length && !narrow ? (
        <Paper withBorder aria-busy={list.isFetching}>
          <TokenTable
            tokens={tokens}
            names={names}
            selected={selected}
            onSelect={select}
            sort={filters}
            onSort={(column) =>
              update(nextSort(filters, column, (first) => (first === 'name' ? 'asc' : 'desc')))
            }
            inspectHref={inspectHref}
            onOpen={(id) => navigate(inspectHref(id))}
          />
        </Paper>
      ) : null}
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed" aria-live="polite">
          {selected.size ? `${plural(selected.size, 'token')} selected` : ''}
        </Text>
        <CursorPager pages={pages} query={list} />
      </Group>

      <CreateTokenModal opened={creating} onClose={() => setCreating(false)} />
      <TokenInspectDrawer
        id={inspectedId}
        onClose={() => navigate(`/tokens${location.search}`)}
        onOpen={(id) => navigate(inspectHref(id))}
      />
    </Stack>
  );
}

function tokenNames(
  meId: number | undefined,
  users: Map<number, string>,
  departments: Map<number, string>,
  userTypes: Map<number, string>,
): TokenNames {
  return {
    user: (id) => users.get(id) ?? (id === meId ? 'You' : `User #${id}`),
    department: (id) => (id === null ? '—' : (departments.get(id) ?? `#${id}`)),
    userType: (id) => (id === null ? '—' : (userTypes.get(id) ?? `#${id}`)),
  };
}
