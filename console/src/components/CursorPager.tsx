import { Button, Group, Text } from '@mantine/core';
import { useState } from 'react';

/**
 * Cursor pagination state: the cursors of the pages seen so far, so "Previous" goes back without the API
 * having to page backwards. Reset it whenever the filters change.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const page = cursors.length;
  return {
    cursor: cursors[cursors.length - 1],
    page,
    next: (cursor: string) => setCursors((c) => [...c, cursor]),
    previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
    reset: () => setCursors([undefined]),
  };
}

export type CursorPages = ReturnType<typeof useCursorPages>;

interface CursorPagerProps {
  pages: CursorPages;
  /** The list query of the current page: its next cursor, and whether a page is loading. */
  query: { data?: { nextCursor?: string | null }; isFetching: boolean };
}

/** "Previous page", the page number and "Next page" under a cursor-paged list; nothing for a single page. */
export function CursorPager({ pages, query }: CursorPagerProps) {
  const nextCursor = query.data?.nextCursor;
  const loading = query.isFetching;
  if (pages.page === 1 && !nextCursor) return null;
  return (
    <Group justify="flex-end" gap="xs" component="nav" aria-label="Pages">
      <Button variant="default" size="xs" disabled={pages.page === 1 || loading} onClick={pages.previous}>
        Previous page
      </Button>
      <Text size="sm" aria-live="polite">
        Page {pages.page}
      </Text>
      <Button
        variant="default"
        size="xs"
        disabled={!nextCursor || loading}
        onClick={() => nextCursor && pages.next(nextCursor)}
      >
        Next page
      </Button>
    </Group>
  );
}
