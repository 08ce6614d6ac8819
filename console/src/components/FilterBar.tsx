import { Button, Collapse, Group, TextInput, type TextInputProps } from '@mantine/core';
import { useDebouncedCallback, useDisclosure, useMediaQuery } from '@mantine/hooks';
import { type ReactNode, useState } from 'react';

interface FilterBarProps {
  /** The search text in the address; the field keeps its own copy while the user types. */
  q: string;
  searchPlaceholder: string;
  searchWidth: TextInputProps['w'];
  onSearch: (q: string) => void;
  /** Resets every filter but the sort order; the search field is emptied here. */
  onClear: () => void;
  /** The selects between the search field and "Clear filters". */
  children: ReactNode;
}

/**
 * A list screen's search field, filters and "Clear filters". On phones it folds behind a "Search and filters"
 * button so the list stays in view.
 */
export function FilterBar({
  q,
  searchPlaceholder,
  searchWidth,
  onSearch,
  onClear,
  children,
}: FilterBarProps) {
  const narrow = useMediaQuery('(max-width: 48em)') ?? false;
  const [open, { toggle }] = useDisclosure(false);
  const [search, setSearch] = useState(q);
  const commitSearch = useDebouncedCallback(onSearch, 300);
  return (
    <>
      {narrow ? (
        <Button variant="default" onClick={toggle} aria-expanded={open} w="fit-content">
          {open ? 'Hide filters' : 'Search and filters'}
        </Button>
      ) : null}
      <Collapse expanded={!narrow || open}>
        <Group align="end" gap="sm" wrap="wrap">
          <TextInput
            type="search"
            label="Search"
            placeholder={searchPlaceholder}
            value={search}
            onChange={(event) => {
              setSearch(event.currentTarget.value);
              commitSearch(event.currentTarget.value);
            }}
            w={searchWidth}
          />
          {children}
          <Button
            variant="subtle"
            onClick={() => {
              setSearch('');
              onClear();
            }}
          >
            Clear filters
          </Button>
        </Group>
      </Collapse>
    </>
  );
}
