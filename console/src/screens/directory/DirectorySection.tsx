import { Button, Group, Modal, Paper, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useDepartments, useUserTypes } from '../../api/hooks/directory.ts';
import { type DirectoryKind, useCreateEntry, useDeleteEntry, useUpdateEntry } from '../../api/hooks/users.ts';
import type { DirectoryEntry } from '../../api/types.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { formatDate } from '../../lib/format.ts';
import { EntryForm } from './EntryForm.tsx';

const NOUNS: Record<DirectoryKind, { one: string; many: string }> = {
  departments: { one: 'department', many: 'departments' },
  'user-types': { one: 'user type', many: 'user types' },
};

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** One directory list (departments or user types): list, create, rename, delete. */
export function DirectorySection({ kind, canWrite }: { kind: DirectoryKind; canWrite: boolean }) {
  const noun = NOUNS[kind];
  const departments = useDepartments(kind === 'departments');
  const userTypes = useUserTypes(kind === 'user-types');
  const list = kind === 'departments' ? departments : userTypes;
  const create = useCreateEntry(kind);
  const save = useUpdateEntry(kind);
  const remove = useDeleteEntry(kind);
  const [editing, setEditing] = useState<{ entry?: DirectoryEntry } | null>(null);
  const [deleting, setDeleting] = useState<DirectoryEntry | null>(null);

  const closeForm = () => {
    create.reset();
    save.reset();
    setEditing(null);
  };
  const closeDelete = () => {
    remove.reset();
    setDeleting(null);
  };
  const saved = (message: string) => {
    closeForm();
    notifications.show({ color: 'green', message });
  };

  const items = list.data ?? [];
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed">
          {kind === 'departments'
            ? 'Departments group users; a token can be limited to one.'
            : 'User types sort users by what they do; a token can be limited to one.'}
        </Text>
        {canWrite ? <Button onClick={() => setEditing({})}>Create {noun.one}</Button> : null}
      </Group>
      <ErrorAlert error={list.error} title={`Could not load ${noun.many}`} onRetry={list.refetch} />
      {list.isLoading ? <Loading label={`Loading ${noun.many}…`} /> : null}
      {list.data && items.length === 0 ? (
        <EmptyState title={`No ${noun.many} yet`} hint={`Create one, then assign users and tokens to it.`} />
      ) : null}
      {items.length ? (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={340}>
            <Table verticalSpacing="sm" fz="sm" aria-label={capitalise(noun.many)}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Description</Table.Th>
                  <Table.Th visibleFrom="sm">Created</Table.Th>
                  {canWrite ? (
                    <Table.Th>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  ) : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((entry) => (
                  <Table.Tr key={entry.id}>
                    <Table.Td fw={600}>{entry.name}</Table.Td>
                    <Table.Td c={entry.description ? undefined : 'dimmed'}>
                      {entry.description ?? '—'}
                    </Table.Td>
                    <Table.Td visibleFrom="sm" style={{ whiteSpace: 'nowrap' }}>
                      {formatDate(entry.createdAt)}
                    </Table.Td>
                    {canWrite ? (
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap" justify="flex-end">
                          <Button
                            size="compact-sm"
                            variant="default"
                            aria-label={`Edit ${entry.name}`}
                            onClick={() => setEditing({ entry })}
                          >
                            Edit
                          </Button>
                          <Button
                            size="compact-sm"
                            color="red"
                            variant="light"
                            aria-label={`Delete ${entry.name}`}
                            onClick={() => setDeleting(entry)}
                          >
                            Delete
                          </Button>
                        </Group>
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      ) : null}

      <Modal
        opened={editing !== null}
        onClose={closeForm}
        title={editing?.entry ? `Edit ${editing.entry.name}` : `Create ${noun.one}`}
      >
        {editing ? (
          <EntryForm
            key={editing.entry?.id ?? 'new'}
            noun={noun.one}
            entry={editing.entry}
            submitting={create.isPending || save.isPending}
            error={create.error ?? save.error}
            onCancel={closeForm}
            onSubmit={(body) => {
              const id = editing.entry?.id;
              if (id === undefined)
                create.mutate(body, { onSuccess: (entry) => saved(`Created ${entry.name}.`) });
              else
                save.mutate({ id, changes: body }, { onSuccess: (entry) => saved(`Saved ${entry.name}.`) });
            }}
          />
        ) : null}
      </Modal>
      <ConfirmModal
        opened={deleting !== null}
        title={`Delete ${deleting?.name ?? ''}?`}
        confirmLabel={`Delete ${noun.one}`}
        danger
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => {
          if (deleting)
            remove.mutate(deleting.id, {
              onSuccess: () => {
                notifications.show({ color: 'green', message: `Deleted ${deleting.name}.` });
                closeDelete();
              },
            });
        }}
        onClose={closeDelete}
      >
        {`A ${noun.one} still assigned to users or active tokens cannot be deleted: reassign them first.`}
      </ConfirmModal>
    </Stack>
  );
}
