import { Stack, Text, Title } from '@mantine/core';
import { useSettingDefinitions, useSettings } from '../../api/hooks/settings.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { SettingsForm } from './SettingsForm.tsx';

/** Run-time settings (seed 003's `_conf`): token lifespans, sessions, OAuth, sharing, cloud, Swagger UI. */
export function SettingsScreen() {
  const settings = useSettings(true);
  const definitions = useSettingDefinitions();
  return (
    <Stack maw={880}>
      <div>
        <Title order={2}>Settings</Title>
        <Text size="sm" c="dimmed">
          Changes apply at once to tokens and sessions created afterwards.
        </Text>
      </div>
      {settings.isLoading || definitions.isLoading ? <Loading label="Loading settings…" /> : null}
      <ErrorAlert
        error={settings.error ?? definitions.error}
        title="Could not load the settings"
        onRetry={() => {
          void settings.refetch();
          void definitions.refetch();
        }}
      />
      {/* A new form after each save, so "unsaved changes" counts from what the server now holds. */}
      {settings.data && definitions.data ? (
        <SettingsForm
          key={JSON.stringify(settings.data)}
          settings={settings.data}
          definitions={definitions.data}
        />
      ) : null}
    </Stack>
  );
}
