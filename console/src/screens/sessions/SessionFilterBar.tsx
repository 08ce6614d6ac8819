import { Button, Group, Select, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useState } from 'react';
import type { DirectoryEntry, User } from '../../api/types.ts';
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

const anyOption = (label: string) => ({ value: '', label });

/** Search (user name, email or device), filters, and the sort order for small screens. */
export function SessionFilterBar({ filters, onChange, directory }: SessionFilterBarProps) {
  const [search, setSearch] = useState(filters.q);
  const commitSearch = useDebouncedCallback((q: string) => onChange({ q }), 300);
  const select = (key: keyof SessionFilters) => (value: string | null) => onChange({ [key]: value ?? '' });
  return (
    <Group align="end" gap="sm" wrap="wrap">
      <TextInput
        type="search"
        label="Search"
        placeholder="User name, email or device"
        value={search}
        onChange={(event) => {
          setSearch(event.currentTarget.value);
          commitSearch(event.currentTarget.value);
        }}
        w={240}
      />
      <Select
        label="Status"
        data={STATUS_OPTIONS}
        value={filters.status}
        onChange={select('status')}
        w={140}
        allowDeselect={false}
      />
      <Select
        label="User"
        searchable
        data={[
          anyOption('Any user'),
          ...directory.users.map((u) => ({ value: String(u.id), label: u.username })),
        ]}
        value={filters.userId}
        onChange={select('userId')}
        w={170}
        allowDeselect={false}
      />
      <Select
        label="Department"
        data={[
          anyOption('Any department'),
          ...directory.departments.map((d) => ({ value: String(d.id), label: d.name })),
        ]}
        value={filters.departmentId}
        onChange={select('departmentId')}
        w={170}
        allowDeselect={false}
      />
      <Select
        label="User type"
        data={[
          anyOption('Any user type'),
          ...directory.userTypes.map((t) => ({ value: String(t.id), label: t.name })),
        ]}
        value={filters.userTypeId}
        onChange={select('userTypeId')}
        w={170}
        allowDeselect={false}
      />
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
      <Button
        variant="subtle"
        onClick={() => {
          setSearch('');
          const { sort: _sort, order: _order, ...cleared } = SESSION_FILTER_DEFAULTS;
          onChange(cleared);
        }}
      >
        Clear filters
      </Button>
    </Group>
  );
}
