import { Group, Radio, Stack } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { customDateRange, PRESET_DAYS } from '../lib/expiry.ts';
import { formatDate, plural } from '../lib/format.ts';

/** A preset number of days ("30") or a custom date (YYYY-MM-DD, the end of that day UTC on the server). */
export interface ExpiryChoice {
  preset: `${(typeof PRESET_DAYS)[number]}` | 'custom';
  date: string | null;
}

export const DEFAULT_EXPIRY: ExpiryChoice = { preset: '30', date: null };

/** Why the choice cannot be sent, or null: a custom date must fall between today and the maximum lifetime. */
export function expiryProblem(choice: ExpiryChoice, maxDays: number): string | null {
  const range = customDateRange(maxDays);
  if (choice.preset !== 'custom') {
    return Number(choice.preset) > maxDays ? `Tokens live at most ${plural(maxDays, 'day')}.` : null;
  }
  if (!choice.date) return 'Pick an expiry date.';
  if (choice.date < range.min) return 'The expiry date must be today or later.';
  if (choice.date > range.max)
    return `The latest expiry date is ${formatDate(range.max)}: tokens live at most ${plural(maxDays, 'day')}.`;
  return null;
}

/** The request fields for the choice: `expiresInDays` for a preset, `expiresAt` for a date. */
export function expiryBody(choice: ExpiryChoice): { expiresInDays: number } | { expiresAt: string } {
  return choice.preset === 'custom' ? { expiresAt: choice.date! } : { expiresInDays: Number(choice.preset) };
}

interface ExpiryFieldProps {
  value: ExpiryChoice;
  onChange: (value: ExpiryChoice) => void;
  maxDays: number;
  /** Whether maxDays comes from the settings (admins) or is the documented default. */
  maxDaysKnown: boolean;
  error?: string | undefined;
  label?: string;
}

/** "Expiration": 30 / 60 / 90 days or a custom date; the date picker refuses dates past the maximum lifetime. */
export function ExpiryField({
  value,
  onChange,
  maxDays,
  maxDaysKnown,
  error,
  label = 'Expiry',
}: ExpiryFieldProps) {
  const range = customDateRange(maxDays);
  return (
    <Stack gap="sm">
      <Radio.Group
        label={label}
        description={`Tokens live at most ${plural(maxDays, 'day')}${maxDaysKnown ? ' (set in the settings)' : ''}.`}
        value={value.preset}
        onChange={(preset) => onChange({ ...value, preset: preset as ExpiryChoice['preset'] })}
        error={value.preset === 'custom' ? undefined : error}
      >
        <Group mt="xs" gap="lg">
          {PRESET_DAYS.map((days) => (
            <Radio key={days} value={String(days)} label={`${days} days`} disabled={days > maxDays} />
          ))}
          <Radio value="custom" label="Custom date" />
        </Group>
      </Radio.Group>
      {value.preset === 'custom' ? (
        <DatePickerInput
          label="Expiry date"
          description={`From today to ${formatDate(range.max)}: later dates are past the maximum lifetime of ${plural(maxDays, 'day')}.`}
          placeholder="Pick a date"
          value={value.date}
          onChange={(date) => onChange({ ...value, date })}
          minDate={range.min}
          maxDate={range.max}
          valueFormat="D MMMM YYYY"
          getDayAriaLabel={(date) => formatDate(`${date}T12:00:00Z`)}
          nextLabel="Next month"
          previousLabel="Previous month"
          error={error}
          required
          popoverProps={{ withinPortal: true }}
        />
      ) : null}
    </Stack>
  );
}
