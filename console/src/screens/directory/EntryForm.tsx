import { Button, Group, Stack, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { splitFormError } from '../../api/errors.ts';
import type { DirectoryEntry, DirectoryEntryBody } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

const SERVER_FIELDS: Record<string, string> = { name: 'name', description: 'description' };

interface EntryFormProps {
  /** "department" or "user type", for the messages. */
  noun: string;
  /** The entry being edited; absent: a new one. */
  entry?: DirectoryEntry;
  submitting: boolean;
  error: unknown;
  onSubmit: (body: DirectoryEntryBody) => void;
  onCancel: () => void;
}

/** A department's or user type's name and description. */
export function EntryForm({ noun, entry, submitting, error, onSubmit, onCancel }: EntryFormProps) {
  const [name, setName] = useState(entry?.name ?? '');
  const [description, setDescription] = useState(entry?.description ?? '');
  const [nameError, setNameError] = useState<string | null>(null);
  const { fieldErrors, general } = splitFormError(error, SERVER_FIELDS);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setNameError(`Give the ${noun} a name.`);
      return;
    }
    onSubmit({ name: name.trim(), description: description.trim() || null });
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
            setNameError(null);
          }}
          error={nameError ?? fieldErrors.name}
        />
        <Textarea
          label="Description"
          autosize
          minRows={2}
          value={description}
          onChange={(event) => setDescription(event.currentTarget.value)}
          error={fieldErrors.description}
        />
        <ErrorAlert
          error={general}
          title={entry ? `Could not save the ${noun}` : `Could not create the ${noun}`}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={submitting}>
            {entry ? 'Save changes' : `Create ${noun}`}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
