import { Alert, Button, Group, Stack, Text } from '@mantine/core';
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
