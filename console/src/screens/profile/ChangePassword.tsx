import { Button, Group, Paper, PasswordInput, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useState } from 'react';
import { splitFormError } from '../../api/errors.ts';
import { useChangePassword } from '../../api/hooks/profile.ts';
import type { User } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { passwordRule, usePasswordMinLength } from '../users/password.ts';

const SERVER_FIELDS: Record<string, string> = { currentPassword: 'currentPassword', password: 'password' };

/**
 * Your own password (PATCH /api/me with the current one). The server checks the current password under the
 * sign-in lock-out and the new one against its policy, and its message goes beside the field it names; a
 * change signs you out everywhere else. Single-sign-on users have no password here.
 */
export function ChangePassword({ me }: { me: User }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="profile-password">
      <Stack>
        <Title order={3} size="h4" id="profile-password">
          Password
        </Title>
        {me.sso ? (
          <Text size="sm" c="dimmed">
            You sign in with single sign-on, so your identity provider keeps your password: change it there.
          </Text>
        ) : (
          <PasswordForm />
        )}
      </Stack>
    </Paper>
  );
}

function PasswordForm() {
  const rule = passwordRule(usePasswordMinLength());
  const change = useChangePassword();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const server = splitFormError(change.error, SERVER_FIELDS);
  // Mantine's PasswordInput links its error (aria-describedby) but does not mark the input invalid itself.
  const problem = (field: string) => {
    const error = errors[field] ?? server.fieldErrors[field];
    return { error, 'aria-invalid': error !== undefined };
  };
  const clear = (field: string) => {
    setErrors(({ [field]: _, ...rest }) => rest);
    if (change.error) change.reset();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!current) found.currentPassword = 'Enter your current password.';
    const weak = next ? rule.problem(next) : 'Enter a new password.';
    if (weak) found.password = weak;
    setErrors(found);
    if (Object.keys(found).length) return;
    change.mutate(
      { currentPassword: current, password: next },
      {
        onSuccess: () => {
          setCurrent('');
          setNext('');
          notifications.show({
            color: 'green',
            title: 'Your password was changed',
            message: 'Your other console and mobile sessions were signed out; this one stays signed in.',
          });
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Change password">
      <Stack>
        <Text size="sm" c="dimmed">
          Changing your password signs you out on every other browser and mobile device.
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <PasswordInput
            label="Current password"
            description="The one you sign in with now."
            value={current}
            maxLength={1000}
            autoComplete="current-password"
            onChange={(event) => {
              setCurrent(event.currentTarget.value);
              clear('currentPassword');
            }}
            {...problem('currentPassword')}
          />
          <PasswordInput
            label="New password"
            description={rule.description}
            value={next}
            maxLength={1000}
            autoComplete="new-password"
            onChange={(event) => {
              setNext(event.currentTarget.value);
              clear('password');
            }}
            {...problem('password')}
          />
        </SimpleGrid>
        <ErrorAlert error={server.general} title="Your password was not changed" />
        <Group justify="flex-end">
          <Button type="submit" loading={change.isPending}>
            Change password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
