import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useSignIn } from '../../api/hooks/session.ts';
import type { SignedOutReason } from '../../auth/session.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

const REASONS: Record<Exclude<SignedOutReason, null>, { color: string; text: string }> = {
  expired: { color: 'orange', text: 'Your session has expired. Sign in again to continue.' },
  'signed-out': { color: 'blue', text: 'You have signed out.' },
};

/** Username and password for a console session (POST /api/auth/login). */
export function SignInScreen({ reason }: { reason: SignedOutReason }) {
  const signIn = useSignIn();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ username?: string; password?: string }>({});

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors = {
      username: username.trim() ? undefined : 'Enter your username.',
      password: password ? undefined : 'Enter your password.',
    };
    setMissing(errors);
    if (errors.username || errors.password) return;
    signIn.mutate({ username: username.trim(), password });
  };

  const notice = reason && !signIn.error ? REASONS[reason] : null;
  return (
    <Center mih="100vh" p="md" bg="gray.0" component="main">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={400}>
        <form onSubmit={submit} noValidate aria-labelledby="sign-in-title">
          <Stack>
            <div>
              <Title order={1} size="h2" id="sign-in-title">
                Sign in
              </Title>
              <Text size="sm" c="dimmed">
                Tessera console: API tokens and access
              </Text>
            </div>
            {notice ? (
              <Alert color={notice.color} variant="light" role="status">
                {notice.text}
              </Alert>
            ) : null}
            <ErrorAlert error={signIn.error} title="Could not sign in" />
            <TextInput
              label="Username"
              autoComplete="username"
              value={username}
              onChange={(event) => setUsername(event.currentTarget.value)}
              error={missing.username}
              required
              data-autofocus
              autoFocus
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
              error={missing.password}
              required
            />
            <Button type="submit" loading={signIn.isPending} fullWidth>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
