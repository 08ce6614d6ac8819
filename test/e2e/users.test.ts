import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/harness.ts';
import { gone, launchBrowser, openConsole, POLL, signIn, visible } from './browser.ts';

describe('console: users, departments and user types, audit log', () => {
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
      await page?.screenshot({ path: `/tmp/e2e-users-${test.task.name.slice(0, 30)}.png` });
    await context?.close();
    expect(cspViolations, 'Content-Security-Policy violations').toEqual([]);
  });

  async function open(navItem: string, heading = navItem): Promise<Page> {
    ({ context, page, cspViolations } = await openConsole(browser, t, { now: t.clock.now() }));
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: navItem, exact: true })
      .click();
    await visible(page.getByRole('heading', { name: heading }));
    return page;
  }
  const user = async (username: string) =>
    (await t.api('GET', `/api/users?q=${username}`, { token: t.adminToken })).body.items.find(
      (u: { username: string }) => u.username === username,
    );

  it('creates a department and a user type, then a user in them who can sign in; edits and deletes the user', {
    timeout: 60_000,
  }, async () => {
    const page = await open('Departments and user types');
    await page.getByRole('button', { name: 'Create department' }).click();
    let dialog = await visible(page.getByRole('dialog', { name: 'Create department' }));
    await dialog.getByRole('button', { name: 'Create department' }).click();
    await visible(dialog.getByText('Give the department a name.'));
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Logistics');
    await dialog.getByRole('textbox', { name: 'Description' }).fill('Warehouses and transport');
    await dialog.getByRole('button', { name: 'Create department' }).click();
    await gone(dialog);
    await visible(page.getByRole('cell', { name: 'Warehouses and transport' }));

    await page.getByRole('tab', { name: 'User types' }).click();
    expect(new URL(page.url()).searchParams.get('tab')).toBe('user-types');
    await page.getByRole('button', { name: 'Create user type' }).click();
    dialog = await visible(page.getByRole('dialog', { name: 'Create user type' }));
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Driver');
    await dialog.getByRole('button', { name: 'Create user type' }).click();
    await gone(dialog);
    await visible(
      page.getByRole('table', { name: 'User types' }).getByRole('cell', { name: 'Driver', exact: true }),
    );
    // A second one with the same name: the server's NAME_TAKEN goes beside the field.
    await page.getByRole('button', { name: 'Create user type' }).click();
    dialog = await visible(page.getByRole('dialog', { name: 'Create user type' }));
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Driver');
    await dialog.getByRole('button', { name: 'Create user type' }).click();
    await visible(dialog.getByText('a user type named Driver exists', { exact: false }));
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Users', exact: true })
      .click();
    await visible(page.getByRole('heading', { name: 'Users' }));
    await page.getByRole('button', { name: 'Create user' }).click();
    dialog = await visible(page.getByRole('dialog', { name: 'Create user' }));
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await visible(dialog.getByText('Enter a username.'));
    await visible(dialog.getByText('Enter a password, or generate one.'));
    await dialog.getByRole('textbox', { name: 'Username' }).fill('Lena.Fischer');
    await dialog.getByRole('textbox', { name: 'Full name' }).fill('Lena Fischer');
    await dialog.getByRole('textbox', { name: 'Email' }).fill('lena@example.com');
    await dialog.getByRole('combobox', { name: 'Department' }).click();
    await page.getByRole('option', { name: 'Logistics' }).click();
    await dialog.getByRole('combobox', { name: 'User type' }).click();
    await page.getByRole('option', { name: 'Driver' }).click();
    await dialog.getByLabel(/^Password/).fill('short');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await visible(dialog.getByText('Use at least 8 characters.'));
    await dialog.getByLabel(/^Password/).fill('lena password 1');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await gone(dialog);
    const row = await visible(page.getByRole('row').filter({ hasText: 'lena.fischer' }));
    for (const text of ['Lena Fischer', 'lena@example.com', 'Logistics', 'Driver', 'Member'])
      await visible(row.getByText(text, { exact: true }));
    expect(await t.login('lena.fischer', 'lena password 1')).toBeTruthy();

    // Edit: a new name and custom permissions, sent as a PATCH of what changed.
    await page.getByRole('button', { name: 'Edit lena.fischer' }).click();
    dialog = await visible(page.getByRole('dialog', { name: 'Edit lena.fischer' }));
    await dialog.getByRole('textbox', { name: 'Full name' }).fill('Lena Fischer-Braun');
    await dialog.getByRole('switch', { name: 'Custom permissions' }).click();
    await dialog.getByRole('checkbox', { name: 'Execute subscription' }).check();
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await gone(dialog);
    await visible(row.getByText('Lena Fischer-Braun', { exact: true }));
    await visible(row.getByText('1 custom', { exact: true }));
    const saved = await user('lena.fischer');
    expect(saved.fullName).toBe('Lena Fischer-Braun');
    expect(saved.permissions).toEqual(['subscription:execute']);

    // Search, kept in the address.
    await page.getByRole('searchbox', { name: 'Search' }).fill('nobody-like-this');
    await visible(page.getByText('No users match these filters'));
    expect(new URL(page.url()).searchParams.get('q')).toBe('nobody-like-this');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await visible(row);

    await page.getByRole('button', { name: 'Delete lena.fischer' }).click();
    dialog = await visible(page.getByRole('dialog', { name: 'Delete lena.fischer?' }));
    await dialog.getByRole('button', { name: 'Delete user' }).click();
    await gone(dialog);
    await gone(page.getByRole('row').filter({ hasText: 'lena.fischer' }));
    expect(await user('lena.fischer')).toBeUndefined();
  });

  it('generates a password, shows it once, and it signs the new user in', async () => {
    const page = await open('Users');
    await page.getByRole('button', { name: 'Create user' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'Create user' }));
    await dialog.getByRole('textbox', { name: 'Username' }).fill('milo');
    await dialog.getByRole('checkbox', { name: 'Generate a password' }).check();
    await dialog.getByRole('button', { name: 'Create user' }).click();
    const shown = await visible(page.getByRole('dialog', { name: 'Password' }));
    await visible(shown.getByText('This is the only time the password of milo is shown', { exact: false }));
    const password = await shown.getByRole('textbox', { name: 'Password' }).inputValue();
    expect(password).toHaveLength(20);
    expect(await t.login('milo', password)).toBeTruthy();
    await shown.getByRole('button', { name: 'Done' }).click();
    await gone(shown);
  });

  it('refuses to delete or demote the last administrator, and says why', async () => {
    const page = await open('Users');
    await page.getByRole('button', { name: 'Delete admin' }).click();
    const confirm = await visible(page.getByRole('dialog', { name: 'Delete admin?' }));
    await confirm.getByRole('button', { name: 'Delete user' }).click();
    const alert = await visible(confirm.getByRole('alert'));
    expect(await alert.textContent()).toContain(
      'This is the last administrator; make another user admin first.',
    );
    expect(await alert.textContent()).toContain('LAST_ADMIN');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await gone(confirm);

    await page.getByRole('button', { name: 'Edit admin' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'Edit admin' }));
    await dialog.getByRole('combobox', { name: 'Role' }).click();
    await page.getByRole('option', { name: 'Member' }).click();
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    // The server names the field: its message goes beside "Role".
    await visible(dialog.getByText('this is the last administrator', { exact: false }));
    expect((await user('admin')).role).toBe('admin');
  });

  it('refuses to delete a department while a user is in it', async () => {
    const admin = { token: t.adminToken };
    const finance = (await t.api('POST', '/api/departments', { ...admin, body: { name: 'Finance' } })).body;
    await t.api('POST', '/api/users', {
      ...admin,
      body: { username: 'fiona', password: 'fiona password', departmentId: finance.id },
    });
    const page = await open('Departments and user types');
    await page.getByRole('button', { name: 'Delete Finance' }).click();
    const confirm = await visible(page.getByRole('dialog', { name: 'Delete Finance?' }));
    await confirm.getByRole('button', { name: 'Delete department' }).click();
    const alert = await visible(confirm.getByRole('alert'));
    expect(await alert.textContent()).toContain(
      'This department is still assigned to users or active tokens.',
    );
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await visible(page.getByRole('cell', { name: 'Finance', exact: true }));
  });

  it('filters the audit log by action, kept in the address, with details behind "Show details"', async () => {
    const page = await open('Audit log');
    await visible(page.getByRole('cell', { name: 'auth.login' }).first());
    await page.getByRole('combobox', { name: 'Action' }).fill('user.create');
    await expect.poll(() => new URL(page.url()).searchParams.get('action'), POLL).toBe('user.create');
    await expect
      .poll(async () => {
        const actions = await page.getByRole('table').locator('tbody tr code').allTextContents();
        return actions.length > 0 && actions.every((a) => a === 'user.create');
      }, POLL)
      .toBe(true);
    const events = (await t.api('GET', '/api/audit?action=user.create', { token: t.adminToken })).body.items;
    await expect
      .poll(() => page.getByRole('cell', { name: 'user.create', exact: true }).count(), POLL)
      .toBe(events.length);

    await page
      .getByRole('button', { name: /^Show details of user.create/ })
      .first()
      .click();
    await visible(page.getByText('"username":', { exact: false }).first());

    await page.reload();
    await visible(page.getByRole('heading', { name: 'Audit log' }));
    expect(await page.getByRole('combobox', { name: 'Action' }).inputValue()).toBe('user.create');
    await expect
      .poll(() => page.getByRole('cell', { name: 'auth.login', exact: true }).count(), POLL)
      .toBe(0);
  });
});
