import { Center, Loader, Text } from '@mantine/core';

/** A spinner with words, announced politely to screen readers. */
export function Loading({ label }: { label: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite" style={{ gap: 12 }}>
      <Loader size="sm" />
      <Text size="sm" c="dimmed">
        {label}
      </Text>
    </Center>
  );
}
