import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useSignOutEverywhere } from '../../api/hooks/profile.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';

/** "Sign out everywhere": ends your other console and mobile sessions after a confirmation, and says how many. */
export function SignOutEverywhere() {
  const signOut = useSignOutEverywhere();
  const [confirming, setConfirming] = useState(false);
  const close = () => {
    signOut.reset();
    setConfirming(false);
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="profile-sessions">
      <Stack>
        <Group justify="space-between" wrap="wrap">
          <Title order={3} size="h4" id="profile-sessions">
            Sessions
          </Title>
          <Button variant="light" color="red" onClick={() => setConfirming(true)}>
            Sign out everywhere
          </Button>
        </Group>
        <Text size="sm" c="dimmed">
          Left the console open on another computer, or lost a phone? Sign out everywhere ends every other
          console and mobile session of yours; this browser stays signed in.
        </Text>
      </Stack>
      <ConfirmModal
        opened={confirming}
        title="Sign out everywhere?"
        confirmLabel="Sign out everywhere"
        danger
        loading={signOut.isPending}
        error={signOut.error}
        onClose={close}
        onConfirm={() =>
          signOut.mutate(undefined, {
            onSuccess: (revoked) => {
              notifications.show({
                color: 'green',
                message:
                  revoked === 0
                    ? 'You had no other sessions to end.'
                    : `Signed out of ${revoked} other ${revoked === 1 ? 'session' : 'sessions'}.`,
              });
              close();
            },
          })
        }
      >
        Every other console and mobile session of yours ends at once. Your API tokens and refresh tokens keep
        working; revoke them below if they may be in the wrong hands.
      </ConfirmModal>
    </Paper>
  );
}
