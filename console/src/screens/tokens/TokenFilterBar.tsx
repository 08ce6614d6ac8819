import { Button, Group, Select, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useState } from 'react';
import type { DirectoryEntry, User } from '../../api/types.ts';
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

const anyOption = (label: string) => ({ value: '', label });

/** Search, filters and (for small screens, where the table headers scroll away) the sort order. */
export function TokenFilterBar({ filters, onChange, directory }: TokenFilterBarProps) {
  const [search, setSearch] = useState(filters.q);
  const commitSearch = useDebouncedCallback((q: string) => onChange({ q }), 300);
  const select = (key: keyof TokenFilters) => (value: string | null) => onChange({ [key]: value ?? '' });

  return (
    <Group align="end" gap="sm" wrap="wrap">
      <TextInput
        label="Search"
        placeholder="Name or description"
        type="search"
        value={search}
        onChange={(event) => {
          setSearch(event.currentTarget.value);
          commitSearch(event.currentTarget.value);
        }}
        w={{ base: '100%', xs: 220 }}
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
      {directory ? (
        <>
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
        </>
      ) : null}
      <Select
        label="Sort by"
        data={[
          { value: 'createdAt:desc', label: 'Newest first' },
          { value: 'createdAt:asc', label: 'Oldest first' },
          { value: 'expiresAt:asc', label: 'Expiring first' },
          { value: 'expiresAt:desc', label: 'Expiring last' },
          { value: 'name:asc', label: 'Name A–Z' },
          { value: 'name:desc', label: 'Name Z–A' },
        ]}
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
      <Button
        variant="subtle"
        onClick={() => {
          setSearch('');
          onChange({
            q: '',
            status: '',
            kind: 'api',
            expiringWithinDays: '',
            userId: '',
            departmentId: '',
            userTypeId: '',
          });
        }}
      >
        Clear filters
      </Button>
    </Group>
  );
}
