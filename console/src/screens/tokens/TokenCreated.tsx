import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { ReactNode } from 'react';
import type { CreatedToken } from '../../api/types.ts';
import { SecretField } from '../../components/SecretField.tsx';
import { formatDateTime } from '../../lib/format.ts';

/** The new token, shown this once: copy it now. */
export function TokenCreated({
  token,
  onDone,
  doneLabel = 'Done',
}: {
  token: CreatedToken;
  onDone: () => void;
  doneLabel?: string;
}) {
  return (
    <Stack>
      <Alert color="orange" variant="light" title="Copy the token now" role="status">
        This is the only time the token is shown. It cannot be shown again after you close this window
        {token.retrievable ? ', except by an administrator with "Reveal"' : ''}.
      </Alert>
      <SecretField label="Token" value={token.token} />
      <Text size="sm" c="dimmed">
        {token.name} · expires {formatDateTime(token.expiresAt)}
      </Text>
      <Group justify="flex-end">
        <Button onClick={onDone}>{doneLabel}</Button>
      </Group>
    </Stack>
  );
}

/**
 * A "create" dialog that becomes the new token, shown once: full screen on phones, and no longer closed by a
 * click outside once the token shows, so that it is not lost by accident. `onClose` should also forget the
 * created token (reset the mutation), so that the next opening starts at the form.
 */
export function CreateTokenDialog({
  opened,
  onClose,
  title,
  createdTitle,
  created,
  children,
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  createdTitle: string;
  created: CreatedToken | undefined;
  /** The form. */
  children: ReactNode;
}) {
  const narrow = useMediaQuery('(max-width: 40em)');
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={created ? createdTitle : title}
      size="lg"
      fullScreen={narrow ?? false}
      closeOnClickOutside={!created}
    >
      {created ? <TokenCreated token={created} onDone={onClose} /> : children}
    </Modal>
  );
}
