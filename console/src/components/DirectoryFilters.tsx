import { Select } from '@mantine/core';
import type { DirectoryEntry, User } from '../api/types.ts';
import { UserPicker } from './UserPicker.tsx';

type DirectoryKey = 'userId' | 'departmentId' | 'userTypeId';

interface DirectoryFiltersProps {
  /**
   * Users already loaded (named without a request); the user filter searches the API for others.
   * Without users (no users:read), only the department and user type selects are shown.
   */
  users?: User[];
  departments: DirectoryEntry[];
  userTypes: DirectoryEntry[];
  values: { userId?: string; departmentId: string; userTypeId: string };
  onChange: (changes: Partial<Record<DirectoryKey, string>>) => void;
}

const options = <T,>(any: string, entries: T[], value: (e: T) => number, label: (e: T) => string) => [
  { value: '', label: any },
  ...entries.map((e) => ({ value: String(value(e)), label: label(e) })),
];

/** The user, department and user type filters of a list screen; "" means any. */
export function DirectoryFilters({ users, departments, userTypes, values, onChange }: DirectoryFiltersProps) {
  const select = (key: DirectoryKey) => (value: string | null) => onChange({ [key]: value ?? '' });
  return (
    <>
      {users ? (
        <UserPicker
          label="User"
          placeholder="Any user"
          clearable
          known={users}
          value={values.userId ?? ''}
          onChange={(id) => onChange({ userId: id })}
          w={170}
        />
      ) : null}
      <Select
        label="Department"
        data={options(
          'Any department',
          departments,
          (d) => d.id,
          (d) => d.name,
        )}
        value={values.departmentId}
        onChange={select('departmentId')}
        w={170}
        allowDeselect={false}
      />
      <Select
        label="User type"
        data={options(
          'Any user type',
          userTypes,
          (t) => t.id,
          (t) => t.name,
        )}
        value={values.userTypeId}
        onChange={select('userTypeId')}
        w={170}
        allowDeselect={false}
      />
    </>
  );
}
