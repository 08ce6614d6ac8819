import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useState } from 'react';
import { splitFormError } from '../../api/errors.ts';
import { useCreateShareToken } from '../../api/hooks/reports.ts';
import type { Report } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import {
  DEFAULT_EXPIRY,
  type ExpiryChoice,
  ExpiryField,
  expiryBody,
  expiryProblem,
} from '../../components/ExpiryField.tsx';
import { useMaxTokenDays } from '../../lib/expiry.ts';

const SERVER_FIELDS: Record<string, string> = { name: 'name', expiresInDays: 'expiry', expiresAt: 'expiry' };

/**
 * "Create share token": a local link to the report. Share tokens stay listed on the report's page, so the
 * new one is copied from there rather than shown once.
 */
export function CreateShareTokenModal({
  report,
  opened,
  onClose,
}: {
  report: Report;
  opened: boolean;
  onClose: () => void;
}) {
  const narrow = useMediaQuery('(max-width: 40em)');
  const { maxDays, known: maxDaysKnown } = useMaxTokenDays();
  const create = useCreateShareToken(report.id);
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState<ExpiryChoice>(DEFAULT_EXPIRY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const server = splitFormError(create.error, SERVER_FIELDS);
  const fieldError = (field: string) => errors[field] ?? server.fieldErrors[field];
  const close = () => {
    create.reset();
    setName('');
    setExpiry(DEFAULT_EXPIRY);
    setErrors({});
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (name.trim().length > 100) found.name = 'At most 100 characters.';
    const problem = expiryProblem(expiry, maxDays);
    if (problem) found.expiry = problem;
    setErrors(found);
    if (Object.keys(found).length) return;
    create.mutate(
      { ...(name.trim() ? { name: name.trim() } : {}), ...expiryBody(expiry) },
      {
        onSuccess: (token) => {
          notifications.show({ color: 'green', message: `Created ${token.name}: copy its link below.` });
          close();
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={close} title="Create share token" size="lg" fullScreen={narrow ?? false}>
      <form onSubmit={submit} noValidate aria-label="Create share token">
        <Stack>
          <TextInput
            label="Name"
            description="Optional: who the link is for."
            placeholder={`Share link for ${report.name}`}
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
            value={expiry}
            onChange={(value) => {
              setExpiry(value);
              setErrors(({ expiry: _, ...rest }) => rest);
            }}
            maxDays={maxDays}
            maxDaysKnown={maxDaysKnown}
            error={fieldError('expiry')}
          />
          <ErrorAlert error={server.general} title="The share token was not created" />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create share token
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
