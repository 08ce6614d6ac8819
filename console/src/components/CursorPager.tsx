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

interface CursorPagerProps {
  page: number;
  nextCursor: string | null | undefined;
  onNext: (cursor: string) => void;
  onPrevious: () => void;
  loading?: boolean;
}

export function CursorPager({ page, nextCursor, onNext, onPrevious, loading }: CursorPagerProps) {
  if (page === 1 && !nextCursor) return null;
  return (
    <Group justify="flex-end" gap="xs" component="nav" aria-label="Pages">
      <Button variant="default" size="xs" disabled={page === 1 || loading} onClick={onPrevious}>
        Previous page
      </Button>
      <Text size="sm" aria-live="polite">
        Page {page}
      </Text>
      <Button
        variant="default"
        size="xs"
        disabled={!nextCursor || loading}
        onClick={() => nextCursor && onNext(nextCursor)}
      >
        Next page
      </Button>
    </Group>
  );
}
