import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { userName } from '../api/hooks/directory.ts';
import { useUser, useUserSearch } from '../api/hooks/users.ts';
import type { User } from '../api/types.ts';

interface UserPickerProps {
  label: string;
  description?: string;
  placeholder?: string;
  /** The chosen user's id, '' for none. */
  value: string;
  /** The new id ('' when cleared) and, when known, the user. */
  onChange: (id: string, user: User | null) => void;
  /** Users already at hand (e.g. the signed-in one), named without a request. */
  known?: User[];
  clearable?: boolean;
  error?: string;
  w?: number;
}

const SEARCH_DELAY_MS = 250;

/**
 * Picks a user by searching the API as one types (`GET /api/users?q=`, the first 20 matches), so every user
 * can be found however many there are; shows a loader while a search runs. Administrators with users:read.
 */
export function UserPicker({ value, onChange, known = [], clearable, ...input }: UserPickerProps) {
  const [opened, setOpened] = useState(false);
  const [search, setSearch] = useState('');
  const [text] = useDebouncedValue(search.trim(), SEARCH_DELAY_MS);
  const chosenId = value ? Number(value) : undefined;
  const knownChosen = known.find((u) => u.id === chosenId);
  const chosen = useUser(knownChosen ? undefined : chosenId);
  const selected = knownChosen ?? chosen.data;
  // Opening the list shows the chosen user's name as the search text: that is not a search yet.
  const query = selected && text === label(selected) ? '' : text;
  const found = useUserSearch(query, opened);

  const users = new Map<number, User>();
  for (const user of [...(selected ? [selected] : []), ...known, ...(found.data ?? [])])
    users.set(user.id, user);
  const searching = found.isFetching || text !== search.trim();
  return (
    <Select
      {...input}
      searchable
      clearable={clearable}
      allowDeselect={false}
      data={[...users.values()].map((user) => ({ value: String(user.id), label: label(user) }))}
      value={value || null}
      onChange={(id) => onChange(id ?? '', id ? (users.get(Number(id)) ?? null) : null)}
      searchValue={search}
      onSearchChange={setSearch}
      // The API has already matched username, name and email; the list shows what it answered.
      filter={({ options }) => options}
      onDropdownOpen={() => setOpened(true)}
      onDropdownClose={() => setOpened(false)}
      loading={(opened && searching) || chosen.isLoading}
      nothingFoundMessage={searching ? 'Searching…' : 'No users match'}
    />
  );
}

const label = (user: User) => userName(user);
