import { Anchor, Badge, Button, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import { Link } from 'react-router';
import type { User } from '../../api/types.ts';
import { formatDate } from '../../lib/format.ts';

export interface UserRowsProps {
  users: User[];
  /** id → name of departments and user types. */
  departmentNames: Map<number, string>;
  userTypeNames: Map<number, string>;
  /** Offer "Edit" and "Delete" (users:write). */
  canWrite: boolean;
  onEdit: (user: User) => void;
  onDelete: (user: User) => void;
  /** The address of a user's details, /users/{id} with the list's filters. */
  detailsHref: (user: User) => string;
}

export function RoleBadge({ role }: { role: User['role'] }) {
  return role === 'admin' ? (
    <Badge variant="light" color="grape">
      Admin
    </Badge>
  ) : (
    <Badge variant="light" color="gray">
      Member
    </Badge>
  );
}

export const permissionsText = (user: User) =>
  user.permissions === null ? 'Role defaults' : `${user.permissions.length} custom`;

export function UserActions({
  user,
  onEdit,
  onDelete,
}: Pick<UserRowsProps, 'onEdit' | 'onDelete'> & { user: User }) {
  return (
    <Group gap="xs" wrap="nowrap" justify="flex-end">
      <Button
        size="compact-sm"
        variant="default"
        aria-label={`Edit ${user.username}`}
        onClick={() => onEdit(user)}
      >
        Edit
      </Button>
      <Button
        size="compact-sm"
        color="red"
        variant="light"
        aria-label={`Delete ${user.username}`}
        onClick={() => onDelete(user)}
      >
        Delete
      </Button>
    </Group>
  );
}

/** Users as a table (wide screens): who they are, their role, where they belong, and actions. */
export function UserTable({
  users,
  departmentNames,
  userTypeNames,
  canWrite,
  onEdit,
  onDelete,
  detailsHref,
}: UserRowsProps) {
  return (
    <Table.ScrollContainer minWidth={960}>
      <Table verticalSpacing="sm" fz="sm" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Username</Table.Th>
            <Table.Th>Full name</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Department</Table.Th>
            <Table.Th>User type</Table.Th>
            <Table.Th>Permissions</Table.Th>
            <Table.Th>Created</Table.Th>
            {canWrite ? (
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            ) : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((user) => (
            <Table.Tr key={user.id}>
              <Table.Td>
                <Anchor component={Link} to={detailsHref(user)} fw={600} fz="sm">
                  {user.username}
                </Anchor>
                {user.sso ? (
                  <Text size="xs" c="dimmed">
                    single sign-on
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>{user.fullName ?? '—'}</Table.Td>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{user.email ?? '—'}</Table.Td>
              <Table.Td>
                <RoleBadge role={user.role} />
              </Table.Td>
              <Table.Td>
                {user.departmentId
                  ? (departmentNames.get(user.departmentId) ?? `#${user.departmentId}`)
                  : '—'}
              </Table.Td>
              <Table.Td>
                {user.userTypeId ? (userTypeNames.get(user.userTypeId) ?? `#${user.userTypeId}`) : '—'}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{permissionsText(user)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(user.createdAt)}</Table.Td>
              {canWrite ? (
                <Table.Td>
                  <UserActions user={user} onEdit={onEdit} onDelete={onDelete} />
                </Table.Td>
              ) : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
