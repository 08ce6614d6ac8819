import { Anchor, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useReports } from '../../api/hooks/reports.ts';
import { isAdmin, useMe } from '../../api/hooks/session.ts';
import type { Report } from '../../api/types.ts';
import { CursorPager, useCursorPages } from '../../components/CursorPager.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { formatDate } from '../../lib/format.ts';
import { CreateReportModal } from './CreateReportModal.tsx';
import { reportHref } from './report-links.ts';

/** Seed 001's reports: search them, open one to manage its share tokens; admins create them. */
export function ReportsScreen() {
  const me = useMe();
  const narrow = useMediaQuery('(max-width: 48em)') ?? false;
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const pages = useCursorPages();
  const list = useReports(q, pages.cursor);
  const [creating, setCreating] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new search starts at page 1
  useEffect(() => pages.reset(), [q]);
  const reports = list.data?.items ?? [];

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>Reports</Title>
        {isAdmin(me.data, 'reports:manage') ? (
          <Button onClick={() => setCreating(true)}>Create report</Button>
        ) : null}
      </Group>
      <TextInput
        type="search"
        label="Search"
        placeholder="Id, name or description"
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
        maw={420}
      />
      <ErrorAlert error={list.error} title="Could not load reports" onRetry={list.refetch} />
      {list.isLoading ? <Loading label="Loading reports…" /> : null}
      {list.data && reports.length === 0 ? (
        <Paper withBorder p="xl">
          <Stack align="center" gap="xs">
            <Text fw={600}>{q ? 'No reports match this search' : 'No reports yet'}</Text>
            <Text size="sm" c="dimmed">
              {q
                ? 'Try another word.'
                : isAdmin(me.data, 'reports:manage')
                  ? 'Create a report to share it with links and embed codes.'
                  : 'An administrator creates reports.'}
            </Text>
          </Stack>
        </Paper>
      ) : null}
      {reports.length ? (
        narrow ? (
          <ReportCards reports={reports} />
        ) : (
          <Paper withBorder aria-busy={list.isFetching}>
            <ReportTable reports={reports} />
          </Paper>
        )
      ) : null}
      <CursorPager pages={pages} query={list} />
      <CreateReportModal opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}

function ReportTable({ reports }: { reports: Report[] }) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="xs" fz="sm" highlightOnHover>
        <Table.Caption style={{ captionSide: 'top', textAlign: 'left', paddingLeft: 12 }}>
          Reports, by id
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Id</Table.Th>
            <Table.Th>Description</Table.Th>
            <Table.Th>Created</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {reports.map((report) => (
            <Table.Tr key={report.id}>
              <Table.Td>
                <Anchor component={Link} to={reportHref(report.id)} fw={600} fz="sm">
                  {report.name}
                </Anchor>
              </Table.Td>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{report.id}</Table.Td>
              <Table.Td c={report.description ? undefined : 'dimmed'}>{report.description ?? '—'}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(report.createdAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function ReportCards({ reports }: { reports: Report[] }) {
  return (
    <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Reports">
      {reports.map((report) => (
        <Paper key={report.id} component="li" withBorder p="sm">
          <Anchor component={Link} to={reportHref(report.id)} fw={600} fz="sm">
            {report.name}
          </Anchor>
          <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            {report.id} · created {formatDate(report.createdAt)}
          </Text>
          {report.description ? <Text size="sm">{report.description}</Text> : null}
        </Paper>
      ))}
    </Stack>
  );
}
