import { Stack, Title } from '@mantine/core';
import { useMe } from '../../api/hooks/session.ts';
import { Loading } from '../../components/Loading.tsx';
import { ChangePassword } from './ChangePassword.tsx';
import { PersonalTokens } from './PersonalTokens.tsx';
import { ProfileForm } from './ProfileForm.tsx';
import { RefreshTokens } from './RefreshTokens.tsx';
import { SignOutEverywhere } from './SignOutEverywhere.tsx';

/**
 * Seed 002's "My profile" with seed 003's refresh tokens: your details, your password and sessions, and the
 * tokens that act as you. When
 * /api/me fails, the shell above already shows the error with "Try again"; this screen does not repeat it.
 */
export function ProfileScreen() {
  const me = useMe();
  return (
    <Stack maw={960}>
      <Title order={2}>My profile</Title>
      {me.isLoading ? <Loading label="Loading your profile…" /> : null}
      {me.data ? (
        <>
          {/* Keyed by the update time so a saved profile restarts the form from the server's answer. */}
          <ProfileForm key={me.data.updatedAt} me={me.data} />
          <ChangePassword me={me.data} />
          <SignOutEverywhere />
          <PersonalTokens />
          <RefreshTokens me={me.data} />
        </>
      ) : null}
    </Stack>
  );
}
