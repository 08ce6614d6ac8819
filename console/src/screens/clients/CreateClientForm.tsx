import { Button, Checkbox, Group, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { splitFormError } from '../../api/errors.ts';
import { holds } from '../../api/hooks/session.ts';
import type { CreateClientBody, Permission, User } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

/** Client access tokens may live at most a year (the server's limit), entered here in minutes. */
const MAX_LIFESPAN_MINUTES = 365 * 24 * 60;

const SERVER_FIELDS: Record<string, string> = {
  name: 'name',
  permissions: 'permissions',
  accessTokenLifespan: 'lifespan',
};

interface CreateClientFormProps {
  me: User;
  catalog: Permission[];
  submitting: boolean;
  error: unknown;
  onSubmit: (body: CreateClientBody) => void;
  onCancel: () => void;
}

/** Register an OAuth client: a name, the scopes it may ask for, and optionally its own token lifespan. */
export function CreateClientForm({
  me,
  catalog,
  submitting,
  error,
  onSubmit,
  onCancel,
}: CreateClientFormProps) {
  const [name, setName] = useState('');
  const [permissions, setPermissions] = useState<string[]>([]);
  const [lifespan, setLifespan] = useState('');
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const { fieldErrors, general } = splitFormError(error, SERVER_FIELDS);
  const fieldError = (field: string) => localErrors[field] ?? fieldErrors[field];
  const clear = (field: string) => setLocalErrors(({ [field]: _, ...rest }) => rest);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (!name.trim()) errors.name = 'Give the client a name.';
    if (permissions.length === 0) errors.permissions = 'Choose at least one permission.';
    const minutes = lifespan.trim();
    if (minutes && (!/^\d+$/.test(minutes) || Number(minutes) < 1 || Number(minutes) > MAX_LIFESPAN_MINUTES))
      errors.lifespan = `Enter 1 to ${MAX_LIFESPAN_MINUTES} minutes, or leave it empty.`;
    setLocalErrors(errors);
    if (Object.keys(errors).length) return;
    onSubmit({
      name: name.trim(),
      permissions,
      ...(minutes ? { accessTokenLifespan: Number(minutes) * 60 } : {}),
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label="Name"
          required
          data-autofocus
          value={name}
          onChange={(event) => {
            setName(event.currentTarget.value);
            clear('name');
          }}
          error={fieldError('name')}
        />
        <Checkbox.Group
          label="Permissions"
          description="The scopes the client may ask for. Grant only what it needs."
          value={permissions}
          onChange={(value) => {
            setPermissions(value);
            clear('permissions');
          }}
          error={fieldError('permissions')}
          required
        >
          <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" spacing="xs">
            {catalog.map((permission) => (
              <Checkbox
                key={permission.name}
                value={permission.name}
                label={permission.label}
                description={
                  holds(me, permission.name) ? permission.description : 'You do not hold this permission'
                }
                disabled={!holds(me, permission.name) && !permissions.includes(permission.name)}
              />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
        <TextInput
          label="Access token lifespan (minutes)"
          description="Empty: the access token lifespan from the settings."
          inputMode="numeric"
          value={lifespan}
          onChange={(event) => {
            setLifespan(event.currentTarget.value);
            clear('lifespan');
          }}
          error={fieldError('lifespan')}
          maw={320}
        />
        <ErrorAlert error={general} title="Could not create the client" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={submitting}>
            Create client
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
