import { PasswordInput, Switch, TextInput } from '@mantine/core';
import type { SettingField } from './sections.ts';

/** The mask GET /api/settings shows for a credential that is set. */
export const SECRET_MASK = '********';

interface SettingInputProps {
  field: SettingField;
  value: string | boolean;
  error: string | undefined;
  onChange: (value: string | boolean) => void;
}

/** One setting as a labelled control: a switch, a number with its unit, a text or a credential field. */
export function SettingInput({ field, value, error, onChange }: SettingInputProps) {
  if (field.type === 'boolean') {
    return (
      <Switch
        label={field.label}
        description={field.description}
        checked={value === true}
        onChange={(event) => onChange(event.currentTarget.checked)}
        error={error}
      />
    );
  }
  if (field.type === 'integer') {
    return (
      <TextInput
        label={`${field.label} (${field.unit})`}
        description={`${field.description} ${field.min}–${field.max} ${field.unit}.${field.atMost ? ' At most the maximum below.' : ''}`}
        inputMode="numeric"
        value={String(value)}
        onChange={(event) => onChange(event.currentTarget.value)}
        error={error}
        maw={520}
      />
    );
  }
  if (field.secret) {
    const isSet = value === SECRET_MASK;
    return (
      <PasswordInput
        label={field.label}
        description={
          isSet
            ? `${field.description} A token is set; it is never shown. Type a new one to replace it.`
            : field.description
        }
        placeholder="Not set"
        value={String(value)}
        onChange={(event) => onChange(event.currentTarget.value)}
        onFocus={(event) => isSet && event.currentTarget.select()}
        autoComplete="off"
        error={error}
        maw={520}
      />
    );
  }
  return (
    <TextInput
      label={field.label}
      description={field.description}
      placeholder={field.example}
      value={String(value)}
      onChange={(event) => onChange(event.currentTarget.value)}
      error={error}
      maw={520}
    />
  );
}
