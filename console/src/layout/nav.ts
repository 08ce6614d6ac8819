/** The console's screens as the navigation lists them; admin items need the role and the permission. */
export interface NavItem {
  label: string;
  to: string;
  admin?: { permission: string };
  /** Shown only to users holding this permission (admin or not). */
  permission?: string;
}

export const NAV_ITEMS: NavItem[] = [
  { label: 'API tokens', to: '/tokens' },
  { label: 'Reports', to: '/reports', permission: 'reports:read' },
  { label: 'My profile', to: '/profile' },
];

export const ADMIN_NAV_ITEMS: NavItem[] = [
  { label: 'Users', to: '/users', admin: { permission: 'users:read' } },
  { label: 'Departments and user types', to: '/departments', admin: { permission: 'users:read' } },
  { label: 'Mobile users logged in', to: '/sessions', admin: { permission: 'tokens:manage' } },
  { label: 'OAuth clients', to: '/clients', admin: { permission: 'clients:manage' } },
  { label: 'Settings', to: '/settings', admin: { permission: 'settings:manage' } },
  { label: 'Audit log', to: '/audit', admin: { permission: 'audit:read' } },
];
