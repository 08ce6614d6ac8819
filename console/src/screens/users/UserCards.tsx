import { Anchor, Group, Paper, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { permissionsText, RoleBadge, UserActions, type UserRowsProps } from './UserTable.tsx';

/** Users as cards (narrow screens), one per user, with the same facts and actions as the table. */
export function UserCards({
  users,
  departmentNames,
  userTypeNames,
  canWrite,
  onEdit,
  onDelete,
  detailsHref,
}: UserRowsProps) {
  return (
    <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Users">
      {users.map((user) => {
        const where = [
          user.departmentId ? departmentNames.get(user.departmentId) : null,
          user.userTypeId ? userTypeNames.get(user.userTypeId) : null,
        ].filter(Boolean);
        return (
          <Paper withBorder p="sm" key={user.id} component="li" aria-label={user.username}>
            <Group justify="space-between" wrap="nowrap" align="start">
              <div style={{ minWidth: 0 }}>
                <Anchor component={Link} to={detailsHref(user)} fw={600}>
                  {user.username}
                </Anchor>
                {user.fullName ? <Text size="sm">{user.fullName}</Text> : null}
                {user.email ? (
                  <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                    {user.email}
                  </Text>
                ) : null}
              </div>
              <RoleBadge role={user.role} />
            </Group>
            <Text size="sm" mt={4}>
              {where.length ? where.join(' · ') : 'No department or user type'}
            </Text>
            <Text size="xs" c="dimmed">
              Permissions: {permissionsText(user)}
            </Text>
            {canWrite ? (
              <Group mt="xs" justify="flex-end">
                <UserActions user={user} onEdit={onEdit} onDelete={onDelete} />
              </Group>
            ) : null}
          </Paper>
        );
      })}
    </Stack>
  );
}
