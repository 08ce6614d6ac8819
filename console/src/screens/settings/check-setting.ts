import type { SettingField, SettingKey } from './sections.ts';

/** A form's values: numbers as typed, booleans as switched. */
export type SettingValues = Record<SettingKey, string | boolean>;

const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

/**
 * What is wrong with one value, by its definition's type, limits and format (the checks the server makes
 * on PATCH), in the words shown beside the field; null when fine.
 */
export function checkSetting(field: SettingField, value: string | boolean): string | null {
  if (field.type === 'boolean') return null;
  const text = String(value).trim();
  if (field.type === 'integer') {
    if (!/^\d+$/.test(text)) return `Enter a whole number of ${field.unit}.`;
    const n = Number(text);
    if ((field.min !== undefined && n < field.min) || (field.max !== undefined && n > field.max))
      return `Enter ${field.min} to ${field.max} ${field.unit}.`;
    return null;
  }
  if (field.maxLength !== undefined && text.length > field.maxLength)
    return `At most ${field.maxLength} characters.`;
  if (field.format === 'url' && text !== '') {
    let url: URL | undefined;
    try {
      url = new URL(text);
    } catch {
      // reported below
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash)
      return 'Enter an http or https URL without query or fragment, e.g. https://cloud.example.com.';
  }
  if (field.format === 'origins') {
    const bad = text.split(/\s+/).find((origin) => origin !== '' && !ORIGIN.test(origin));
    if (bad !== undefined) return `${bad} is not an origin such as https://intranet.example.com.`;
  }
  return null;
}

/**
 * Every problem with a change: each changed value alone, then each `atMost` rule the change touches (the
 * server checks the same on the values the change would leave), reported on the field that was changed.
 */
export function checkChanges(
  fields: SettingField[],
  changed: SettingField[],
  values: SettingValues,
): Partial<Record<SettingKey, string>> {
  const errors: Partial<Record<SettingKey, string>> = {};
  for (const field of changed) {
    const problem = checkSetting(field, values[field.key]);
    if (problem) errors[field.key] = problem;
  }
  const isChanged = (key: string) => changed.some((f) => f.key === key);
  for (const field of fields) {
    const bound = fields.find((f) => f.key === field.atMost);
    if (!bound || !(isChanged(field.key) || isChanged(bound.key))) continue;
    if (errors[field.key] || errors[bound.key]) continue;
    const value = Number(values[field.key]);
    const limit = Number(values[bound.key]);
    if (value <= limit) continue;
    if (isChanged(field.key))
      errors[field.key] = `Cannot be longer than the ${bound.label.toLowerCase()} (${limit} ${field.unit}).`;
    else
      errors[bound.key] =
        `Cannot be shorter than the ${field.label.toLowerCase()} (${value} ${field.unit}); lower that first.`;
  }
  return errors;
}
