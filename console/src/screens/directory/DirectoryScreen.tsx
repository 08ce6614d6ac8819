import { Stack, Tabs, Title } from '@mantine/core';
import { isAdmin, useMe } from '../../api/hooks/session.ts';
import type { DirectoryKind } from '../../api/hooks/users.ts';
import { useUrlFilters } from '../../lib/url-filters.ts';
import { DirectorySection } from './DirectorySection.tsx';

/** Departments and user types (seed 004), one tab each; the open tab is kept in the address. */
export function DirectoryScreen() {
  const { filters, update } = useUrlFilters<{ tab: DirectoryKind }>({ tab: 'departments' });
  const canWrite = isAdmin(useMe().data, 'users:write');
  return (
    <Stack>
      <Title order={2}>Departments and user types</Title>
      <Tabs value={filters.tab} onChange={(tab) => update({ tab: (tab ?? 'departments') as DirectoryKind })}>
        <Tabs.List>
          <Tabs.Tab value="departments">Departments</Tabs.Tab>
          <Tabs.Tab value="user-types">User types</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="departments" pt="md">
          <DirectorySection kind="departments" canWrite={canWrite} />
        </Tabs.Panel>
        <Tabs.Panel value="user-types" pt="md">
          <DirectorySection kind="user-types" canWrite={canWrite} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
