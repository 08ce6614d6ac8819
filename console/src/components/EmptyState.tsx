import { Paper, Stack, Text } from '@mantine/core';

/** What a list shows when nothing matches: a heading and what to do about it. */
export function EmptyState({ title, hint }: { title: string; hint?: string }) {
  return (
    <Paper withBorder p="xl">
      <Stack align="center" gap="xs">
        <Text fw={600}>{title}</Text>
        {hint ? (
          <Text size="sm" c="dimmed" ta="center">
            {hint}
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}
