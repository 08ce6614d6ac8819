import { AppShell, Burger, Button, Group, NavLink, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Outlet, NavLink as RouterNavLink, useLocation } from 'react-router';
import { holds, isAdmin, useMe, useSignOut } from '../api/hooks/session.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { ADMIN_NAV_ITEMS, NAV_ITEMS, type NavItem } from './nav.ts';

function NavItems({ items, onNavigate }: { items: NavItem[]; onNavigate: () => void }) {
  const location = useLocation();
  return items.map((item) => (
    <NavLink
      key={item.to}
      component={RouterNavLink}
      to={item.to}
      label={item.label}
      active={location.pathname === item.to || location.pathname.startsWith(`${item.to}/`)}
      onClick={onNavigate}
    />
  ));
}

/** The app shell: header with the signed-in user and "Sign out", navigation, and the current screen. */
export function Shell() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const me = useMe();
  const signOut = useSignOut();
  const adminItems = ADMIN_NAV_ITEMS.filter((item) => isAdmin(me.data, item.admin?.permission));

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? 'Close navigation' : 'Open navigation'}
            />
            <Title order={1} size="h4">
              Tessera
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            {me.data ? (
              <Text size="sm" c="dimmed" visibleFrom="xs">
                Signed in as <b>{me.data.username}</b> ({me.data.role})
              </Text>
            ) : null}
            <Button variant="default" size="xs" onClick={() => signOut.mutate()} loading={signOut.isPending}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        <Stack gap={2}>
          <NavItems
            items={NAV_ITEMS.filter((item) => !item.permission || holds(me.data, item.permission))}
            onNavigate={close}
          />
          {adminItems.length ? (
            <>
              <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" pt="md" pb={4} component="h2">
                Administration
              </Text>
              <NavItems items={adminItems} onNavigate={close} />
            </>
          ) : null}
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main>
        <VisuallyHidden aria-live="polite">{me.isLoading ? 'Loading your profile' : ''}</VisuallyHidden>
        {me.error ? (
          <ErrorAlert error={me.error} title="Could not load your profile" onRetry={me.refetch} />
        ) : null}
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
