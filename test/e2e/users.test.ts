import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createUser, MEMBER_PASSWORD } from '../http/fixtures.ts';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/harness.ts';
import { gone, launchBrowser, NARROW, openConsole, POLL, signIn, visible } from './browser.ts';

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

  async function open(
    navItem: string,
    heading = navItem,
    as: { username: string; password: string } = { username: 'admin', password: ADMIN_PASSWORD },
  ): Promise<Page> {
    ({ context, page, cspViolations } = await openConsole(browser, t, { now: t.clock.now() }));
    await signIn(page, as.username, as.password);
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
    await visible(dialog.getByText('Use at least 12 characters.'));
    // Long enough but one of the most common passwords: the server names the rule beside the field.
    await dialog.getByLabel(/^Password/).fill('password1234');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await visible(dialog.getByText('password: is one of the most common passwords', { exact: false }));
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

  it('opens a user at their own address, /users/{id}, which works after a reload and as a link', async () => {
    const created = await t.api('POST', '/api/users', {
      token: t.adminToken,
      body: { username: 'nadia', fullName: 'Nadia Brandt', email: 'nadia@example.com', sso: true },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id;
    const page = await open('Users');
    await page.getByRole('searchbox', { name: 'Search' }).fill('nadia');
    await page.getByRole('link', { name: 'nadia', exact: true }).click();
    await expect.poll(() => new URL(page.url()).pathname, POLL).toBe(`/users/${id}`);
    const details = await visible(page.getByRole('dialog', { name: 'nadia' }));
    await visible(details.getByText('Nadia Brandt'));
    await visible(details.getByText('Single sign-on'));

    await page.reload();
    const reloaded = await visible(page.getByRole('dialog', { name: 'nadia' }));
    await visible(reloaded.getByText('nadia@example.com'));
    await reloaded.getByRole('button', { name: 'Close user details' }).click();
    await expect.poll(() => new URL(page.url()).pathname, POLL).toBe('/users');
    await gone(reloaded);

    // Typed or shared: the address alone opens the user; an unknown id says so.
    await page.goto(`/users/${id}`);
    await visible(page.getByRole('dialog', { name: 'nadia' }).getByText('Nadia Brandt'));
    await page.goto('/users/999999');
    await visible(page.getByRole('dialog', { name: 'User' }).getByRole('alert'));
  });

  it('finds any user in the create-token dialog by searching the API as one types', {
    timeout: 60_000,
  }, async () => {
    // More users than the picker shows at once (20): the last one is found only by searching.
    for (let i = 1; i <= 24; i++) {
      const body = { username: `crowd-${String(i).padStart(2, '0')}`, sso: true };
      expect((await t.api('POST', '/api/users', { token: t.adminToken, body })).status).toBe(201);
    }
    const last = (
      await t.api('POST', '/api/users', {
        token: t.adminToken,
        body: { username: 'crowd-25', fullName: 'Zora Quill', sso: true },
      })
    ).body;
    const page = await open('API tokens');
    const searches: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/users') searches.push(url.searchParams.get('q') ?? '');
    });
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'Create token' }));
    await dialog.getByLabel('Name').fill('For Zora');
    await dialog.getByRole('checkbox', { name: 'Execute subscription' }).check();
    const picker = dialog.getByRole('combobox', { name: 'User', exact: true });
    await picker.click();
    await visible(page.getByRole('option', { name: 'crowd-01' }));
    expect(await page.getByRole('option', { name: 'Zora Quill (crowd-25)' }).count()).toBe(0);
    await picker.fill('quill');
    await page.getByRole('option', { name: 'Zora Quill (crowd-25)' }).click();
    expect(searches).toContain('quill');
    await dialog.getByRole('button', { name: 'Generate' }).click();
    const shown = await visible(page.getByRole('dialog', { name: 'Token created' }));
    await shown.getByRole('button', { name: 'Done' }).click();
    const tokens = await t.api('GET', `/api/tokens?userId=${last.id}`, { token: t.adminToken });
    expect(tokens.body.items.map((token: { name: string }) => token.name)).toEqual(['For Zora']);
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
      body: { username: 'fiona', password: 'finance is fun 2026', departmentId: finance.id },
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
  it('shows the audit log as stacked cards on a phone, with nothing scrolling sideways', async () => {
    ({ context, page, cspViolations } = await openConsole(browser, t, {
      now: t.clock.now(),
      viewport: NARROW,
    }));
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/audit?action=user.create');
    const list = await visible(page.getByRole('list', { name: 'Audit events, page 1' }));
    expect(await page.getByRole('table').count()).toBe(0);
    const card = list.getByRole('listitem').first();
    await visible(card.getByText('user.create'));
    await visible(card.getByText('By Administrator (admin)'));
    await card.getByRole('button', { name: /^Show details of user\.create/ }).click();
    await visible(card.getByText('"username"', { exact: false }));
    const overflow = await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it('signs a user out everywhere from their details, after a confirmation, and says how many sessions ended', async () => {
    const wren = await createUser(t, { username: 'wren', role: 'member' });
    const sessions = [await t.login('wren', MEMBER_PASSWORD), await t.login('wren', MEMBER_PASSWORD)];
    const mobile = await t.api('POST', '/api/auth/mobile/login', {
      body: { username: 'wren', password: MEMBER_PASSWORD, deviceName: 'Wren’s phone' },
    });
    sessions.push(mobile.body.token);
    const pat = await t.api('POST', '/api/me/tokens', {
      token: sessions[0],
      body: { name: 'Wren script', expiresInDays: 30 },
    });
    const signedIn = async (token: string) => (await t.api('GET', '/api/me', { token })).status === 200;

    const page = await open('Users');
    await page.goto(`/users/${wren.id}`);
    const details = await visible(page.getByRole('dialog', { name: 'wren' }));
    await details.getByRole('button', { name: 'Sign out everywhere' }).click();
    const confirm = await visible(page.getByRole('dialog', { name: 'Sign wren out everywhere?' }));
    await visible(confirm.getByText('Their API tokens and refresh tokens keep working.', { exact: false }));
    await confirm.getByRole('button', { name: 'Sign out everywhere' }).click();
    await gone(confirm);
    await visible(page.getByText('Signed wren out of 3 sessions.'));
    for (const token of sessions) expect(await signedIn(token)).toBe(false);
    expect((await t.api('POST', '/api/verify', { body: { token: pat.body.token } })).body.valid).toBe(true);
    // The administrator's own session is untouched.
    await visible(details.getByText('Signs in with'));
    expect(await signedIn(t.adminToken)).toBe(true);
  });

  it("shows the server's refusal beside the field: rights the administrator does not hold, a weak password", {
    timeout: 60_000,
  }, async () => {
    const limited = await createUser(t, {
      username: 'lim',
      role: 'admin',
      permissions: ['users:read', 'users:write'],
    });
    const page = await open('Users', 'Users', { username: 'lim', password: MEMBER_PASSWORD });

    // The full administrator holds more than lim: lim may not set their password.
    await page.getByRole('button', { name: 'Edit admin' }).click();
    let dialog = await visible(page.getByRole('dialog', { name: 'Edit admin' }));
    await dialog.getByLabel(/^New password/).fill('a perfectly fine password');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await visible(dialog.getByText('password: you do not hold every permission (*)', { exact: false }));
    expect(await dialog.getByLabel(/^New password/).getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByRole('alert').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await gone(dialog);

    // Nor give a new user rights lim does not hold: a member's defaults, named beside "Role"…
    await page.getByRole('button', { name: 'Create user' }).click();
    dialog = await visible(page.getByRole('dialog', { name: 'Create user' }));
    await dialog.getByRole('textbox', { name: 'Username' }).fill('quinn');
    await dialog.getByLabel(/^Password/).fill('quinn password 1');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await visible(dialog.getByText('role: you do not hold subscription:execute', { exact: false }));
    // …or a permission chosen from the catalog, named beside "Permissions".
    await dialog.getByRole('switch', { name: 'Custom permissions' }).click();
    await dialog.getByRole('checkbox', { name: 'Read users' }).check();
    await dialog.getByRole('checkbox', { name: 'Execute subscription' }).check();
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await visible(
      dialog.getByText(
        'permissions: you do not hold subscription:execute, so you cannot give them to a user.',
      ),
    );
    // lim may not read the settings, so the minimum length is left to the server, whose message names it.
    await dialog.getByRole('checkbox', { name: 'Execute subscription' }).uncheck();
    await dialog.getByLabel(/^Password/).fill('short');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await visible(dialog.getByText('password: must be at least 12 characters', { exact: false }));
    expect(await user('quinn')).toBeUndefined();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await gone(dialog);

    // Editing oneself: password and email change on My profile, which asks for the current password.
    await page.getByRole('searchbox', { name: 'Search' }).fill('lim');
    await page.getByRole('button', { name: 'Edit lim' }).click();
    dialog = await visible(page.getByRole('dialog', { name: 'Edit lim' }));
    await visible(dialog.getByText('Change your own password on My profile', { exact: false }));
    expect(await dialog.getByLabel(/^New password/).count()).toBe(0);
    expect(await dialog.getByRole('textbox', { name: 'Email' }).getAttribute('readonly')).not.toBeNull();
    expect((await user('lim')).id).toBe(limited.id);
  });
});
