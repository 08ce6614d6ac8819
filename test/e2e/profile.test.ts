import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, START, startTestServer, type TestServer } from '../support/harness.ts';
import { gone, launchBrowser, openConsole, signIn, visible } from './browser.ts';

const DAY = 24 * 60 * 60 * 1000;

describe('console: my profile', () => {
  let t: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cspViolations: string[] = [];

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestServer('sqlite'), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  afterEach(async (test) => {
    if (test.task.result?.state === 'fail')
      await page?.screenshot({ path: `/tmp/e2e-${test.task.name.slice(0, 30)}.png` });
    await context?.close();
    expect(cspViolations, 'Content-Security-Policy violations').toEqual([]);
  });

  async function profile(): Promise<Page> {
    ({ context, page, cspViolations } = await openConsole(browser, t));
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByRole('link', { name: 'My profile' }).click();
    await visible(page.getByRole('heading', { name: 'My profile' }));
    return page;
  }

  /** Reads the token shown once, copies it with "Copy", checks the clipboard, and closes the dialog. */
  async function copyShownToken(page: Page, title: string): Promise<string> {
    const dialog = await visible(page.getByRole('dialog', { name: title }));
    await visible(dialog.getByText('It cannot be shown again'));
    const token = await dialog.getByRole('textbox', { name: 'Token', exact: true }).inputValue();
    await dialog.getByRole('button', { name: 'Copy' }).click();
    await visible(dialog.getByRole('button', { name: 'Copied' }));
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(token);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await gone(dialog);
    return token;
  }

  const verify = async (token: string) =>
    (await t.api('POST', '/api/verify', { body: { token } })).body.valid as boolean;

  it('saves the full name, email and preferred language, and shows the server error beside the field', async () => {
    const page = await profile();
    expect(await page.getByRole('textbox', { name: 'Username' }).inputValue()).toBe('admin');
    await page.getByRole('textbox', { name: 'Full name' }).fill('Ada Admin');
    await page.getByRole('textbox', { name: 'Email' }).fill('ada@example.com');
    await page.getByRole('combobox', { name: 'Preferred language' }).click();
    await page.getByRole('option', { name: 'Français' }).click();
    await page.getByRole('button', { name: 'Save profile' }).click();
    await visible(page.getByText('Your profile was saved.'));
    const me = (await t.api('GET', '/api/me', { token: t.adminToken })).body;
    expect(me).toMatchObject({ fullName: 'Ada Admin', email: 'ada@example.com', preferredLanguage: 'fr' });

    // An address that is not one is refused before sending, beside the field.
    await page.getByRole('textbox', { name: 'Email' }).fill('not-an-email');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await visible(page.getByText('Enter an email address such as'));
    // One the console lets through but the server refuses: its message goes beside the field.
    await page.getByRole('textbox', { name: 'Email' }).fill('ada@-example.com');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await visible(page.getByText('email: must match format "email"'));
    expect((await t.api('GET', '/api/me', { token: t.adminToken })).body.email).toBe('ada@example.com');
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

    const stored = (await t.api('GET', '/api/me/tokens', { token: t.adminToken })).body.items[0];
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
});
