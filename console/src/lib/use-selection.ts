import { useState } from 'react';

/** Checkbox selection of list rows by id, for bulk actions. */
export function useSelection() {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const select = (ids: string[], on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) on ? next.add(id) : next.delete(id);
      return next;
    });
  return { selected, select, clear: () => setSelected(new Set()) };
}
