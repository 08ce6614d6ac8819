import { Navigate, Route, Routes } from 'react-router';
import { useSession } from './auth/session.ts';
import { RequireAdmin } from './layout/RequireAdmin.tsx';
import { Shell } from './layout/Shell.tsx';
import { AuditScreen } from './screens/audit/AuditScreen.tsx';
import { ClientsScreen } from './screens/clients/ClientsScreen.tsx';
import { DirectoryScreen } from './screens/directory/DirectoryScreen.tsx';
import { NotFoundScreen } from './screens/not-found/NotFoundScreen.tsx';
import { ProfileScreen } from './screens/profile/ProfileScreen.tsx';
import { ReportScreen } from './screens/reports/ReportScreen.tsx';
import { ReportsScreen } from './screens/reports/ReportsScreen.tsx';
import { SessionsScreen } from './screens/sessions/SessionsScreen.tsx';
import { SettingsScreen } from './screens/settings/SettingsScreen.tsx';
import { SignInScreen } from './screens/sign-in/SignInScreen.tsx';
import { TokensScreen } from './screens/tokens/TokensScreen.tsx';
import { UsersScreen } from './screens/users/UsersScreen.tsx';

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
        <Route path="reports" element={<ReportsScreen />} />
        <Route path="reports/:id" element={<ReportScreen />} />
        <Route
          path="audit"
          element={
            <RequireAdmin permission="audit:read">
              <AuditScreen />
            </RequireAdmin>
          }
        />
        {['users', 'users/:id'].map((path) => (
          <Route
            key={path}
            path={path}
            element={
              <RequireAdmin permission="users:read">
                <UsersScreen />
              </RequireAdmin>
            }
          />
        ))}
        <Route
          path="departments"
          element={
            <RequireAdmin permission="users:read">
              <DirectoryScreen />
            </RequireAdmin>
          }
        />
        {['sessions', 'sessions/:id'].map((path) => (
          <Route
            key={path}
            path={path}
            element={
              <RequireAdmin permission="tokens:manage">
                <SessionsScreen />
              </RequireAdmin>
            }
          />
        ))}
        <Route
          path="clients"
          element={
            <RequireAdmin permission="clients:manage">
              <ClientsScreen />
            </RequireAdmin>
          }
        />
        <Route
          path="settings"
          element={
            <RequireAdmin permission="settings:manage">
              <SettingsScreen />
            </RequireAdmin>
          }
        />
        <Route path="*" element={<NotFoundScreen />} />
      </Route>
    </Routes>
  );
}
