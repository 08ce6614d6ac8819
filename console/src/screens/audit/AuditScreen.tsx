import { Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useAuditLog } from '../../api/hooks/audit.ts';
import { namesById, userName, useUsers } from '../../api/hooks/directory.ts';
import { AuditTable } from '../../components/AuditTable.tsx';
import { CursorPager, useCursorPages } from '../../components/CursorPager.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';

/** The tenant's audit log, newest first, filtered by action and target (administrators with audit:read). */
export function AuditScreen() {
  const [action, setAction] = useState('');
  const [targetId, setTargetId] = useState('');
  const [filters] = useDebouncedValue({ action: action.trim(), targetId: targetId.trim() }, 300);
  const pages = useCursorPages();
  // biome-ignore lint/correctness/useExhaustiveDependencies: a filter change starts again at page 1
  useEffect(() => pages.reset(), [filters.action, filters.targetId]);

  const log = useAuditLog({
    limit: 50,
    ...(filters.action ? { action: filters.action } : {}),
    ...(filters.targetId ? { targetId: filters.targetId } : {}),
    ...(pages.cursor ? { cursor: pages.cursor } : {}),
  });
  const users = useUsers(true);

  return (
    <Stack>
      <Title order={2}>Audit log</Title>
      <Group align="end" wrap="wrap">
        <TextInput
          label="Action"
          placeholder="e.g. token.create"
          value={action}
          onChange={(event) => setAction(event.currentTarget.value)}
        />
        <TextInput
          label="Target id"
          placeholder="A token or user id"
          value={targetId}
          onChange={(event) => setTargetId(event.currentTarget.value)}
        />
      </Group>
      <ErrorAlert error={log.error} title="Could not load the audit log" onRetry={log.refetch} />
      {log.isLoading ? <Loading label="Loading the audit log…" /> : null}
      {log.data && log.data.items.length === 0 ? (
        <Paper withBorder p="xl">
          <Text ta="center" c="dimmed">
            No audit events match these filters.
          </Text>
        </Paper>
      ) : null}
      {log.data?.items.length ? (
        <Paper withBorder>
          <AuditTable
            events={log.data.items}
            userNames={namesById(users.data, userName)}
            caption={`Audit events, page ${pages.page}`}
          />
        </Paper>
      ) : null}
      <CursorPager
        page={pages.page}
        nextCursor={log.data?.nextCursor}
        onNext={pages.next}
        onPrevious={pages.previous}
        loading={log.isFetching}
      />
    </Stack>
  );
}
