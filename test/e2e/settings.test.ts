import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { basic, postForm } from '../http/oauth-fixtures.ts';
import { ADMIN_PASSWORD, START } from '../support/harness.ts';
import { gone, POLL, signIn, useConsoleSuite, visible } from './browser.ts';

const DAY = 24 * 60 * 60 * 1000;
const DEFAULT_LIFESPAN = 'authentication.token.api_token_default_lifespan';
const MAX_LIFETIME = 'authentication.token.api_token_max_lifespan';

describe('console: settings and OAuth clients', () => {
  const suite = useConsoleSuite('settings');
  /** The bodies of PATCH /api/settings the console sent. */
  let patches: Record<string, unknown>[] = [];

  async function open(navItem: string, heading = navItem): Promise<Page> {
    const page = await suite.open();
    patches = [];
    page.on('request', (request) => {
      if (request.method() === 'PATCH' && request.url().endsWith('/api/settings'))
        patches.push(request.postDataJSON());
    });
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByRole('link', { name: navItem }).click();
    await visible(page.getByRole('heading', { name: heading, level: 2 }));
    return page;
  }

  const settings = async () =>
    (await suite.t.api('GET', '/api/settings', { token: suite.t.adminToken })).body;

  it('changes the default token lifespan, and the next token created without an expiry gets it', async () => {
    const page = await open('Settings');
    const field = page.getByRole('textbox', { name: 'Default token lifespan (days)' });
    expect(await field.inputValue()).toBe('30');
    await field.fill('45');
    await visible(page.getByText('1 unsaved change'));
    await page.getByRole('button', { name: 'Save changes' }).click();
    await visible(page.getByText('Saved 1 setting.'));
    expect(patches).toEqual([{ [DEFAULT_LIFESPAN]: 45 }]);
    expect((await settings())[DEFAULT_LIFESPAN]).toBe(45);

    const created = await suite.t.api('POST', '/api/tokens', {
      token: suite.t.adminToken,
      body: { name: 'No expiry given', permissions: ['subscription:execute'] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(Date.parse(created.body.expiresAt)).toBe(START + 45 * DAY);
  });

  it('checks values before sending and shows the server’s message beside the field', async () => {
    const page = await open('Settings');
    const max = page.getByRole('textbox', { name: 'Maximum token lifetime (days)' });
    await max.fill('0');
    await page.getByRole('textbox', { name: 'Cloud URL' }).fill('ftp://cloud.example.com');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await visible(page.getByText('Enter 1 to 3650 days.'));
    await visible(page.getByText('Enter an http or https URL without query or fragment'));
    expect(patches).toEqual([]);

    // The form checks what the server checks, from the server's own definitions. What it cannot foresee is
    // a change made elsewhere: another admin lowers the maximum lifetime after this page loaded, so the
    // server refuses the longer default the form let through, and its message lands beside that field.
    await page.getByRole('button', { name: 'Discard changes' }).click();
    const elsewhere = await suite.t.api('PATCH', '/api/settings', {
      token: suite.t.adminToken,
      body: { [MAX_LIFETIME]: 50 },
    });
    expect(elsewhere.status, JSON.stringify(elsewhere.body)).toBe(200);
    try {
      const lifespan = page.getByRole('textbox', { name: 'Default token lifespan (days)' });
      await lifespan.fill('60');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await visible(page.getByText(`${DEFAULT_LIFESPAN}: must not be longer than ${MAX_LIFETIME} (50 days)`));
      expect(await lifespan.getAttribute('aria-invalid')).toBe('true');
      expect(patches).toEqual([{ [DEFAULT_LIFESPAN]: 60 }]);
      expect((await settings())[DEFAULT_LIFESPAN]).not.toBe(60);
    } finally {
      await suite.t.api('PATCH', '/api/settings', {
        token: suite.t.adminToken,
        body: { [MAX_LIFETIME]: 365 },
      });
    }
  });

  it('shows the cloud API token masked and keeps it when another cloud setting changes', async () => {
    const set = await suite.t.api('PATCH', '/api/settings', {
      token: suite.t.adminToken,
      body: { 'cloud.url': 'https://cloud.example.com', 'cloud.api_token': 'tsr_api_cloudsecret' },
    });
    expect(set.status).toBe(200);
    const page = await open('Settings');
    const tokenField = page.getByLabel('Cloud API token');
    expect(await tokenField.inputValue()).toBe('********');
    expect(await tokenField.getAttribute('type')).toBe('password');
    await page.getByRole('switch', { name: 'Publish to the cloud' }).check({ force: true });
    await page.getByRole('button', { name: 'Save changes' }).click();
    await visible(page.getByText('Saved 1 setting.'));
    expect(patches).toEqual([{ 'cloud.enabled': true }]);
    expect(await settings()).toMatchObject({ 'cloud.enabled': true, 'cloud.api_token': '********' });
    // The credential was neither sent nor changed: the audit trail records only cloud.enabled.
    const audit = await suite.t.api('GET', '/api/audit?action=settings.update', {
      token: suite.t.adminToken,
    });
    expect(Object.keys(audit.body.items[0].details)).toEqual(['cloud.enabled']);
  });

  it('creates an OAuth client, shows its secret once, rotates it and deletes the client', async () => {
    const page = await open('OAuth clients');
    await visible(page.getByText('No OAuth clients yet'));
    await page.getByRole('button', { name: 'Create client' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'Create OAuth client' }));
    await dialog.getByRole('button', { name: 'Create client' }).click();
    await visible(dialog.getByText('Give the client a name.'));
    await visible(dialog.getByText('Choose at least one permission.'));
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Scheduler');
    await dialog.getByRole('checkbox', { name: 'Execute subscription' }).check();
    await dialog.getByRole('textbox', { name: 'Access token lifespan (minutes)' }).fill('15');
    await dialog.getByRole('button', { name: 'Create client' }).click();

    const created = await visible(page.getByRole('dialog', { name: 'Client created' }));
    await visible(created.getByText('It cannot be shown again'));
    const clientId = await created.getByRole('textbox', { name: 'Client ID' }).inputValue();
    const secret = await created.getByRole('textbox', { name: 'Client secret' }).inputValue();
    await created.getByRole('button', { name: 'Copy' }).nth(1).click();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(secret);
    await created.getByRole('button', { name: 'Done' }).click();
    await gone(created);
    const row = await visible(page.getByRole('row').filter({ hasText: 'Scheduler' }));
    await visible(row.getByText(clientId));
    expect(await row.textContent()).not.toContain(secret);

    const grant = (s: string) =>
      postForm(suite.t, '/oauth/token', { grant_type: 'client_credentials' }, basic(clientId, s));
    const first = await grant(secret);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });

    await row.getByRole('button', { name: 'Rotate secret of Scheduler' }).click();
    const confirmRotate = await visible(
      page.getByRole('dialog', { name: 'Rotate the secret of Scheduler?' }),
    );
    await confirmRotate.getByRole('button', { name: 'Rotate secret' }).click();
    const rotated = await visible(page.getByRole('dialog', { name: 'New client secret' }));
    const newSecret = await rotated.getByRole('textbox', { name: 'Client secret' }).inputValue();
    expect(newSecret).not.toBe(secret);
    await rotated.getByRole('button', { name: 'Done' }).click();
    expect((await grant(secret)).status).toBe(401);
    expect((await grant(newSecret)).status).toBe(200);

    await row.getByRole('button', { name: 'Delete Scheduler' }).click();
    const confirmDelete = await visible(page.getByRole('dialog', { name: 'Delete Scheduler?' }));
    await confirmDelete.getByRole('button', { name: 'Delete client' }).click();
    await gone(confirmDelete);
    await visible(page.getByText('No OAuth clients yet'));
    await expect.poll(async () => (await grant(newSecret)).status, POLL).toBe(401);
  });
});
