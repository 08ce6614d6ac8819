import { Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useRevealToken, useRevokeToken, useRotateToken } from '../../../api/hooks/tokens.ts';
import type { TokenDetails } from '../../../api/types.ts';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { SecretField } from '../../../components/SecretField.tsx';
import { TokenCreated } from '../TokenCreated.tsx';

const GRACE_OPTIONS = [
  { value: '0', label: 'Stop the old token now' },
  { value: '3600', label: 'Keep the old token working for 1 hour' },
  { value: '86400', label: 'Keep the old token working for 1 day' },
  { value: '604800', label: 'Keep the old token working for 7 days' },
];

/** Rotate, Revoke and (for retrievable tokens, admins) Reveal, each behind a confirmation. */
export function TokenActions({
  token,
  canReveal,
  onRotated,
}: {
  token: TokenDetails;
  canReveal: boolean;
  onRotated: (newId: string) => void;
}) {
  const [dialog, setDialog] = useState<'rotate' | 'revoke' | null>(null);
  const [grace, setGrace] = useState('0');
  const revoke = useRevokeToken();
  const rotate = useRotateToken();
  const reveal = useRevealToken();
  const active = token.status === 'active';
  const rotatable = active && (token.kind === 'api' || token.kind === 'pat');

  const closeRotate = () => {
    const created = rotate.data;
    rotate.reset();
    setDialog(null);
    if (created) onRotated(created.id);
  };

  return (
    <Stack gap="sm">
      <Group gap="sm">
        <Button variant="default" disabled={!rotatable} onClick={() => setDialog('rotate')}>
          Rotate
        </Button>
        <Button color="red" variant="light" disabled={!active} onClick={() => setDialog('revoke')}>
          Revoke
        </Button>
        {canReveal && token.retrievable ? (
          <Button
            variant="light"
            disabled={!active}
            loading={reveal.isPending}
            onClick={() => reveal.mutate(token.id)}
          >
            Reveal
          </Button>
        ) : null}
      </Group>
      {!active ? (
        <Text size="sm" c="dimmed">
          This token is {token.status}: it can no longer be rotated or revoked.
        </Text>
      ) : null}
      <ErrorAlert error={reveal.error} title="Could not reveal the token" />
      {reveal.data ? <SecretField label="Revealed token" value={reveal.data} /> : null}

      <ConfirmModal
        opened={dialog === 'revoke'}
        title={`Revoke "${token.name}"?`}
        confirmLabel="Revoke token"
        danger
        loading={revoke.isPending}
        error={revoke.error}
        onClose={() => {
          revoke.reset();
          setDialog(null);
        }}
        onConfirm={() =>
          revoke.mutate(token.id, {
            onSuccess: () => {
              setDialog(null);
              notifications.show({ color: 'green', message: `Revoked "${token.name}".` });
            },
          })
        }
      >
        Applications using this token will be refused from now on. The record stays, with status revoked.
      </ConfirmModal>

      <Modal
        opened={dialog === 'rotate'}
        onClose={closeRotate}
        title={rotate.data ? 'Token rotated' : `Rotate "${token.name}"?`}
      >
        {rotate.data ? (
          <TokenCreated token={rotate.data} onDone={closeRotate} doneLabel="Show the new token" />
        ) : (
          <Stack>
            <Text size="sm">
              A new token with the same name, permissions and expiry replaces this one. Update the
              applications that use it.
            </Text>
            <Select
              label="Old token"
              data={GRACE_OPTIONS}
              value={grace}
              onChange={(v) => setGrace(v ?? '0')}
              allowDeselect={false}
            />
            <ErrorAlert error={rotate.error} title="The token was not rotated" />
            <Group justify="flex-end">
              <Button variant="default" onClick={closeRotate}>
                Cancel
              </Button>
              <Button
                loading={rotate.isPending}
                onClick={() => rotate.mutate({ id: token.id, gracePeriodSeconds: Number(grace) })}
              >
                Rotate token
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
