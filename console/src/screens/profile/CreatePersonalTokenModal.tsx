import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { type FormEvent, useState } from 'react';
import { splitFormError } from '../../api/errors.ts';
import { useSettings } from '../../api/hooks/directory.ts';
import { useCreatePersonalToken } from '../../api/hooks/profile.ts';
import { isAdmin, useMe } from '../../api/hooks/session.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import {
  DEFAULT_EXPIRY,
  type ExpiryChoice,
  ExpiryField,
  expiryBody,
  expiryProblem,
} from '../../components/ExpiryField.tsx';
import { Loading } from '../../components/Loading.tsx';
import { DEFAULT_MAX_DAYS } from '../tokens/expiry.ts';
import { TokenCreated } from '../tokens/TokenCreated.tsx';

const SERVER_FIELDS: Record<string, string> = { name: 'name', expiresInDays: 'expiry', expiresAt: 'expiry' };

/** Seed 002's "Create API Token" dialog: a name and an expiration, then the token shown once. */
export function CreatePersonalTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const narrow = useMediaQuery('(max-width: 40em)');
  const create = useCreatePersonalToken();
  const close = () => {
    create.reset();
    onClose();
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={create.data ? 'Token created' : 'Create personal API token'}
      size="lg"
      fullScreen={narrow ?? false}
      closeOnClickOutside={!create.data}
    >
      {create.data ? (
        <TokenCreated token={create.data} onDone={close} />
      ) : (
        <PersonalTokenForm
          submitting={create.isPending}
          error={create.error}
          onSubmit={(body) => create.mutate(body)}
          onCancel={close}
        />
      )}
    </Modal>
  );
}

function PersonalTokenForm(props: {
  submitting: boolean;
  error: unknown;
  onSubmit: (body: { name: string } & ReturnType<typeof expiryBody>) => void;
  onCancel: () => void;
}) {
  const me = useMe();
  const settings = useSettings(isAdmin(me.data, 'settings:manage'));
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState<ExpiryChoice>(DEFAULT_EXPIRY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  if (settings.isLoading) return <Loading label="Loading the form…" />;
  const maxDays = settings.data?.['authentication.token.api_token_max_lifespan'] ?? DEFAULT_MAX_DAYS;
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
          maxDaysKnown={Boolean(settings.data)}
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
