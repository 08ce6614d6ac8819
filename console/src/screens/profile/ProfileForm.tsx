import { Badge, Button, Group, Paper, Select, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useState } from 'react';
import { splitFormError } from '../../api/errors.ts';
import { useUpdateMe } from '../../api/hooks/profile.ts';
import type { User } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { FieldList } from '../../components/FieldList.tsx';
import { formatDateTime } from '../../lib/format.ts';

/** Languages offered by name; the API takes any BCP 47 tag, and a tag set elsewhere stays selectable. */
const LANGUAGES: { value: string; label: string }[] = [
  { value: 'en', label: 'English' },
  { value: 'en-GB', label: 'English (United Kingdom)' },
  { value: 'en-US', label: 'English (United States)' },
  { value: 'de', label: 'Deutsch' },
  { value: 'es', label: 'Español' },
  { value: 'fr', label: 'Français' },
  { value: 'it', label: 'Italiano' },
  { value: 'nl', label: 'Nederlands' },
  { value: 'pt', label: 'Português' },
  { value: 'tr', label: 'Türkçe' },
  { value: 'ja', label: '日本語' },
  { value: 'zh', label: '中文' },
];

const SERVER_FIELDS: Record<string, string> = {
  fullName: 'fullName',
  email: 'email',
  preferredLanguage: 'preferredLanguage',
};

/** A light check before sending; the server checks the format again and its message goes beside the field. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Seed 002's profile: username (fixed), full name, email and preferred language (PATCH /api/me). */
export function ProfileForm({ me }: { me: User }) {
  const [fullName, setFullName] = useState(me.fullName ?? '');
  const [email, setEmail] = useState(me.email ?? '');
  const [language, setLanguage] = useState<string | null>(me.preferredLanguage);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const update = useUpdateMe();
  const server = splitFormError(update.error, SERVER_FIELDS);
  const fieldError = (field: string) => errors[field] ?? server.fieldErrors[field];
  const languages =
    language && !LANGUAGES.some((l) => l.value === language)
      ? [...LANGUAGES, { value: language, label: language }]
      : LANGUAGES;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (fullName.trim().length > 200) found.fullName = 'At most 200 characters.';
    if (email.trim() && !EMAIL.test(email.trim()))
      found.email = 'Enter an email address such as ana@example.com.';
    setErrors(found);
    if (Object.keys(found).length) return;
    update.mutate(
      { fullName: fullName.trim() || null, email: email.trim() || null, preferredLanguage: language || null },
      { onSuccess: () => notifications.show({ color: 'green', message: 'Your profile was saved.' }) },
    );
  };
  const clear = (field: string) => {
    setErrors(({ [field]: _, ...rest }) => rest);
    if (update.error) update.reset();
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="profile-details">
      <form onSubmit={submit} noValidate aria-label="Profile">
        <Stack>
          <Title order={3} size="h4" id="profile-details">
            Profile settings
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput label="Username" value={me.username} readOnly variant="filled" />
            <TextInput
              label="Full name"
              value={fullName}
              maxLength={200}
              autoComplete="name"
              onChange={(event) => {
                setFullName(event.currentTarget.value);
                clear('fullName');
              }}
              error={fieldError('fullName')}
            />
            <TextInput
              label="Email"
              type="email"
              value={email}
              maxLength={254}
              autoComplete="email"
              onChange={(event) => {
                setEmail(event.currentTarget.value);
                clear('email');
              }}
              error={fieldError('email')}
            />
            <Select
              label="Preferred language"
              placeholder="Not set"
              data={languages}
              value={language}
              onChange={setLanguage}
              clearable
              searchable
              error={fieldError('preferredLanguage')}
            />
          </SimpleGrid>
          <FieldList
            fields={[
              [
                'Role',
                <Badge key="role" variant="light">
                  {me.role}
                </Badge>,
              ],
              ['Sign-in', me.sso ? 'Single sign-on' : 'Password'],
              ['Member since', formatDateTime(me.createdAt)],
            ]}
          />
          <ErrorAlert error={server.general} title="Your profile was not saved" />
          <Group justify="flex-end">
            <Button type="submit" loading={update.isPending}>
              Save profile
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
