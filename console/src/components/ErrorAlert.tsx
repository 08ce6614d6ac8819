import { Alert, Button, Group, Text } from '@mantine/core';
import { toApiError } from '../api/errors.ts';

interface ErrorAlertProps {
  error: unknown;
  /** What failed, e.g. "Could not load tokens". */
  title?: string;
  /** Offers "Try again" when given. */
  onRetry?: () => void;
}

/**
 * The one way the console shows a server error: its message, its code, and the request id that finds it
 * in the server log. Announced to screen readers (role="alert").
 */
export function ErrorAlert({ error, title = 'Something went wrong', onRetry }: ErrorAlertProps) {
  if (!error) return null;
  const apiError = toApiError(error);
  return (
    <Alert color="red" variant="light" title={title} role="alert">
      <Text size="sm">{apiError.message}</Text>
      <Group justify="space-between" mt={apiError.requestId || onRetry ? 'xs' : 0} wrap="wrap">
        {apiError.requestId ? (
          <Text size="xs" c="dimmed">
            {apiError.code} · request {apiError.requestId}
          </Text>
        ) : null}
        {onRetry ? (
          <Button size="compact-sm" variant="light" color="red" onClick={onRetry}>
            Try again
          </Button>
        ) : null}
      </Group>
    </Alert>
  );
}
