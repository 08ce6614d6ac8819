import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { splitFormError } from '../../api/errors.ts';
import { useCreateRefreshToken } from '../../api/hooks/profile.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { CreateTokenDialog } from '../tokens/TokenCreated.tsx';

/** Seed 003's "Create RefreshToken" for the console: a name, then the refresh token shown once. */
export function CreateRefreshTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateRefreshToken();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const server = splitFormError(create.error, { name: 'name' });
  const close = () => {
    create.reset();
    setName('');
    setError(undefined);
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = !name.trim()
      ? 'Give the refresh token a name.'
      : name.trim().length > 100
        ? 'At most 100 characters.'
        : undefined;
    setError(problem);
    if (!problem) create.mutate(name.trim());
  };
  return (
    <CreateTokenDialog
      opened={opened}
      onClose={close}
      title="Create refresh token"
      createdTitle="Refresh token created"
      created={create.data}
    >
      <form onSubmit={submit} noValidate aria-label="Create refresh token">
        <Stack>
          <Text size="sm" c="dimmed">
            A refresh token lives for the refresh-token lifespan set by your administrator and mints
            short-lived access tokens at the OAuth token endpoint.
          </Text>
          <TextInput
            label="Name"
            description="Where it is used, e.g. Tableau"
            required
            value={name}
            maxLength={100}
            onChange={(event) => {
              setName(event.currentTarget.value);
              setError(undefined);
            }}
            error={error ?? server.fieldErrors.name}
            data-autofocus
          />
          <ErrorAlert error={server.general} title="The refresh token was not created" />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Generate
            </Button>
          </Group>
        </Stack>
      </form>
    </CreateTokenDialog>
  );
}
