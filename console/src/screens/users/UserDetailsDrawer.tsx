import { Anchor, Button, Drawer, Group, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link } from 'react-router';
import { useSignOutUser, useUser } from '../../api/hooks/users.ts';
import type { Permission, User } from '../../api/types.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { FieldList } from '../../components/FieldList.tsx';
import { Loading } from '../../components/Loading.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { permissionsText, RoleBadge } from './UserTable.tsx';

interface UserDetailsDrawerProps {
  /** The id from the address /users/{id}; undefined closes the drawer. */
  id: string | undefined;
  departmentNames: Map<number, string>;
  userTypeNames: Map<number, string>;
  catalog: Permission[] | undefined;
  canWrite: boolean;
  /** The signed-in administrator's id: signing oneself out everywhere keeps this browser's session. */
  meId: number | undefined;
  onEdit: (user: User) => void;
  onDelete: (user: User) => void;
  onClose: () => void;
}

/** One user beside the list, opened by the address /users/{id} (so it can be linked to and reloaded). */
export function UserDetailsDrawer({ id, onClose, ...props }: UserDetailsDrawerProps) {
  const narrow = useMediaQuery('(max-width: 48em)');
  const numeric = id !== undefined && /^\d{1,10}$/.test(id) ? Number(id) : undefined;
  const user = useUser(numeric);
  return (
    <Drawer
      opened={id !== undefined}
      onClose={onClose}
      position="right"
      size={narrow ? '100%' : 560}
      title={user.data ? user.data.username : 'User'}
      closeButtonProps={{ 'aria-label': 'Close user details' }}
    >
      {id !== undefined && numeric === undefined ? <Text size="sm">“{id}” is not a user id.</Text> : null}
      {user.isLoading ? <Loading label="Loading the user…" /> : null}
      <ErrorAlert error={user.error} title="Could not load the user" onRetry={user.refetch} />
      {user.data ? <UserDetails user={user.data} {...props} /> : null}
    </Drawer>
  );
}

function UserDetails({
  user,
  departmentNames,
  userTypeNames,
  catalog,
  canWrite,
  meId,
  onEdit,
  onDelete,
}: Omit<UserDetailsDrawerProps, 'id' | 'onClose'> & { user: User }) {
  const signOut = useSignOutUser();
  const [confirming, setConfirming] = useState(false);
  const self = user.id === meId;
  const closeConfirm = () => {
    signOut.reset();
    setConfirming(false);
  };
  const labels = new Map((catalog ?? []).map((p) => [p.name, p.label]));
  const name = (names: Map<number, string>, entry: number | null) =>
    entry === null ? null : (names.get(entry) ?? `#${entry}`);
  return (
    <Stack>
      <FieldList
        fields={[
          ['Username', user.username],
          ['Full name', user.fullName],
          ['Email', user.email],
          ['Role', <RoleBadge key="role" role={user.role} />],
          ['Department', name(departmentNames, user.departmentId)],
          ['User type', name(userTypeNames, user.userTypeId)],
          ['Preferred language', user.preferredLanguage],
          ['Signs in with', user.sso ? 'Single sign-on' : 'Password'],
          ['Created', formatDateTime(user.createdAt)],
          ['Updated', formatDateTime(user.updatedAt)],
        ]}
      />
      <div>
        <Text size="xs" c="dimmed" fw={600}>
          Permissions
        </Text>
        <Text size="sm">
          {user.permissions === null
            ? `Role defaults (${user.role === 'admin' ? 'every permission' : 'a member’s'})`
            : permissionsText(user)}
        </Text>
        {user.permissions?.length ? (
          <Text component="ul" size="sm" m={0} pl="md" aria-label="Permissions">
            {user.permissions.map((p) => (
              <li key={p}>{labels.get(p) ?? p}</li>
            ))}
          </Text>
        ) : null}
      </div>
      <Group justify="space-between" wrap="wrap">
        <Anchor component={Link} to={`/tokens?kind=all&userId=${user.id}`} size="sm">
          Tokens of {user.username}
        </Anchor>
        {canWrite ? (
          <Group gap="xs">
            <Button variant="default" onClick={() => setConfirming(true)}>
              Sign out everywhere
            </Button>
            <Button variant="default" onClick={() => onEdit(user)}>
              Edit
            </Button>
            <Button color="red" variant="light" onClick={() => onDelete(user)}>
              Delete
            </Button>
          </Group>
        ) : null}
      </Group>
      <ConfirmModal
        opened={confirming}
        title={self ? 'Sign yourself out everywhere?' : `Sign ${user.username} out everywhere?`}
        confirmLabel="Sign out everywhere"
        danger
        loading={signOut.isPending}
        error={signOut.error}
        onClose={closeConfirm}
        onConfirm={() =>
          signOut.mutate(user.id, {
            onSuccess: (revoked) => {
              notifications.show({ color: 'green', message: signedOutMessage(user.username, revoked, self) });
              closeConfirm();
            },
          })
        }
      >
        {self
          ? 'Every other console and mobile session of yours ends at once; this browser stays signed in. Your API tokens and refresh tokens keep working.'
          : `Every console and mobile session of ${user.username} ends at once, so they must sign in again. Their API tokens and refresh tokens keep working.`}
      </ConfirmModal>
    </Stack>
  );
}

/** What the notification says once the sessions ended: how many, or that there were none. */
function signedOutMessage(username: string, revoked: number, self: boolean): string {
  const noun = revoked === 1 ? 'session' : 'sessions';
  if (self)
    return revoked === 0 ? 'You had no other sessions to end.' : `Signed out of ${revoked} other ${noun}.`;
  return revoked === 0
    ? `${username} had no sessions to end.`
    : `Signed ${username} out of ${revoked} ${noun}.`;
}
