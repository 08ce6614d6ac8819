import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useState } from 'react';
import { splitFormError, toApiError } from '../../api/errors.ts';
import { usePublishToCloud } from '../../api/hooks/reports.ts';
import type { Report } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

/** "Publish to cloud": a share token created on the cloud instance, listed as a cloud token afterwards. */
export function PublishToCloudModal({
  report,
  opened,
  onClose,
}: {
  report: Report;
  opened: boolean;
  onClose: () => void;
}) {
  const publish = usePublishToCloud(report.id);
  const [name, setName] = useState('');
  const server = splitFormError(publish.error, { name: 'name' });
  const disabled = publish.error ? toApiError(publish.error).code === 'CLOUD_DISABLED' : false;
  const close = () => {
    publish.reset();
    setName('');
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    publish.mutate(name.trim() ? { name: name.trim() } : {}, {
      onSuccess: (token) => {
        notifications.show({
          color: 'green',
          message: `Published ${report.name} to the cloud as ${token.name}.`,
        });
        close();
      },
    });
  };

  return (
    <Modal opened={opened} onClose={close} title="Publish to cloud" size="md">
      <form onSubmit={submit} noValidate aria-label="Publish to cloud">
        <Stack>
          <Text size="sm">
            The cloud instance creates a public share link for <b>{report.name}</b>, registering the report
            there first if it is new.
          </Text>
          <TextInput
            label="Name"
            description="Optional: who the cloud link is for."
            value={name}
            maxLength={100}
            onChange={(event) => setName(event.currentTarget.value)}
            error={server.fieldErrors.name}
            data-autofocus
          />
          <ErrorAlert
            error={server.general}
            title={disabled ? 'Cloud publishing is not set up' : 'The report was not published'}
          />
          {disabled ? (
            <Text size="sm" c="dimmed">
              An administrator can turn it on in the settings: cloud publishing, the cloud's address and its
              API token.
            </Text>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {disabled ? 'Close' : 'Cancel'}
            </Button>
            <Button type="submit" loading={publish.isPending} disabled={disabled}>
              Publish
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
