import { Autocomplete, Button, Group, TextInput } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useDebouncedCallback } from '@mantine/hooks';
import { useState } from 'react';
import type { User } from '../../api/types.ts';
import { UserPicker } from '../../components/UserPicker.tsx';
import { formatDate } from '../../lib/format.ts';
import { AUDIT_FILTER_DEFAULTS, type AuditFilters, KNOWN_ACTIONS } from './audit-filters.ts';

interface AuditFilterBarProps {
  filters: AuditFilters;
  onChange: (changes: Partial<AuditFilters>) => void;
  /** Users already loaded (for names); null without users:read, when the actor is given by id. */
  users: User[] | null;
}

const dateProps = {
  valueFormat: 'D MMM YYYY',
  placeholder: 'Any day',
  clearable: true,
  getDayAriaLabel: (date: string) => formatDate(`${date}T12:00:00Z`),
  nextLabel: 'Next month',
  previousLabel: 'Previous month',
  popoverProps: { withinPortal: true },
  w: 160,
} as const;

/** Action, who did it, what it was done to, and a date range (whole days, UTC). */
export function AuditFilterBar({ filters, onChange, users }: AuditFilterBarProps) {
  const [action, setAction] = useState(filters.action);
  const [targetId, setTargetId] = useState(filters.targetId);
  const commit = useDebouncedCallback((changes: Partial<AuditFilters>) => onChange(changes), 300);
  return (
    <Group align="end" gap="sm" wrap="wrap">
      <Autocomplete
        label="Action"
        placeholder="e.g. token.create"
        data={KNOWN_ACTIONS}
        limit={12}
        value={action}
        onChange={(value) => {
          setAction(value);
          commit({ action: value });
        }}
        w={220}
      />
      {users ? (
        <UserPicker
          label="Actor"
          placeholder="Anyone"
          clearable
          known={users}
          value={filters.actorUserId}
          onChange={(id) => onChange({ actorUserId: id })}
          w={220}
        />
      ) : (
        <TextInput
          label="Actor user id"
          placeholder="Anyone"
          inputMode="numeric"
          value={filters.actorUserId}
          onChange={(event) => onChange({ actorUserId: event.currentTarget.value.replace(/\D/g, '') })}
          w={140}
        />
      )}
      <TextInput
        label="Target id"
        placeholder="A token, user or client id"
        value={targetId}
        onChange={(event) => {
          setTargetId(event.currentTarget.value);
          commit({ targetId: event.currentTarget.value });
        }}
        w={220}
      />
      <DatePickerInput
        label="From"
        {...dateProps}
        maxDate={filters.until || undefined}
        value={filters.since || null}
        onChange={(value) => onChange({ since: value ?? '' })}
      />
      <DatePickerInput
        label="To"
        {...dateProps}
        minDate={filters.since || undefined}
        value={filters.until || null}
        onChange={(value) => onChange({ until: value ?? '' })}
      />
      <Button
        variant="subtle"
        onClick={() => {
          setAction('');
          setTargetId('');
          onChange(AUDIT_FILTER_DEFAULTS);
        }}
      >
        Clear filters
      </Button>
    </Group>
  );
}
