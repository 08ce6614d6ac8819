import { Button, Group, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { entryName, namesById, useCatalog, useDepartments, useUserTypes } from '../../api/hooks/directory.ts';
import { isAdmin, useMe } from '../../api/hooks/session.ts';
import { useCreateUser, useDeleteUser, useUpdateUser, useUserList } from '../../api/hooks/users.ts';
import type { User } from '../../api/types.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { CursorPager, useCursorPages } from '../../components/CursorPager.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PasswordShown } from './PasswordShown.tsx';
import { UserCards } from './UserCards.tsx';
import { UserDetailsDrawer } from './UserDetailsDrawer.tsx';
import { UserFilterBar } from './UserFilterBar.tsx';
import { UserForm } from './UserForm.tsx';
import { UserTable } from './UserTable.tsx';
import { toUserQuery, USER_FILTER_DEFAULTS, useUserFilters } from './user-filters.ts';

const PAGE_SIZE = 25;

/** Who the form is open for: a new user, or the user being edited. */
type Editing = { user?: User } | null;

/**
 * Users (administrators with users:read to look, users:write to change): list, create, edit, delete, and
 * one user's details at /users/{id}.
 */
export function UsersScreen() {
  const { id: detailsId } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const { filters, update } = useUserFilters();
  const pages = useCursorPages();
  const narrow = useMediaQuery('(max-width: 48em)') ?? false;
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<User | null>(null);
  const [shown, setShown] = useState<{ username: string; password: string } | null>(null);

  const me = useMe();
  const canWrite = isAdmin(me.data, 'users:write');
  const list = useUserList(toUserQuery(filters, pages.cursor, PAGE_SIZE));
  const departments = useDepartments(true);
  const userTypes = useUserTypes(true);
  const catalog = useCatalog();
  const create = useCreateUser();
  const save = useUpdateUser();
  const remove = useDeleteUser();

  const filterKey = JSON.stringify(filters);
  // biome-ignore lint/correctness/useExhaustiveDependencies: new filters start at page 1
  useEffect(() => pages.reset(), [filterKey]);

  const closeForm = () => {
    create.reset();
    save.reset();
    setEditing(null);
  };
  const closeDelete = () => {
    remove.reset();
    setDeleting(null);
  };
  const done = (message: string, username: string, password: string | null) => {
    closeForm();
    notifications.show({ color: 'green', message });
    if (password) setShown({ username, password });
  };

  const users = list.data?.items ?? [];
  const rows = {
    users,
    departmentNames: namesById(departments.data, entryName),
    userTypeNames: namesById(userTypes.data, entryName),
    canWrite,
    onEdit: (user: User) => setEditing({ user }),
    onDelete: setDeleting,
    detailsHref: (user: User) => `/users/${user.id}${location.search}`,
  };
  const closeDetails = () => navigate(`/users${location.search}`);
  const filtered = filterKey !== JSON.stringify(USER_FILTER_DEFAULTS);
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <div>
          <Title order={2}>Users</Title>
          <Text size="sm" c="dimmed">
            Who can sign in, their role, department and user type.
          </Text>
        </div>
        {canWrite ? <Button onClick={() => setEditing({})}>Create user</Button> : null}
      </Group>
      <UserFilterBar
        filters={filters}
        onChange={update}
        departments={departments.data ?? []}
        userTypes={userTypes.data ?? []}
      />
      <ErrorAlert error={list.error} title="Could not load users" onRetry={list.refetch} />
      <ErrorAlert
        error={departments.error ?? userTypes.error}
        title="Could not load departments and user types"
        onRetry={() => {
          void departments.refetch();
          void userTypes.refetch();
        }}
      />
      {list.isLoading ? <Loading label="Loading users…" /> : null}
      {list.data && users.length === 0 ? (
        <EmptyState
          title={filtered ? 'No users match these filters' : 'No users yet'}
          hint={filtered ? 'Clear the filters to see every user.' : 'Create one to let someone sign in.'}
        />
      ) : null}
      {users.length && narrow ? <UserCards {...rows} /> : null}
      {users.length && !narrow ? (
        <Paper withBorder aria-busy={list.isFetching}>
          <UserTable {...rows} />
        </Paper>
      ) : null}
      <CursorPager pages={pages} query={list} />

      <UserDetailsDrawer
        id={detailsId}
        departmentNames={rows.departmentNames}
        userTypeNames={rows.userTypeNames}
        catalog={catalog.data}
        canWrite={canWrite}
        meId={me.data?.id}
        onEdit={rows.onEdit}
        onDelete={setDeleting}
        onClose={closeDetails}
      />
      <Modal
        opened={editing !== null}
        onClose={closeForm}
        title={editing?.user ? `Edit ${editing.user.username}` : 'Create user'}
        size="lg"
        fullScreen={narrow}
      >
        {catalog.isLoading ? <Loading label="Loading permissions…" /> : null}
        <ErrorAlert error={catalog.error} title="Could not load the permissions" onRetry={catalog.refetch} />
        {editing && catalog.data ? (
          <UserForm
            key={editing.user?.id ?? 'new'}
            user={editing.user}
            self={editing.user !== undefined && editing.user.id === me.data?.id}
            catalog={catalog.data}
            departments={departments.data ?? []}
            userTypes={userTypes.data ?? []}
            submitting={create.isPending || save.isPending}
            error={create.error ?? save.error}
            onCancel={closeForm}
            onCreate={(body, password) =>
              create.mutate(body, {
                onSuccess: (user) => done(`Created ${user.username}.`, user.username, password),
              })
            }
            onUpdate={(changes, password) => {
              const id = editing.user?.id;
              if (id !== undefined)
                save.mutate(
                  { id, changes },
                  { onSuccess: (user) => done(`Saved ${user.username}.`, user.username, password) },
                );
            }}
          />
        ) : null}
      </Modal>
      <Modal
        opened={shown !== null}
        onClose={() => setShown(null)}
        title="Password"
        size="lg"
        closeOnClickOutside={false}
      >
        {shown ? <PasswordShown {...shown} onDone={() => setShown(null)} /> : null}
      </Modal>
      <ConfirmModal
        opened={deleting !== null}
        title={`Delete ${deleting?.username ?? ''}?`}
        confirmLabel="Delete user"
        danger
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => {
          if (deleting)
            remove.mutate(deleting.id, {
              onSuccess: () => {
                notifications.show({ color: 'green', message: `Deleted ${deleting.username}.` });
                closeDelete();
                if (detailsId === String(deleting.id)) closeDetails();
              },
            });
        }}
        onClose={closeDelete}
      >
        {`${deleting?.username ?? 'The user'} can no longer sign in, and every token they hold is revoked. This cannot be undone.`}
      </ConfirmModal>
    </Stack>
  );
}
