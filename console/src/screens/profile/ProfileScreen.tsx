import { Badge, Paper, Stack, Title } from '@mantine/core';
import { useMe } from '../../api/hooks/session.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { FieldList } from '../../components/FieldList.tsx';
import { Loading } from '../../components/Loading.tsx';
import { formatDateTime } from '../../lib/format.ts';

/** Seed 002's profile fields, read-only for now. */
export function ProfileScreen() {
  const me = useMe();
  return (
    <Stack maw={800}>
      <Title order={2}>My profile</Title>
      {me.isLoading ? <Loading label="Loading your profile…" /> : null}
      <ErrorAlert error={me.error} title="Could not load your profile" onRetry={me.refetch} />
      {me.data ? (
        <Paper withBorder p="md">
          <FieldList
            fields={[
              ['Username', me.data.username],
              ['Full name', me.data.fullName],
              ['Email', me.data.email],
              ['Preferred language', me.data.preferredLanguage],
              [
                'Role',
                <Badge key="role" variant="light">
                  {me.data.role}
                </Badge>,
              ],
              ['Sign-in', me.data.sso ? 'Single sign-on' : 'Password'],
              ['Member since', formatDateTime(me.data.createdAt)],
            ]}
          />
        </Paper>
      ) : null}
    </Stack>
  );
}
