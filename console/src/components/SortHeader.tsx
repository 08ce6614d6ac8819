import { Table, UnstyledButton } from '@mantine/core';

export type SortOrder = 'asc' | 'desc';

interface SortHeaderProps<Column extends string> {
  label: string;
  column: Column;
  sort: { sort: Column; order: SortOrder };
  onSort: (column: Column) => void;
}

/** A column header that sorts the list by its column; the button is what keyboard users tab to. */
export function SortHeader<Column extends string>({ label, column, sort, onSort }: SortHeaderProps<Column>) {
  const active = sort.sort === column;
  const direction = sort.order === 'asc' ? 'ascending' : 'descending';
  return (
    <Table.Th aria-sort={active ? direction : 'none'} style={{ whiteSpace: 'nowrap' }}>
      <UnstyledButton
        onClick={() => onSort(column)}
        fw={700}
        fz="sm"
        aria-label={`Sort by ${label.toLowerCase()}`}
      >
        {label} {active ? sort.order === 'asc' ? '▲' : '▼' : <span aria-hidden>↕</span>}
      </UnstyledButton>
    </Table.Th>
  );
}

/**
 * The sort after a click on a column header: the same column flips its order, a new one starts at
 * `firstOrder(column)` (names A–Z, dates newest first).
 */
export function nextSort<Column extends string>(
  current: { sort: Column; order: SortOrder },
  column: Column,
  firstOrder: (column: Column) => SortOrder = () => 'desc',
): { sort: Column; order: SortOrder } {
  if (current.sort === column) return { sort: column, order: current.order === 'asc' ? 'desc' : 'asc' };
  return { sort: column, order: firstOrder(column) };
}
