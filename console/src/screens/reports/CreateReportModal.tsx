import { Button, Group, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { splitFormError } from '../../api/errors.ts';
import { useCreateReport } from '../../api/hooks/reports.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { reportHref } from './report-links.ts';

const SERVER_FIELDS: Record<string, string> = {
  id: 'id',
  name: 'name',
  description: 'description',
  viewerUrl: 'viewerUrl',
};
/** The API's rule for report ids: letters, digits and . _ : - (no /, not only dots). */
const REPORT_ID = /^[A-Za-z0-9._:-]+$/;

/** "Create report" (admins with reports:manage); opens the new report's page. */
export function CreateReportModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const narrow = useMediaQuery('(max-width: 40em)');
  const navigate = useNavigate();
  const create = useCreateReport();
  const [fields, setFields] = useState({ id: '', name: '', description: '', viewerUrl: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const server = splitFormError(create.error, SERVER_FIELDS);
  const fieldError = (field: string) => errors[field] ?? server.fieldErrors[field];
  const set = (field: keyof typeof fields) => (value: string) => {
    setFields((current) => ({ ...current, [field]: value }));
    setErrors(({ [field]: _, ...rest }) => rest);
  };
  const close = () => {
    create.reset();
    setFields({ id: '', name: '', description: '', viewerUrl: '' });
    setErrors({});
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const id = fields.id.trim();
    const found: Record<string, string> = {};
    if (!id) found.id = 'Give the report an id, such as team:sales-dashboard.';
    else if (!REPORT_ID.test(id) || /^\.+$/.test(id))
      found.id = 'Use letters, digits and . _ : - only (no spaces or /).';
    if (!fields.name.trim()) found.name = 'Give the report a name.';
    if (fields.viewerUrl.trim() && !/^https?:\/\//i.test(fields.viewerUrl.trim()))
      found.viewerUrl = 'Use an http(s) address.';
    setErrors(found);
    if (Object.keys(found).length) return;
    create.mutate(
      {
        id,
        name: fields.name.trim(),
        description: fields.description.trim() || null,
        viewerUrl: fields.viewerUrl.trim() || null,
      },
      {
        onSuccess: (report) => {
          close();
          navigate(reportHref(report.id));
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={close} title="Create report" size="lg" fullScreen={narrow ?? false}>
      <form onSubmit={submit} noValidate aria-label="Create report">
        <Stack>
          <TextInput
            label="Report id"
            description="Letters, digits and . _ : - such as team:sales-dashboard. It cannot be changed later."
            required
            value={fields.id}
            onChange={(event) => set('id')(event.currentTarget.value)}
            error={fieldError('id')}
            data-autofocus
          />
          <TextInput
            label="Name"
            required
            value={fields.name}
            onChange={(event) => set('name')(event.currentTarget.value)}
            error={fieldError('name')}
          />
          <Textarea
            label="Description"
            autosize
            minRows={2}
            maxRows={4}
            value={fields.description}
            onChange={(event) => set('description')(event.currentTarget.value)}
            error={fieldError('description')}
          />
          <TextInput
            label="Viewer URL"
            description="Optional: where a share link opens the report; {token} and {reportId} are filled in."
            placeholder="https://bi.example.com/render/{reportId}?token={token}"
            value={fields.viewerUrl}
            onChange={(event) => set('viewerUrl')(event.currentTarget.value)}
            error={fieldError('viewerUrl')}
          />
          <ErrorAlert error={server.general} title="The report was not created" />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create report
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
