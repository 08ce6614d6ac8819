import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import type { CreatedOAuthClient } from '../../api/types.ts';
import { SecretField } from '../../components/SecretField.tsx';

/** A client's id and new secret, shown this once: copy the secret now. */
export function ClientSecret({ client, onDone }: { client: CreatedOAuthClient; onDone: () => void }) {
  return (
    <Stack>
      <Alert color="orange" variant="light" title="Copy the client secret now" role="status">
        This is the only time the secret is shown. It cannot be shown again after you close this window; if it
        is lost, rotate the secret.
      </Alert>
      <SecretField label="Client ID" value={client.client_id} />
      <SecretField label="Client secret" value={client.client_secret} />
      <Text size="sm" c="dimmed">
        Use them with the client_credentials grant at POST /oauth/token.
      </Text>
      <Group justify="flex-end">
        <Button onClick={onDone}>Done</Button>
      </Group>
    </Stack>
  );
}
