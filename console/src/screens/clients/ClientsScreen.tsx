import { Button, Code, Group, Modal, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import {
  useClients,
  useCreateClient,
  useDeleteClient,
  useRotateClientSecret,
} from '../../api/hooks/clients.ts';
import { useCatalog } from '../../api/hooks/directory.ts';
import { useMe } from '../../api/hooks/session.ts';
import type { CreatedOAuthClient, OAuthClient } from '../../api/types.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { ClientSecret } from './ClientSecret.tsx';
import { CreateClientForm } from './CreateClientForm.tsx';

type Pending = { action: 'rotate' | 'delete'; client: OAuthClient } | null;

const lifespanText = (seconds: number | null) =>
  seconds === null
    ? 'From settings'
    : seconds % 3600 === 0
      ? `${seconds / 3600} h`
      : `${Math.round(seconds / 60)} min`;

/** OAuth clients for the client_credentials grant: list, create (secret shown once), rotate, delete. */
export function ClientsScreen() {
  const me = useMe();
  const clients = useClients();
  const catalog = useCatalog();
  const create = useCreateClient();
  const rotate = useRotateClientSecret();
  const remove = useDeleteClient();
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<{ client: CreatedOAuthClient; title: string } | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const labels = new Map((catalog.data ?? []).map((p) => [p.name, p.label]));

  const closeCreate = () => {
    create.reset();
    setCreating(false);
  };
  const closePending = () => {
    rotate.reset();
    remove.reset();
    setPending(null);
  };
  const confirmPending = () => {
    if (!pending) return;
    const { client } = pending;
    if (pending.action === 'rotate')
      rotate.mutate(client.client_id, {
        onSuccess: (rotated) => {
          closePending();
          setShown({ client: rotated, title: 'New client secret' });
        },
      });
    else
      remove.mutate(client.client_id, {
        onSuccess: () => {
          closePending();
          notifications.show({ color: 'green', message: `Deleted ${client.name}.` });
        },
      });
  };

  const items = clients.data ?? [];
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <div>
          <Title order={2}>OAuth clients</Title>
          <Text size="sm" c="dimmed">
            Applications that get access tokens with the client_credentials grant at /oauth/token.
          </Text>
        </div>
        <Button onClick={() => setCreating(true)}>Create client</Button>
      </Group>
      <ErrorAlert error={clients.error} title="Could not load OAuth clients" onRetry={clients.refetch} />
      {clients.isLoading ? <Loading label="Loading OAuth clients…" /> : null}
      {clients.data && items.length === 0 ? (
        <EmptyState title="No OAuth clients yet" hint="Create one to let an application get access tokens." />
      ) : null}
      {items.length ? (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={860}>
            <Table verticalSpacing="sm" fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Client ID</Table.Th>
                  <Table.Th>Permissions</Table.Th>
                  <Table.Th>Token lifespan</Table.Th>
                  <Table.Th>Secret</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((client) => (
                  <Table.Tr key={client.client_id}>
                    <Table.Td fw={600}>{client.name}</Table.Td>
                    <Table.Td>
                      <Code>{client.client_id}</Code>
                    </Table.Td>
                    <Table.Td maw={260}>
                      {client.permissions.map((p) => labels.get(p) ?? p).join(', ')}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {lifespanText(client.accessTokenLifespan)}
                    </Table.Td>
                    <Table.Td>
                      <Code>{client.secretHint}</Code>
                      {client.secretRotatedAt ? (
                        <Text size="xs" c="dimmed">
                          rotated {formatDateTime(client.secretRotatedAt)}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(client.createdAt)}</Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap" justify="flex-end">
                        <Button
                          size="compact-sm"
                          variant="default"
                          aria-label={`Rotate secret of ${client.name}`}
                          onClick={() => setPending({ action: 'rotate', client })}
                        >
                          Rotate secret
                        </Button>
                        <Button
                          size="compact-sm"
                          color="red"
                          variant="light"
                          aria-label={`Delete ${client.name}`}
                          onClick={() => setPending({ action: 'delete', client })}
                        >
                          Delete
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      ) : null}

      <Modal opened={creating} onClose={closeCreate} title="Create OAuth client" size="lg">
        {catalog.isLoading || me.isLoading ? <Loading label="Loading permissions…" /> : null}
        <ErrorAlert error={catalog.error} title="Could not load the permissions" onRetry={catalog.refetch} />
        {catalog.data && me.data ? (
          <CreateClientForm
            me={me.data}
            catalog={catalog.data}
            submitting={create.isPending}
            error={create.error}
            onCancel={closeCreate}
            onSubmit={(body) =>
              create.mutate(body, {
                onSuccess: (client) => {
                  closeCreate();
                  setShown({ client, title: 'Client created' });
                },
              })
            }
          />
        ) : null}
      </Modal>
      <Modal
        opened={shown !== null}
        onClose={() => setShown(null)}
        title={shown?.title}
        size="lg"
        closeOnClickOutside={false}
      >
        {shown ? <ClientSecret client={shown.client} onDone={() => setShown(null)} /> : null}
      </Modal>
      <ConfirmModal
        opened={pending !== null}
        title={
          pending?.action === 'rotate'
            ? `Rotate the secret of ${pending.client.name}?`
            : `Delete ${pending?.client.name}?`
        }
        confirmLabel={pending?.action === 'rotate' ? 'Rotate secret' : 'Delete client'}
        danger
        loading={rotate.isPending || remove.isPending}
        error={rotate.error ?? remove.error}
        onConfirm={confirmPending}
        onClose={closePending}
      >
        {pending?.action === 'rotate'
          ? 'The current secret stops working at once. The new one is shown once.'
          : 'The client is deleted and every token issued to it is revoked. This cannot be undone.'}
      </ConfirmModal>
    </Stack>
  );
}
