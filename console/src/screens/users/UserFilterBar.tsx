import { Select } from '@mantine/core';
import type { DirectoryEntry } from '../../api/types.ts';
import { DirectoryFilters } from '../../components/DirectoryFilters.tsx';
import { FilterBar } from '../../components/FilterBar.tsx';
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

/** Search (username, name or email) and the role, department and user type filters. */
export function UserFilterBar({ filters, onChange, departments, userTypes }: UserFilterBarProps) {
  return (
    <FilterBar
      q={filters.q}
      searchPlaceholder="Username, name or email"
      searchWidth={240}
      onSearch={(q) => onChange({ q })}
      onClear={() => onChange(USER_FILTER_DEFAULTS)}
    >
      <Select
        label="Role"
        data={ROLE_OPTIONS}
        value={filters.role}
        onChange={(role) => onChange({ role: (role ?? '') as UserFilters['role'] })}
        w={150}
        allowDeselect={false}
      />
      <DirectoryFilters
        departments={departments}
        userTypes={userTypes}
        values={filters}
        onChange={onChange}
      />
    </FilterBar>
  );
}
