import { Select } from '@mantine/core';
import type { DirectoryEntry, User } from '../../api/types.ts';
import { DirectoryFilters } from '../../components/DirectoryFilters.tsx';
import { FilterBar } from '../../components/FilterBar.tsx';
import { SESSION_FILTER_DEFAULTS, type SessionFilters } from './session-filters.ts';

interface SessionFilterBarProps {
  filters: SessionFilters;
  onChange: (changes: Partial<SessionFilters>) => void;
  directory: { users: User[]; departments: DirectoryEntry[]; userTypes: DirectoryEntry[] };
}

const STATUS_OPTIONS = [
  { value: '', label: 'Any status' },
  { value: 'active', label: 'Active' },
  { value: 'expired', label: 'Expired' },
  { value: 'revoked', label: 'Revoked' },
];
const SORT_OPTIONS = [
  { value: 'lastActiveAt:desc', label: 'Last active first' },
  { value: 'lastActiveAt:asc', label: 'Least recently active' },
  { value: 'createdAt:desc', label: 'Newest sign-in first' },
  { value: 'createdAt:asc', label: 'Oldest sign-in first' },
  { value: 'expiresAt:asc', label: 'Expiring first' },
  { value: 'expiresAt:desc', label: 'Expiring last' },
];

/** Search (user name, email or device), filters, and the sort order for small screens. */
export function SessionFilterBar({ filters, onChange, directory }: SessionFilterBarProps) {
  return (
    <FilterBar
      q={filters.q}
      searchPlaceholder="User name, email or device"
      searchWidth={240}
      onSearch={(q) => onChange({ q })}
      onClear={() => {
        const { sort: _sort, order: _order, ...cleared } = SESSION_FILTER_DEFAULTS;
        onChange(cleared);
      }}
    >
      <Select
        label="Status"
        data={STATUS_OPTIONS}
        value={filters.status}
        onChange={(status) => onChange({ status: (status ?? '') as SessionFilters['status'] })}
        w={140}
        allowDeselect={false}
      />
      <DirectoryFilters {...directory} values={filters} onChange={onChange} />
      <Select
        label="Sort by"
        data={SORT_OPTIONS}
        value={`${filters.sort}:${filters.order}`}
        onChange={(value) => {
          const [sort, order] = (value ?? 'lastActiveAt:desc').split(':') as [
            SessionFilters['sort'],
            SessionFilters['order'],
          ];
          onChange({ sort, order });
        }}
        w={190}
        allowDeselect={false}
      />
    </FilterBar>
  );
}
