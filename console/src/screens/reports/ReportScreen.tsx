import { Alert, Anchor, Button, Code, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useReport, useReportTokens, useRevokeShareToken } from '../../api/hooks/reports.ts';
import { holds, isAdmin, useMe } from '../../api/hooks/session.ts';
import type { Report, ReportToken } from '../../api/types.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { FieldList } from '../../components/FieldList.tsx';
import { Loading } from '../../components/Loading.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { CreateShareTokenModal } from './CreateShareTokenModal.tsx';
import { PublishToCloudModal } from './PublishToCloudModal.tsx';
import { ShareTokenList } from './ShareTokenList.tsx';

/** One report (`/reports/{id}`): its details and its share tokens, local and cloud (seed 001). */
export function ReportScreen() {
  const { id = '' } = useParams();
  const report = useReport(id);
  return (
    <Stack maw={960}>
      <Anchor component={Link} to="/reports" size="sm">
        ← All reports
      </Anchor>
      {report.isLoading ? <Loading label="Loading the report…" /> : null}
      <ErrorAlert error={report.error} title="Could not load the report" onRetry={report.refetch} />
      {report.data ? <ReportDetails report={report.data} /> : null}
    </Stack>
  );
}

function ReportDetails({ report }: { report: Report }) {
  const me = useMe();
  const tokens = useReportTokens(report.id);
  const revoke = useRevokeShareToken(report.id);
  const [creating, setCreating] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [revoking, setRevoking] = useState<ReportToken | null>(null);
  const canShare = holds(me.data, 'tokens:manage');
  const canPublish = isAdmin(me.data, 'tokens:manage');
  const closeRevoke = () => {
    revoke.reset();
    setRevoking(null);
  };
  const list = tokens.data?.tokens ?? [];

  return (
    <>
      <Title order={2}>{report.name}</Title>
      <Paper withBorder p="md">
        <FieldList
          fields={[
            ['Report id', <Code key="id">{report.id}</Code>],
            ['Description', report.description],
            ['Viewer URL', report.viewerUrl],
            ['Created', formatDateTime(report.createdAt)],
          ]}
        />
      </Paper>
      <Paper withBorder p="md" component="section" aria-labelledby="share-tokens">
        <Stack>
          <Group justify="space-between" wrap="wrap">
            <Title order={3} size="h4" id="share-tokens">
              Share tokens
            </Title>
            <Group gap="xs">
              {canPublish ? (
                <Button variant="default" onClick={() => setPublishing(true)}>
                  Publish to cloud
                </Button>
              ) : null}
              {canShare ? <Button onClick={() => setCreating(true)}>Create share token</Button> : null}
            </Group>
          </Group>
          <Text size="sm" c="dimmed">
            Anyone with a share link can open this report, and nothing else, until it expires or is revoked.
          </Text>
          {tokens.isLoading ? <Loading label="Loading share tokens…" /> : null}
          <ErrorAlert error={tokens.error} title="Could not load the share tokens" onRetry={tokens.refetch} />
          {tokens.data?.warning ? (
            <Alert color="yellow" variant="light" title="Cloud tokens could not be listed" role="alert">
              <Text size="sm">{tokens.data.warning.message}</Text>
              <Text size="xs" c="dimmed" mt={4}>
                {tokens.data.warning.code} · the local tokens below are complete.
              </Text>
            </Alert>
          ) : null}
          {tokens.data && list.length === 0 ? (
            <Text size="sm" c="dimmed" ta="center" py="md">
              No active share tokens.{canShare ? ' Create one to share this report.' : ''}
            </Text>
          ) : null}
          {list.length ? (
            <ShareTokenList tokens={list} onRevoke={setRevoking} canRevokeCloud={canPublish} />
          ) : null}
        </Stack>
      </Paper>
      <CreateShareTokenModal report={report} opened={creating} onClose={() => setCreating(false)} />
      <PublishToCloudModal report={report} opened={publishing} onClose={() => setPublishing(false)} />
      <ConfirmModal
        opened={revoking !== null}
        title={`Revoke ${revoking?.name ?? 'share token'}?`}
        confirmLabel="Revoke"
        danger
        loading={revoke.isPending}
        error={revoke.error}
        onClose={closeRevoke}
        onConfirm={() =>
          revoking &&
          revoke.mutate(revoking, {
            onSuccess: () => {
              notifications.show({ color: 'green', message: `Revoked ${revoking.name}.` });
              closeRevoke();
            },
          })
        }
      >
        {revoking?.cloud
          ? 'The cloud instance revokes this link: pages embedding it stop showing the report.'
          : 'The link stops working at once: pages embedding it stop showing the report.'}
      </ConfirmModal>
    </>
  );
}
