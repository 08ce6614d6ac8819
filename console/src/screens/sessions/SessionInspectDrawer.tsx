import { Button, Drawer, Group, Stack } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useRevokeSession, useSessionDetails } from '../../api/hooks/sessions.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { FieldList } from '../../components/FieldList.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ExpiryCell, StatusBadge } from '../../components/TokenBadges.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { sessionUser } from './SessionTable.tsx';

/** Seed 004's inspect view of a mobile user's session, opened by the address /sessions/{id}. */
export function SessionInspectDrawer({ id, onClose }: { id: string | undefined; onClose: () => void }) {
  const narrow = useMediaQuery('(max-width: 48em)');
  const session = useSessionDetails(id);
  const revoke = useRevokeSession();
  const [confirming, setConfirming] = useState(false);
  const data = session.data;
  const user = data ? sessionUser(data) : 'Session';

  const closeConfirm = () => {
    revoke.reset();
    setConfirming(false);
  };
  return (
    <Drawer
      opened={Boolean(id)}
      onClose={onClose}
      position="right"
      size={narrow ? '100%' : 560}
      title={data ? `${user} on ${data.deviceName ?? 'an unnamed device'}` : 'Session'}
      closeButtonProps={{ 'aria-label': 'Close session details' }}
    >
      {session.isLoading ? <Loading label="Loading the session…" /> : null}
      <ErrorAlert error={session.error} title="Could not load the session" onRetry={session.refetch} />
      {data ? (
        <Stack>
          <FieldList
            fields={[
              ['User name', user],
              ['Email', data.email],
              ['Department', data.department?.name],
              ['User type', data.userType?.name],
              ['Device', data.deviceName],
              ['Signed in', formatDateTime(data.createdAt)],
              ['Last active', formatDateTime(data.lastActiveAt)],
              ['Expiry date', <ExpiryCell key="expiry" expiresAt={data.expiresAt} status={data.status} />],
              ['Status', <StatusBadge key="status" status={data.status} />],
            ]}
          />
          <Group>
            <Button
              color="red"
              variant="light"
              disabled={data.status !== 'active'}
              onClick={() => setConfirming(true)}
            >
              Revoke session
            </Button>
          </Group>
        </Stack>
      ) : null}
      <ConfirmModal
        opened={confirming}
        title="Revoke this session?"
        confirmLabel="Revoke session"
        danger
        loading={revoke.isPending}
        error={revoke.error}
        onConfirm={() =>
          id &&
          revoke.mutate(id, {
            onSuccess: () => {
              closeConfirm();
              notifications.show({ color: 'green', message: `Signed ${user} out of the mobile app.` });
            },
          })
        }
        onClose={closeConfirm}
      >
        {`${user} is signed out of the mobile app on ${data?.deviceName ?? 'this device'} at its next request. This cannot be undone.`}
      </ConfirmModal>
    </Drawer>
  );
}
