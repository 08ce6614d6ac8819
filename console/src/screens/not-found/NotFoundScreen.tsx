import { Anchor, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

export function NotFoundScreen() {
  return (
    <Stack gap="xs" maw={560}>
      <Title order={2}>Page not found</Title>
      <Text>There is no page at this address, or your account may not open it.</Text>
      <Anchor component={Link} to="/tokens">
        Go to API tokens
      </Anchor>
    </Stack>
  );
}
