import { Select } from '@mantine/core';
import type { DirectoryEntry, User } from '../../api/types.ts';
import { DirectoryFilters } from '../../components/DirectoryFilters.tsx';
import { FilterBar } from '../../components/FilterBar.tsx';
import { KIND_LABELS } from '../../lib/format.ts';
import type { TokenFilters } from './token-filters.ts';

interface TokenFilterBarProps {
  filters: TokenFilters;
  onChange: (changes: Partial<TokenFilters>) => void;
  /** Administrators filter by user, department and user type; members see only their own tokens. */
  directory?: { users: User[]; departments: DirectoryEntry[]; userTypes: DirectoryEntry[] };
}

const STATUS_OPTIONS = [
  { value: '', label: 'Any status' },
  { value: 'active', label: 'Active' },
  { value: 'expired', label: 'Expired' },
  { value: 'revoked', label: 'Revoked' },
];
const KIND_OPTIONS = [
  { value: 'all', label: 'Any kind' },
  ...Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label })),
];
const EXPIRING_OPTIONS = [
  { value: '', label: 'Any time' },
  { value: '7', label: 'Within 7 days' },
  { value: '30', label: 'Within 30 days' },
  { value: '90', label: 'Within 90 days' },
];
const SORT_OPTIONS = [
  { value: 'createdAt:desc', label: 'Newest first' },
  { value: 'createdAt:asc', label: 'Oldest first' },
  { value: 'expiresAt:asc', label: 'Expiring first' },
  { value: 'expiresAt:desc', label: 'Expiring last' },
  { value: 'name:asc', label: 'Name A–Z' },
  { value: 'name:desc', label: 'Name Z–A' },
];

/** Search, filters and (for small screens, where the table headers scroll away) the sort order. */
export function TokenFilterBar({ filters, onChange, directory }: TokenFilterBarProps) {
  const select = (key: keyof TokenFilters) => (value: string | null) => onChange({ [key]: value ?? '' });
  return (
    <FilterBar
      q={filters.q}
      searchPlaceholder="Name or description"
      searchWidth={{ base: '100%', xs: 220 }}
      onSearch={(q) => onChange({ q })}
      onClear={() =>
        onChange({
          q: '',
          status: '',
          kind: 'api',
          expiringWithinDays: '',
          userId: '',
          departmentId: '',
          userTypeId: '',
        })
      }
    >
      <Select
        label="Status"
        data={STATUS_OPTIONS}
        value={filters.status}
        onChange={select('status')}
        w={140}
        allowDeselect={false}
      />
      <Select
        label="Kind"
        data={KIND_OPTIONS}
        value={filters.kind}
        onChange={select('kind')}
        w={150}
        allowDeselect={false}
      />
      <Select
        label="Expires"
        data={EXPIRING_OPTIONS}
        value={filters.expiringWithinDays}
        onChange={select('expiringWithinDays')}
        w={150}
        allowDeselect={false}
      />
      {directory ? <DirectoryFilters {...directory} values={filters} onChange={onChange} /> : null}
      <Select
        label="Sort by"
        data={SORT_OPTIONS}
        value={`${filters.sort}:${filters.order}`}
        onChange={(value) => {
          const [sort, order] = (value ?? 'createdAt:desc').split(':') as [
            TokenFilters['sort'],
            TokenFilters['order'],
          ];
          onChange({ sort, order });
        }}
        w={160}
        allowDeselect={false}
      />
    </FilterBar>
  );
}
