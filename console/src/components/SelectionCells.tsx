import { Checkbox, Table } from '@mantine/core';

interface SelectAllHeaderProps {
  /** The checkbox's accessible name, e.g. "Select all active tokens on this page". */
  label: string;
  /** The ids on this page that can be selected. */
  ids: string[];
  selected: Set<string>;
  onSelect: (ids: string[], selected: boolean) => void;
}

/** The header cell that selects or clears every selectable row on the page; mixed when only some are. */
export function SelectAllHeader({ label, ids, selected, onSelect }: SelectAllHeaderProps) {
  const selectedHere = ids.filter((id) => selected.has(id)).length;
  return (
    <Table.Th w={40}>
      <Checkbox
        aria-label={label}
        checked={ids.length > 0 && selectedHere === ids.length}
        indeterminate={selectedHere > 0 && selectedHere < ids.length}
        disabled={ids.length === 0}
        onChange={(event) => onSelect(ids, event.currentTarget.checked)}
      />
    </Table.Th>
  );
}

interface SelectCellProps {
  label: string;
  id: string;
  selected: Set<string>;
  disabled: boolean;
  onSelect: (ids: string[], selected: boolean) => void;
}

/** A row's selection checkbox. */
export function SelectCell({ label, id, selected, disabled, onSelect }: SelectCellProps) {
  return (
    <Table.Td>
      <Checkbox
        aria-label={label}
        checked={selected.has(id)}
        disabled={disabled}
        onChange={(event) => onSelect([id], event.currentTarget.checked)}
      />
    </Table.Td>
  );
}
