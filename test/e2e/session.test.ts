import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createUser, MEMBER_PASSWORD } from '../http/fixtures.ts';
import { ADMIN_PASSWORD } from '../support/harness.ts';
import { gone, POLL, signIn, useConsoleSuite, visible } from './browser.ts';

const HOUR = 60 * 60 * 1000;

describe('console: signing in, roles and sessions', () => {
  const suite = useConsoleSuite('session', async (t) => {
    await createUser(t, {
      username: 'mia',
      role: 'member',
      fullName: 'Mia Member',
      email: 'mia@example.com',
    });
  });
  let page: Page;

  const nav = () => page.getByRole('navigation', { name: 'Main' });

  it('signs in after a wrong password, shows the admin navigation, and signs out', async () => {
    page = await suite.open();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(page.getByText('Enter your username.'));
    await visible(page.getByText('Enter your password.'));

    await page.getByRole('textbox', { name: 'Username', exact: true }).fill('admin');
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const error = await visible(page.getByRole('alert').filter({ hasText: 'Could not sign in' }));
    expect(await error.textContent()).toContain('INVALID_CREDENTIALS');

    await signIn(page, 'admin', ADMIN_PASSWORD);
    await visible(nav().getByRole('link', { name: 'API tokens' }));
    await visible(nav().getByRole('link', { name: 'My profile' }));
    await nav().getByRole('link', { name: 'Audit log' }).click();
    await visible(page.getByRole('heading', { name: 'Audit log' }));
    await visible(page.getByRole('cell', { name: 'auth.login' }).first());

    const session = (await page.evaluate("sessionStorage.getItem('tessera.session')")) as string | null;
    const token = JSON.parse(session ?? '{}').token as string;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await visible(page.getByText('You have signed out.'));
    await visible(page.getByRole('textbox', { name: 'Username', exact: true }));
    // The session was revoked on the server, not only forgotten by the browser.
    expect((await suite.t.api('GET', '/api/me', { token })).status).toBe(401);
  });

  it('shows a member their tokens and profile but no admin screens or admin-only fields', async () => {
    page = await suite.open();
    await signIn(page, 'mia', MEMBER_PASSWORD);
    await visible(nav().getByRole('link', { name: 'API tokens' }));
    expect(await nav().getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    expect(await nav().getByText('Administration').count()).toBe(0);
    // No admin filters on the list.
    expect(await page.getByRole('combobox', { name: 'User', exact: true }).count()).toBe(0);

    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'Create token' }));
    await visible(dialog.getByRole('checkbox', { name: 'Execute subscription' }));
    expect(await dialog.getByRole('switch', { name: 'Retrievable' }).count()).toBe(0);
    expect(await dialog.getByRole('combobox', { name: 'User', exact: true }).count()).toBe(0);
    // Members do not hold users:write: the catalog shows it, but it cannot be chosen.
    expect(await dialog.getByRole('checkbox', { name: 'Manage users' }).isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await gone(dialog);

    await nav().getByRole('link', { name: 'My profile' }).click();
    await expect.poll(() => page.getByLabel('Email').inputValue(), POLL).toBe('mia@example.com');
    await expect.poll(() => page.getByLabel('Full name').inputValue(), POLL).toBe('Mia Member');

    await page.goto('/audit');
    await visible(page.getByRole('heading', { name: 'Page not found' }));
  });

  it('sends the user back to sign in with a message once the session has expired', async () => {
    page = await suite.open();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    // Past the session lifespan (12 hours by default). This is the file's last test: the clock stays moved.
    suite.t.clock.advance(12 * HOUR + 60_000);
    // Any request now answers 401: here, changing a filter asks for the list again.
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Active' }).click();
    await visible(page.getByText('Your session has expired. Sign in again to continue.'));
    await visible(page.getByRole('textbox', { name: 'Username', exact: true }));
    expect(await page.evaluate("sessionStorage.getItem('tessera.session')")).toBeNull();
    // Signing in again brings the user back to where they were.
    await signIn(page, 'admin', ADMIN_PASSWORD);
    expect(new URL(page.url()).searchParams.get('status')).toBe('active');
  });
});
