import { Button, Group, Select, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useState } from 'react';
import type { DirectoryEntry } from '../../api/types.ts';
import { USER_FILTER_DEFAULTS, type UserFilters } from './user-filters.ts';

interface UserFilterBarProps {
  filters: UserFilters;
  onChange: (changes: Partial<UserFilters>) => void;
  departments: DirectoryEntry[];
  userTypes: DirectoryEntry[];
}

const ROLE_OPTIONS = [
  { value: '', label: 'Any role' },
  { value: 'admin', label: 'Administrator' },
  { value: 'member', label: 'Member' },
];

const options = (any: string, entries: DirectoryEntry[]) => [
  { value: '', label: any },
  ...entries.map((e) => ({ value: String(e.id), label: e.name })),
];

/** Search (username, name or email) and the role, department and user type filters. */
export function UserFilterBar({ filters, onChange, departments, userTypes }: UserFilterBarProps) {
  const [search, setSearch] = useState(filters.q);
  const commitSearch = useDebouncedCallback((q: string) => onChange({ q }), 300);
  const select = (key: keyof UserFilters) => (value: string | null) => onChange({ [key]: value ?? '' });
  return (
    <Group align="end" gap="sm" wrap="wrap">
      <TextInput
        type="search"
        label="Search"
        placeholder="Username, name or email"
        value={search}
        onChange={(event) => {
          setSearch(event.currentTarget.value);
          commitSearch(event.currentTarget.value);
        }}
        w={240}
      />
      <Select
        label="Role"
        data={ROLE_OPTIONS}
        value={filters.role}
        onChange={select('role')}
        w={150}
        allowDeselect={false}
      />
      <Select
        label="Department"
        data={options('Any department', departments)}
        value={filters.departmentId}
        onChange={select('departmentId')}
        w={170}
        allowDeselect={false}
      />
      <Select
        label="User type"
        data={options('Any user type', userTypes)}
        value={filters.userTypeId}
        onChange={select('userTypeId')}
        w={170}
        allowDeselect={false}
      />
      <Button
        variant="subtle"
        onClick={() => {
          setSearch('');
          onChange(USER_FILTER_DEFAULTS);
        }}
      >
        Clear filters
      </Button>
    </Group>
  );
}
