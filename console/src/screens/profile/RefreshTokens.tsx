import { Button, Group, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import {
  useRefreshTokens,
  useRegenerateRefreshToken,
  useRevokeRefreshToken,
} from '../../api/hooks/profile.ts';
import type { CreatedToken, Token, User } from '../../api/types.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { CursorPager, useCursorPages } from '../../components/CursorPager.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { TokenCreated } from '../tokens/TokenCreated.tsx';
import { CreateRefreshTokenModal } from './CreateRefreshTokenModal.tsx';
import { OwnTokenList } from './OwnTokenList.tsx';

type Pending = { action: 'regenerate' | 'revoke'; token: Token } | null;

/** Seed 003's account page: refresh tokens for API clients, the one way single-sign-on users get one. */
export function RefreshTokens({ me }: { me: User }) {
  const narrow = useMediaQuery('(max-width: 40em)');
  const pages = useCursorPages();
  const list = useRefreshTokens(pages.cursor);
  const regenerate = useRegenerateRefreshToken();
  const revoke = useRevokeRefreshToken();
  const [creating, setCreating] = useState(false);
  const [pending, setPending] = useState<Pending>(null);
  const [regenerated, setRegenerated] = useState<CreatedToken | null>(null);
  const mutation = pending?.action === 'regenerate' ? regenerate : revoke;
  const closePending = () => {
    regenerate.reset();
    revoke.reset();
    setPending(null);
  };
  const confirm = () => {
    if (!pending) return;
    if (pending.action === 'regenerate') {
      regenerate.mutate(pending.token.id, {
        onSuccess: (token) => {
          closePending();
          setRegenerated(token);
        },
      });
    } else {
      revoke.mutate(pending.token.id, {
        onSuccess: () => {
          notifications.show({ color: 'green', message: `Revoked ${pending.token.name}.` });
          closePending();
        },
      });
    }
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="refresh-tokens">
      <Stack>
        <Group justify="space-between" wrap="wrap">
          <Title order={3} size="h4" id="refresh-tokens">
            Refresh tokens
          </Title>
          <Button onClick={() => setCreating(true)}>Create refresh token</Button>
        </Group>
        <Text size="sm" c="dimmed">
          A refresh token lets a tool such as a BI client get short-lived access tokens for you.
          {me.sso
            ? ' You sign in with single sign-on, so this page is where you create them.'
            : ' Regenerating one replaces its secret and ends the access tokens it minted.'}
        </Text>
        {list.isLoading ? <Loading label="Loading your refresh tokens…" /> : null}
        <ErrorAlert error={list.error} title="Could not load your refresh tokens" onRetry={list.refetch} />
        {list.data && list.data.items.length === 0 ? (
          <Text size="sm" c="dimmed" ta="center" py="md">
            You have no refresh tokens yet.
          </Text>
        ) : null}
        {list.data?.items.length ? (
          <OwnTokenList
            tokens={list.data.items}
            caption="Your refresh tokens, newest first"
            actions={(token) => (
              <>
                <Button
                  size="compact-sm"
                  variant="default"
                  aria-label={`Regenerate ${token.name}`}
                  onClick={() => setPending({ action: 'regenerate', token })}
                >
                  Regenerate
                </Button>
                <Button
                  size="compact-sm"
                  variant="light"
                  color="red"
                  aria-label={`Revoke ${token.name}`}
                  onClick={() => setPending({ action: 'revoke', token })}
                >
                  Revoke
                </Button>
              </>
            )}
          />
        ) : null}
        <CursorPager pages={pages} query={list} />
      </Stack>
      <CreateRefreshTokenModal opened={creating} onClose={() => setCreating(false)} />
      <ConfirmModal
        opened={pending !== null}
        title={`${pending?.action === 'regenerate' ? 'Regenerate' : 'Revoke'} ${pending?.token.name ?? ''}?`}
        confirmLabel={pending?.action === 'regenerate' ? 'Regenerate' : 'Revoke'}
        danger={pending?.action === 'revoke'}
        loading={mutation.isPending}
        error={mutation.error}
        onClose={closePending}
        onConfirm={confirm}
      >
        {pending?.action === 'regenerate'
          ? 'A new refresh token replaces this one under the same name. The old one and the access tokens it minted stop working at once.'
          : 'The refresh token and every access token minted from it stop working at once. This cannot be undone.'}
      </ConfirmModal>
      <Modal
        opened={regenerated !== null}
        onClose={() => setRegenerated(null)}
        title="Refresh token regenerated"
        size="lg"
        fullScreen={narrow ?? false}
        closeOnClickOutside={false}
      >
        {regenerated ? <TokenCreated token={regenerated} onDone={() => setRegenerated(null)} /> : null}
      </Modal>
    </Paper>
  );
}
