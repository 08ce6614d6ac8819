import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { usePersonalTokens, useRevokePersonalToken } from '../../api/hooks/profile.ts';
import type { Token } from '../../api/types.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { CursorPager, useCursorPages } from '../../components/CursorPager.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { CreatePersonalTokenModal } from './CreatePersonalTokenModal.tsx';
import { OwnTokenList } from './OwnTokenList.tsx';

/** Seed 002's "Personal API Access Tokens": list, create, revoke. */
export function PersonalTokens() {
  const pages = useCursorPages();
  const list = usePersonalTokens(pages.cursor);
  const revoke = useRevokePersonalToken();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const closeRevoke = () => {
    revoke.reset();
    setRevoking(null);
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="personal-tokens">
      <Stack>
        <Group justify="space-between" wrap="wrap">
          <Title order={3} size="h4" id="personal-tokens">
            Personal API access tokens
          </Title>
          <Button onClick={() => setCreating(true)}>Create API token</Button>
        </Group>
        <Text size="sm" c="dimmed">
          Use a personal token instead of your password to call the management API.
        </Text>
        {list.isLoading ? <Loading label="Loading your tokens…" /> : null}
        <ErrorAlert error={list.error} title="Could not load your tokens" onRetry={list.refetch} />
        {list.data && list.data.items.length === 0 ? (
          <Text size="sm" c="dimmed" ta="center" py="md">
            You have no personal API access tokens yet.
          </Text>
        ) : null}
        {list.data?.items.length ? (
          <OwnTokenList
            tokens={list.data.items}
            caption="Your personal API access tokens, newest first"
            actions={(token) => (
              <Button
                size="compact-sm"
                variant="light"
                color="red"
                aria-label={`Revoke ${token.name}`}
                onClick={() => setRevoking(token)}
              >
                Revoke
              </Button>
            )}
          />
        ) : null}
        <CursorPager pages={pages} query={list} />
      </Stack>
      <CreatePersonalTokenModal opened={creating} onClose={() => setCreating(false)} />
      <ConfirmModal
        opened={revoking !== null}
        title={`Revoke ${revoking?.name ?? 'token'}?`}
        confirmLabel="Revoke"
        danger
        loading={revoke.isPending}
        error={revoke.error}
        onClose={closeRevoke}
        onConfirm={() =>
          revoking &&
          revoke.mutate(revoking.id, {
            onSuccess: () => {
              notifications.show({ color: 'green', message: `Revoked ${revoking.name}.` });
              closeRevoke();
            },
          })
        }
      >
        Anything using this token stops working at once. This cannot be undone.
      </ConfirmModal>
    </Paper>
  );
}
