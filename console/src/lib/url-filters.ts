import { useSearchParams } from 'react-router';

/**
 * A list's filters and sort kept in the address, so a reload or a shared link shows the same list. Values
 * equal to their default are left out of the address.
 */
export function useUrlFilters<T extends { [K in keyof T]: string }>(defaults: T) {
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(
    Object.entries(defaults).map(([key, fallback]) => [key, params.get(key) ?? fallback]),
  ) as unknown as T;

  const update = (changes: Partial<T>) => {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value === defaults[key as keyof T] || value === undefined) next.delete(key);
          else next.set(key, String(value));
        }
        return next;
      },
      { replace: true },
    );
  };
  return { filters, update };
}

/** A filter's id as a query parameter: '' is no filter. */
export const idParam = (value: string) => (value ? Number(value) : undefined);
