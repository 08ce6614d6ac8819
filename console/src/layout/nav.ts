/** The console's screens as the navigation lists them; admin items need the role and the permission. */
export interface NavItem {
  label: string;
  to: string;
  admin?: { permission: string };
}

export const NAV_ITEMS: NavItem[] = [
  { label: 'API tokens', to: '/tokens' },
  { label: 'My profile', to: '/profile' },
];

export const ADMIN_NAV_ITEMS: NavItem[] = [
  { label: 'Audit log', to: '/audit', admin: { permission: 'audit:read' } },
];
