import type { ReactNode } from 'react';
import { isAdmin, useMe } from '../api/hooks/session.ts';
import { Loading } from '../components/Loading.tsx';
import { NotFoundScreen } from '../screens/not-found/NotFoundScreen.tsx';

/**
 * Renders an admin screen only for administrators holding `permission`; others get the same answer as an
 * unknown address, so the console does not advertise what it hides (the API refuses them anyway).
 */
export function RequireAdmin({ permission, children }: { permission: string; children: ReactNode }) {
  const me = useMe();
  if (me.isLoading) return <Loading label="Checking your access…" />;
  if (!isAdmin(me.data, permission)) return <NotFoundScreen />;
  return children;
}
