import { Button, Code, Group, Paper, Stack, Text } from '@mantine/core';
import type { AuditEvent } from '../api/types.ts';
import { formatDateTime } from '../lib/format.ts';
import { actorName, detailsLabel, hasDetails, targetText } from './audit-format.ts';

interface AuditCardsProps {
  events: AuditEvent[];
  userNames: Map<number, string>;
  showTarget: boolean;
  expandableDetails: boolean;
  /** Ids of the events whose details are shown. */
  open: Set<number>;
  onToggle: (id: number) => void;
  caption: string;
}

/**
 * Audit events as stacked cards (narrow screens): the action and time on top, who, from where and what
 * below, and the details wrapped to the screen's width, so nothing scrolls sideways.
 */
export function AuditCards({
  events,
  userNames,
  showTarget,
  expandableDetails,
  open,
  onToggle,
  caption,
}: AuditCardsProps) {
  return (
    <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={caption}>
      {events.map((event) => {
        const shown = !expandableDetails || open.has(event.id);
        return (
          <Paper
            withBorder
            p="sm"
            key={event.id}
            component="li"
            aria-label={`${event.action}, ${formatDateTime(event.at)}`}
          >
            <Group justify="space-between" gap="xs" wrap="wrap">
              <Code>{event.action}</Code>
              <Text size="xs" c="dimmed">
                {formatDateTime(event.at)}
              </Text>
            </Group>
            <Text size="sm" mt={6}>
              By {actorName(event, userNames)}
              {event.ip ? ` · ${event.ip}` : ''}
            </Text>
            {showTarget && event.targetType ? (
              <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                {targetText(event)}
              </Text>
            ) : null}
            {hasDetails(event) && expandableDetails ? (
              <Button
                size="compact-xs"
                variant="subtle"
                mt={4}
                px={0}
                aria-expanded={open.has(event.id)}
                aria-controls={open.has(event.id) ? `audit-details-${event.id}` : undefined}
                aria-label={detailsLabel(event, open.has(event.id))}
                onClick={() => onToggle(event.id)}
              >
                {open.has(event.id) ? 'Hide details' : 'Show details'}
              </Button>
            ) : null}
            {hasDetails(event) && shown ? (
              <Code
                block
                mt={4}
                id={`audit-details-${event.id}`}
                style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
              >
                {JSON.stringify(event.details, null, 2)}
              </Code>
            ) : null}
          </Paper>
        );
      })}
    </Stack>
  );
}
