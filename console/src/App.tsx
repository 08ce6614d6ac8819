import { Navigate, Route, Routes } from 'react-router';
import { useSession } from './auth/session.ts';
import { RequireAdmin } from './layout/RequireAdmin.tsx';
import { Shell } from './layout/Shell.tsx';
import { AuditScreen } from './screens/audit/AuditScreen.tsx';
import { NotFoundScreen } from './screens/not-found/NotFoundScreen.tsx';
import { ProfileScreen } from './screens/profile/ProfileScreen.tsx';
import { SignInScreen } from './screens/sign-in/SignInScreen.tsx';
import { TokensScreen } from './screens/tokens/TokensScreen.tsx';

/**
 * Signed out: the sign-in screen, whatever the address (so a deep link works after signing in).
 * Signed in: the shell and one route per screen; admin screens behind RequireAdmin.
 */
export function App() {
  const { session, reason } = useSession();
  if (!session) return <SignInScreen reason={reason} />;
  return (
    <Routes>
      <Route element={<Shell />}>
        <Route index element={<Navigate to="/tokens" replace />} />
        <Route path="tokens" element={<TokensScreen />} />
        <Route path="tokens/:id" element={<TokensScreen />} />
        <Route path="profile" element={<ProfileScreen />} />
        <Route
          path="audit"
          element={
            <RequireAdmin permission="audit:read">
              <AuditScreen />
            </RequireAdmin>
          }
        />
        <Route path="*" element={<NotFoundScreen />} />
      </Route>
    </Routes>
  );
}
