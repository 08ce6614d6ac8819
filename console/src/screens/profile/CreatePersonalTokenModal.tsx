import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { splitFormError } from '../../api/errors.ts';
import { useCreatePersonalToken } from '../../api/hooks/profile.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import {
  DEFAULT_EXPIRY,
  type ExpiryChoice,
  ExpiryField,
  expiryBody,
  expiryProblem,
} from '../../components/ExpiryField.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useMaxTokenDays } from '../../lib/expiry.ts';
import { CreateTokenDialog } from '../tokens/TokenCreated.tsx';

const SERVER_FIELDS: Record<string, string> = { name: 'name', expiresInDays: 'expiry', expiresAt: 'expiry' };

/** Seed 002's "Create API Token" dialog: a name and an expiration, then the token shown once. */
export function CreatePersonalTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreatePersonalToken();
  const close = () => {
    create.reset();
    onClose();
  };
  return (
    <CreateTokenDialog
      opened={opened}
      onClose={close}
      title="Create personal API token"
      createdTitle="Token created"
      created={create.data}
    >
      <PersonalTokenForm
        submitting={create.isPending}
        error={create.error}
        onSubmit={(body) => create.mutate(body)}
        onCancel={close}
      />
    </CreateTokenDialog>
  );
}

function PersonalTokenForm(props: {
  submitting: boolean;
  error: unknown;
  onSubmit: (body: { name: string } & ReturnType<typeof expiryBody>) => void;
  onCancel: () => void;
}) {
  const lifetime = useMaxTokenDays();
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState<ExpiryChoice>(DEFAULT_EXPIRY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  if (lifetime.isLoading) return <Loading label="Loading the form…" />;
  const { maxDays } = lifetime;
  const server = splitFormError(props.error, SERVER_FIELDS);
  const fieldError = (field: string) => errors[field] ?? server.fieldErrors[field];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = 'Give the token a name.';
    else if (name.trim().length > 100) found.name = 'At most 100 characters.';
    const expiryError = expiryProblem(expiry, maxDays);
    if (expiryError) found.expiry = expiryError;
    setErrors(found);
    if (Object.keys(found).length) return;
    props.onSubmit({ name: name.trim(), ...expiryBody(expiry) });
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Create personal API token">
      <Stack>
        <Text size="sm" c="dimmed">
          A personal token signs in to the management API instead of your password and carries everything you
          hold.
        </Text>
        <TextInput
          label="Token name"
          required
          value={name}
          maxLength={100}
          onChange={(event) => {
            setName(event.currentTarget.value);
            setErrors(({ name: _, ...rest }) => rest);
          }}
          error={fieldError('name')}
          data-autofocus
        />
        <ExpiryField
          label="Expiration"
          value={expiry}
          onChange={(value) => {
            setExpiry(value);
            setErrors(({ expiry: _, ...rest }) => rest);
          }}
          maxDays={maxDays}
          maxDaysKnown={lifetime.known}
          error={fieldError('expiry')}
        />
        <ErrorAlert error={server.general} title="The token was not created" />
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={props.submitting}>
            Generate
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
