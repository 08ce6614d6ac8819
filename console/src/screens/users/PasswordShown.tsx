import { Alert, Button, Group, Stack } from '@mantine/core';
import { SecretField } from '../../components/SecretField.tsx';

/** A generated password, shown this once: pass it on to the user now. */
export function PasswordShown({
  username,
  password,
  onDone,
}: {
  username: string;
  password: string;
  onDone: () => void;
}) {
  return (
    <Stack>
      <Alert color="orange" variant="light" title="Copy the password now" role="status">
        This is the only time the password of {username} is shown. It cannot be shown again after you close
        this window; if it is lost, set a new one.
      </Alert>
      <SecretField label="Password" value={password} />
      <Group justify="flex-end">
        <Button onClick={onDone}>Done</Button>
      </Group>
    </Stack>
  );
}
