import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createUser, MEMBER_PASSWORD, ssoConsoleSession } from '../http/fixtures.ts';
import { ADMIN_PASSWORD, START } from '../support/harness.ts';
import { copyShownToken, gone, signIn, useConsoleSuite, visible } from './browser.ts';

const DAY = 24 * 60 * 60 * 1000;

describe('console: my profile', () => {
  const suite = useConsoleSuite('profile');

  async function profile(): Promise<Page> {
    const page = await suite.open();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByRole('link', { name: 'My profile' }).click();
    await visible(page.getByRole('heading', { name: 'My profile' }));
    return page;
  }

  const verify = async (token: string) =>
    (await suite.t.api('POST', '/api/verify', { body: { token } })).body.valid as boolean;

  /** Opens a console signed in as `username` on My profile: one browser of theirs. */
  async function profileOf(username: string, password = MEMBER_PASSWORD): Promise<Page> {
    const page = await suite.open();
    await signIn(page, username, password);
    await page.getByRole('link', { name: 'My profile' }).click();
    await visible(page.getByRole('heading', { name: 'My profile' }));
    return page;
  }

  /** Whether a session or mobile token still reaches the API. */
  const signedIn = async (token: string) => (await suite.t.api('GET', '/api/me', { token })).status === 200;

  /** A console that was signed out elsewhere learns it on its next request: reloading shows the sign-in. */
  async function expectSignedOut(page: Page): Promise<void> {
    await page.reload();
    await visible(page.getByText('Your session has expired. Sign in again to continue.'));
  }

  const mobileSession = async (username: string, password: string) => {
    const body = { username, password, deviceName: 'Pixel 8' };
    const response = await suite.t.api('POST', '/api/auth/mobile/login', { body });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.token as string;
  };

  it('saves the full name, email and preferred language, and shows the server error beside the field', async () => {
    const page = await profile();
    expect(await page.getByRole('textbox', { name: 'Username' }).inputValue()).toBe('admin');
    await page.getByRole('textbox', { name: 'Full name' }).fill('Ada Admin');
    await page.getByRole('textbox', { name: 'Email' }).fill('ada@example.com');
    await page.getByRole('combobox', { name: 'Preferred language' }).click();
    await page.getByRole('option', { name: 'Français' }).click();
    await page.getByRole('button', { name: 'Save profile' }).click();
    await visible(page.getByText('Your profile was saved.'));
    const me = (await suite.t.api('GET', '/api/me', { token: suite.t.adminToken })).body;
    expect(me).toMatchObject({ fullName: 'Ada Admin', email: 'ada@example.com', preferredLanguage: 'fr' });

    // An address that is not one is refused before sending, beside the field.
    await page.getByRole('textbox', { name: 'Email' }).fill('not-an-email');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await visible(page.getByText('Enter an email address such as'));
    // One the console lets through but the server refuses: its message goes beside the field.
    await page.getByRole('textbox', { name: 'Email' }).fill('ada@-example.com');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await visible(page.getByText('email: must match format "email"'));
    expect((await suite.t.api('GET', '/api/me', { token: suite.t.adminToken })).body.email).toBe(
      'ada@example.com',
    );
  });

  it('says once, not twice, that the profile could not be loaded, and loads it on "Try again"', async () => {
    const page = await suite.open();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    const failure = {
      error: { code: 'INTERNAL_ERROR', message: 'Internal server error', requestId: 'req-1' },
    };
    await page.route('**/api/me', (route) => route.fulfill({ status: 500, json: failure }));
    await page.goto('/profile');
    await visible(page.getByRole('heading', { name: 'My profile' }));
    const alert = page.getByRole('alert').filter({ hasText: 'Could not load your profile' });
    await visible(alert.first());
    expect(await alert.count()).toBe(1);

    await page.unroute('**/api/me');
    await alert.getByRole('button', { name: 'Try again' }).click();
    await visible(page.getByRole('textbox', { name: 'Full name' }));
    await gone(alert);
  });

  it('creates a personal token with a preset, copies it, and revokes it after a confirmation', async () => {
    const page = await profile();
    await visible(page.getByText('You have no personal API access tokens yet.'));
    await page.getByRole('button', { name: 'Create API token' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'Create personal API token' }));
    await dialog.getByRole('button', { name: 'Generate' }).click();
    await visible(dialog.getByText('Give the token a name.'));
    await dialog.getByRole('textbox', { name: 'Token name' }).fill('CI deploy');
    await dialog.getByRole('radio', { name: '60 days' }).check();
    await dialog.getByRole('button', { name: 'Generate' }).click();
    const token = await copyShownToken(page, 'Token created');
    expect(token).toMatch(/^tsr_pat_[A-Za-z0-9]+$/);
    expect(await verify(token)).toBe(true);

    const stored = (await suite.t.api('GET', '/api/me/tokens', { token: suite.t.adminToken })).body.items[0];
    expect(stored).toMatchObject({ name: 'CI deploy', kind: 'pat' });
    expect(Date.parse(stored.expiresAt)).toBe(START + 60 * DAY);

    const table = page.getByRole('table', { name: 'Your personal API access tokens, newest first' });
    await visible(table.getByRole('cell', { name: 'CI deploy', exact: true }));
    await page.getByRole('button', { name: 'Revoke CI deploy' }).click();
    const confirm = await visible(page.getByRole('dialog', { name: 'Revoke CI deploy?' }));
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    await gone(confirm);
    await visible(table.getByText('revoked'));
    expect(await verify(token)).toBe(false);
  });

  it('creates a refresh token, then regenerates it: the old one stops working, the new one is shown once', async () => {
    const page = await profile();
    await visible(page.getByText('You have no refresh tokens yet.'));
    await page.getByRole('button', { name: 'Create refresh token' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'Create refresh token' }));
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Tableau');
    await dialog.getByRole('button', { name: 'Generate' }).click();
    const first = await copyShownToken(page, 'Refresh token created');
    expect(first).toMatch(/^tsr_rt_[A-Za-z0-9]+$/);
    expect(await verify(first)).toBe(true);

    const table = page.getByRole('table', { name: 'Your refresh tokens, newest first' });
    await visible(table.getByRole('cell', { name: 'Tableau', exact: true }));
    await page.getByRole('button', { name: 'Regenerate Tableau' }).click();
    const confirm = await visible(page.getByRole('dialog', { name: 'Regenerate Tableau?' }));
    await confirm.getByRole('button', { name: 'Regenerate' }).click();
    const second = await copyShownToken(page, 'Refresh token regenerated');
    expect(second).not.toBe(first);
    expect(await verify(second)).toBe(true);
    expect(await verify(first)).toBe(false);
    // The old token is listed as revoked, the new one as active, under the same name.
    await visible(table.getByText('revoked'));
    await visible(table.getByText('active'));

    await page.getByRole('button', { name: 'Revoke Tableau' }).click();
    const revoke = await visible(page.getByRole('dialog', { name: 'Revoke Tableau?' }));
    await revoke.getByRole('button', { name: 'Revoke' }).click();
    await gone(revoke);
    expect(await verify(second)).toBe(false);
  });

  it("changes your own password: the server's refusals go beside the field, and other browsers are signed out", {
    timeout: 60_000,
  }, async () => {
    await createUser(suite.t, { username: 'pia', role: 'member' });
    const other = await profileOf('pia');
    const page = await profileOf('pia');
    const mobile = await mobileSession('pia', MEMBER_PASSWORD);
    const form = page.getByRole('form', { name: 'Change password' });
    const current = form.getByLabel('Current password');
    const fresh = form.getByLabel('New password');
    const change = form.getByRole('button', { name: 'Change password' });

    await change.click();
    await visible(form.getByText('Enter your current password.'));
    await visible(form.getByText('Enter a new password.'));

    // A wrong current password: refused by the server (as a failed sign-in), its message beside the field.
    await current.fill('not my password');
    await fresh.fill('tidal basin lantern');
    await change.click();
    await visible(form.getByText('is not your current password', { exact: false }));
    expect(await current.getAttribute('aria-invalid')).toBe('true');
    expect(await fresh.getAttribute('aria-invalid')).not.toBe('true');

    // The right one with a new password the policy refuses: the server names the rule beside "New password".
    // A member cannot read the settings, so the console leaves the minimum length to the server.
    await current.fill(MEMBER_PASSWORD);
    await fresh.fill('too short');
    await change.click();
    await visible(form.getByText('must be at least 12 characters', { exact: false }));
    expect(await fresh.getAttribute('aria-invalid')).toBe('true');
    await fresh.fill('aaaaaaaaaaaaaaaa');
    await change.click();
    await visible(form.getByText('must not be one character repeated', { exact: false }));
    expect(await suite.t.login('pia', MEMBER_PASSWORD)).toBeTruthy();

    await fresh.fill('tidal basin lantern');
    await change.click();
    await visible(page.getByText('Your other console and mobile sessions were signed out', { exact: false }));
    expect(await current.inputValue()).toBe('');
    expect(await fresh.inputValue()).toBe('');
    await expect(suite.t.login('pia', MEMBER_PASSWORD)).rejects.toThrow();
    expect(await suite.t.login('pia', 'tidal basin lantern')).toBeTruthy();
    expect(await signedIn(mobile)).toBe(false);
    await expectSignedOut(other);
    // This browser stays signed in.
    await page.reload();
    await visible(page.getByRole('heading', { name: 'My profile' }));
    await visible(page.getByRole('form', { name: 'Change password' }));
  });

  it('signs you out everywhere else after a confirmation, and says how many sessions ended', async () => {
    await createUser(suite.t, { username: 'otto', role: 'member' });
    const other = await profileOf('otto');
    const page = await profileOf('otto');
    const mobile = await mobileSession('otto', MEMBER_PASSWORD);
    const api = await suite.t.login('otto', MEMBER_PASSWORD);

    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    let confirm = await visible(page.getByRole('dialog', { name: 'Sign out everywhere?' }));
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await gone(confirm);
    expect(await signedIn(mobile)).toBe(true);

    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    confirm = await visible(page.getByRole('dialog', { name: 'Sign out everywhere?' }));
    await confirm.getByRole('button', { name: 'Sign out everywhere' }).click();
    await gone(confirm);
    await visible(page.getByText('Signed out of 3 other sessions.'));
    expect(await signedIn(mobile)).toBe(false);
    expect(await signedIn(api)).toBe(false);
    await expectSignedOut(other);
    await page.reload();
    await visible(page.getByRole('heading', { name: 'My profile' }));

    // Nothing left to end: it says so.
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    confirm = await visible(page.getByRole('dialog', { name: 'Sign out everywhere?' }));
    await confirm.getByRole('button', { name: 'Sign out everywhere' }).click();
    await visible(page.getByText('You had no other sessions to end.'));
  });

  it('tells a single-sign-on user that their identity provider keeps their password', async () => {
    const user = await createUser(suite.t, { username: 'sven', sso: true, password: undefined });
    const token = await ssoConsoleSession(suite.t, user.id);
    const page = await suite.open();
    // Single sign-on makes the console session; the console keeps it where a password sign-in would.
    const session = JSON.stringify({ token, expiresAt: new Date(START + 60 * 60 * 1000).toISOString() });
    await page.evaluate(`sessionStorage.setItem('tessera.session', ${JSON.stringify(session)})`);
    await page.goto('/profile');
    const section = await visible(page.getByRole('region', { name: 'Password', exact: true }));
    await visible(section.getByText('your identity provider keeps your password', { exact: false }));
    expect(await section.getByLabel('Current password').count()).toBe(0);
    await visible(page.getByRole('button', { name: 'Sign out everywhere' }));
  });
});
