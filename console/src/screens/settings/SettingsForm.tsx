import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useState } from 'react';
import { toApiError } from '../../api/errors.ts';
import { useUpdateSettings } from '../../api/hooks/settings.ts';
import type { SettingDefinition, Settings } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { plural } from '../../lib/format.ts';
import { checkChanges, type SettingValues as Values } from './check-setting.ts';
import { SettingInput } from './SettingInput.tsx';
import { groupSettings, type SettingField, type SettingKey } from './sections.ts';

const asFormValue = (value: Settings[SettingKey]) => (typeof value === 'number' ? String(value) : value);

function toApiValue(field: SettingField, value: string | boolean): number | boolean | string {
  if (field.type === 'integer') return Number(String(value).trim());
  if (field.type === 'string') return String(value).trim();
  return value;
}

/**
 * Every setting in its section, as the server defines it; "Save changes" checks the changed values here first, then sends only them
 * (PATCH is all or nothing). A credential is sent only when it was changed from the mask it was shown as.
 */
export function SettingsForm({
  settings,
  definitions,
}: {
  settings: Settings;
  definitions: SettingDefinition[];
}) {
  const sections = groupSettings(definitions);
  const fields = sections.flatMap((section) => section.fields);
  const initial = Object.fromEntries(fields.map((f) => [f.key, asFormValue(settings[f.key])])) as Values;
  const [values, setValues] = useState<Values>(initial);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<SettingKey, string>>>({});
  const update = useUpdateSettings();

  const changed = fields.filter((f) => String(values[f.key]).trim() !== String(initial[f.key]).trim());
  const setValue = (key: SettingKey, value: string | boolean) => {
    setValues((current) => ({ ...current, [key]: value }));
    setFieldErrors(({ [key]: _, ...rest }) => rest);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors = checkChanges(fields, changed, values);
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return focusFirstInvalid();
    const body = Object.fromEntries(changed.map((f) => [f.key, toApiValue(f, values[f.key])]));
    update.mutate(body as Partial<Settings>, {
      onSuccess: () =>
        notifications.show({ color: 'green', message: `Saved ${plural(changed.length, 'setting')}.` }),
      onError: (error) => {
        const apiError = toApiError(error);
        if (apiError.field && fields.some((f) => f.key === apiError.field)) {
          setFieldErrors({ [apiError.field]: apiError.message });
          focusFirstInvalid();
        }
      },
    });
  };

  const serverFieldError = update.error && toApiError(update.error).field;
  const generalError =
    serverFieldError && fields.some((f) => f.key === serverFieldError) ? null : update.error;
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {sections.map((section) => (
          <Paper
            key={section.title}
            withBorder
            p="md"
            component="section"
            aria-labelledby={sectionId(section.title)}
          >
            <Stack gap="md">
              <div>
                <Title order={3} size="h4" id={sectionId(section.title)}>
                  {section.title}
                </Title>
                <Text size="sm" c="dimmed">
                  {section.description}
                </Text>
              </div>
              {section.fields.map((field) => (
                <SettingInput
                  key={field.key}
                  field={field}
                  value={values[field.key]}
                  error={fieldErrors[field.key]}
                  onChange={(value) => setValue(field.key, value)}
                />
              ))}
            </Stack>
          </Paper>
        ))}
        <Paper
          withBorder
          p="sm"
          shadow={changed.length ? 'sm' : undefined}
          style={{ position: 'sticky', bottom: 'var(--mantine-spacing-xs)', zIndex: 2 }}
        >
          <Stack gap="xs">
            <ErrorAlert error={generalError} title="Could not save the settings" />
            <Group justify="space-between" wrap="wrap">
              <Text size="sm" c="dimmed" aria-live="polite">
                {changed.length ? `${plural(changed.length, 'unsaved change')}` : 'No unsaved changes'}
              </Text>
              <Group gap="sm">
                <Button
                  variant="default"
                  disabled={changed.length === 0 || update.isPending}
                  onClick={() => {
                    setValues(initial);
                    setFieldErrors({});
                    update.reset();
                  }}
                >
                  Discard changes
                </Button>
                <Button type="submit" disabled={changed.length === 0} loading={update.isPending}>
                  Save changes
                </Button>
              </Group>
            </Group>
          </Stack>
        </Paper>
      </Stack>
    </form>
  );
}

/** Brings the first field in error to the middle of the screen (clear of the sticky save bar) and focuses it. */
function focusFirstInvalid() {
  requestAnimationFrame(() => {
    const input = document.querySelector<HTMLElement>('form [aria-invalid="true"]');
    input?.scrollIntoView({ block: 'center' });
    input?.focus({ preventScroll: true });
  });
}

const sectionId = (title: string) => `settings-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
