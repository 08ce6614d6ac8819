import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createToken } from '../http/fixtures.ts';
import { ADMIN_PASSWORD, START } from '../support/harness.ts';
import { copyShownToken, gone, POLL, signIn, useConsoleSuite, visible } from './browser.ts';

const DAY = 24 * 60 * 60 * 1000;

describe('console: API tokens', () => {
  const suite = useConsoleSuite('tokens');

  async function signedIn(): Promise<Page> {
    const page = await suite.open();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    return page;
  }

  /** The token list as the API sees it, by name. */
  async function tokenByName(name: string) {
    const list = await suite.t.api('GET', `/api/tokens?q=${encodeURIComponent(name)}&kind=api`, {
      token: suite.t.adminToken,
    });
    return list.body.items.find((token: { name: string }) => token.name === name);
  }

  /** Types into Search and waits for the debounced filter to reach the address (and so the query). */
  async function search(page: Page, text: string) {
    await page.getByRole('searchbox', { name: 'Search' }).fill(text);
    await expect.poll(() => new URL(page.url()).searchParams.get('q'), POLL).toBe(text);
  }

  async function openCreateForm(page: Page, name: string) {
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'Create token' }));
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByRole('checkbox', { name: 'Execute subscription' }).check();
    return dialog;
  }

  /** Generates the token, checks it is shown once with a working Copy button, and closes the dialog. */
  async function generateAndCopy(page: Page): Promise<string> {
    await page.getByRole('button', { name: 'Generate' }).click();
    const token = await copyShownToken(page, 'Token created');
    expect(token).toMatch(/^tsr_api_[A-Za-z0-9]+$/);
    return token;
  }

  it.each([30, 60, 90])(
    'creates a token that expires in %i days, shows it once and copies it',
    async (days) => {
      const page = await signedIn();
      const dialog = await openCreateForm(page, `Preset ${days}`);
      await dialog.getByLabel('Description').fill(`Expires in ${days} days`);
      await dialog.getByRole('radio', { name: `${days} days` }).check();
      const token = await generateAndCopy(page);

      const stored = await tokenByName(`Preset ${days}`);
      expect(stored).toMatchObject({
        permissions: ['subscription:execute'],
        description: `Expires in ${days} days`,
      });
      expect(Date.parse(stored.expiresAt)).toBe(START + days * DAY);
      const verified = await suite.t.api('POST', '/api/verify', {
        body: { token, permission: 'subscription:execute' },
      });
      expect(verified.body.valid).toBe(true);
      // And the new token is in the list.
      await visible(page.getByRole('link', { name: `Preset ${days}` }));
    },
  );

  it('creates a token with a custom date from the date picker', async () => {
    const page = await signedIn();
    const dialog = await openCreateForm(page, 'Custom date');
    await dialog.getByRole('radio', { name: 'Custom date' }).check();
    await dialog.getByRole('button', { name: 'Expiry date' }).click();
    await page.getByRole('button', { name: '20 Jan 2026' }).click();
    await generateAndCopy(page);
    expect((await tokenByName('Custom date')).expiresAt).toBe('2026-01-20T23:59:59.999Z');
  });

  it('refuses custom dates past the maximum lifetime from the settings, and says why', async () => {
    const setMax = (days: number) =>
      suite.t.api('PATCH', '/api/settings', {
        token: suite.t.adminToken,
        body: { 'authentication.token.api_token_max_lifespan': days },
      });
    expect((await setMax(45)).status).toBe(200);
    try {
      const page = await signedIn();
      const dialog = await openCreateForm(page, 'Too long');
      expect(await dialog.getByRole('radio', { name: '30 days' }).isDisabled()).toBe(false);
      expect(await dialog.getByRole('radio', { name: '60 days' }).isDisabled()).toBe(true);
      expect(await dialog.getByRole('radio', { name: '90 days' }).isDisabled()).toBe(true);
      await dialog.getByRole('radio', { name: 'Custom date' }).check();
      await visible(dialog.getByText('later dates are past the maximum lifetime of 45 days'));
      await dialog.getByRole('button', { name: 'Expiry date' }).click();
      await page.getByRole('button', { name: 'Next month' }).click();
      // 1 January + 45 days: 14 February is the last whole day.
      expect(await page.getByRole('button', { name: '14 Feb 2026' }).isDisabled()).toBe(false);
      expect(await page.getByRole('button', { name: '15 Feb 2026' }).isDisabled()).toBe(true);
      expect(await page.getByRole('button', { name: 'Next month' }).isDisabled()).toBe(true);
    } finally {
      await setMax(365);
    }
  });

  it('checks the form before sending and shows the server error beside the field', async () => {
    const page = await signedIn();
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'Create token' }));
    await dialog.getByRole('button', { name: 'Generate' }).click();
    await visible(dialog.getByText('Give the token a name.'));
    await visible(dialog.getByText('Choose at least one permission.'));

    await dialog.getByLabel('Name').fill('x'.repeat(60));
    await dialog.getByRole('checkbox', { name: 'Execute subscription' }).check();
    // Lower the maximum behind the form's back (the default with it: it may not exceed the maximum): the
    // server refuses, naming the field.
    await suite.t.api('PATCH', '/api/settings', {
      token: suite.t.adminToken,
      body: {
        'authentication.token.api_token_max_lifespan': 20,
        'authentication.token.api_token_default_lifespan': 20,
      },
    });
    try {
      await dialog.getByRole('button', { name: 'Generate' }).click();
      await visible(dialog.getByText('expiresInDays: at most 20 days are allowed'));
    } finally {
      await suite.t.api('PATCH', '/api/settings', {
        token: suite.t.adminToken,
        body: {
          'authentication.token.api_token_max_lifespan': 365,
          'authentication.token.api_token_default_lifespan': 30,
        },
      });
    }
  });

  it('finds a token by search, inspects it, and revokes it', async () => {
    const target = await createToken(suite.t, {
      name: 'Findable nightly trigger',
      description: 'Starts the nightly subscription',
      permissions: ['subscription:execute', 'semantic-model:refresh'],
    });
    await createToken(suite.t, { name: 'Some other token', permissions: ['reports:read'] });
    expect((await suite.t.api('POST', '/api/verify', { body: { token: target.token } })).body.valid).toBe(
      true,
    );
    await suite.t.server.tessera.usage.flush();

    const page = await signedIn();
    await search(page, 'Findable');
    await gone(page.getByRole('link', { name: 'Some other token' }));
    await page.getByRole('link', { name: 'Findable nightly trigger' }).click();
    expect(new URL(page.url()).pathname).toBe(`/tokens/${target.id}`);

    const drawer = await visible(page.getByRole('dialog', { name: 'Findable nightly trigger' }));
    for (const text of [
      'Token name',
      'Tenant id',
      'Description of use',
      'Starts the nightly subscription',
      'Execute subscription, Refresh semantic data input',
      target.hint,
      '127.0.0.1',
    ]) {
      await visible(drawer.getByText(text, { exact: false }).first());
    }
    await visible(drawer.getByText(`${suite.t.url}/api/verify`, { exact: false }).first());
    const useCount = drawer.locator('dt', { hasText: 'Use count' }).locator('xpath=following-sibling::dd[1]');
    expect(await useCount.textContent()).toBe('1');
    await visible(
      drawer.getByRole('table', { name: 'Changes to this token, newest first' }).getByText('token.create'),
    );

    await drawer.getByRole('button', { name: 'Revoke' }).click();
    const confirm = await visible(page.getByRole('dialog', { name: 'Revoke "Findable nightly trigger"?' }));
    await confirm.getByRole('button', { name: 'Revoke token' }).click();
    await gone(confirm);
    await visible(drawer.getByText('This token is revoked'));
    await visible(
      drawer.getByRole('table', { name: 'Changes to this token, newest first' }).getByText('token.revoke'),
    );
    expect((await tokenByName('Findable nightly trigger')).status).toBe('revoked');
    expect((await suite.t.api('POST', '/api/verify', { body: { token: target.token } })).body.code).toBe(
      'TOKEN_REVOKED',
    );

    await drawer.getByRole('button', { name: 'Close token details' }).click();
    expect(new URL(page.url()).pathname).toBe('/tokens');
  });

  it('revokes the selected tokens after a confirmation that names how many', async () => {
    const tokens = [];
    for (const name of ['Bulk one', 'Bulk two', 'Bulk three'])
      tokens.push(await createToken(suite.t, { name, permissions: ['reports:read'] }));

    const page = await signedIn();
    await search(page, 'Bulk');
    await visible(page.getByRole('link', { name: 'Bulk three' }));
    const revokeSelected = page.getByRole('button', { name: /^Revoke selected/ });
    expect(await revokeSelected.isDisabled()).toBe(true);
    await page.getByRole('checkbox', { name: 'Select Bulk one' }).check();
    await page.getByRole('checkbox', { name: 'Select Bulk two' }).check();
    await page.getByRole('button', { name: 'Revoke selected (2)' }).click();

    const confirm = await visible(page.getByRole('dialog', { name: 'Revoke 2 tokens?' }));
    await visible(confirm.getByText('2 tokens will stop working at once'));
    await confirm.getByRole('button', { name: 'Revoke 2 tokens' }).click();
    await visible(page.getByText('Revoked 2 tokens.'));
    expect((await tokenByName('Bulk one')).status).toBe('revoked');
    expect((await tokenByName('Bulk two')).status).toBe('revoked');
    expect((await tokenByName('Bulk three')).status).toBe('active');
    // Revoked rows can no longer be selected.
    expect(await page.getByRole('checkbox', { name: 'Select Bulk one' }).isDisabled()).toBe(true);
  });

  it('filters by status and sorts by name through the API parameters', async () => {
    for (const name of ['Sort b', 'Sort a', 'Sort c'])
      await createToken(suite.t, { name, permissions: ['reports:read'] });
    const page = await signedIn();
    await search(page, 'Sort');
    await visible(page.getByRole('link', { name: 'Sort c' }));
    await page.getByRole('button', { name: 'Sort by name' }).click();
    await expect
      .poll(() => page.getByRole('link', { name: /^Sort [abc]$/ }).allTextContents(), POLL)
      .toEqual(['Sort a', 'Sort b', 'Sort c']);
    await page.getByRole('button', { name: 'Sort by name' }).click();
    await expect
      .poll(() => page.getByRole('link', { name: /^Sort [abc]$/ }).allTextContents(), POLL)
      .toEqual(['Sort c', 'Sort b', 'Sort a']);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('name');

    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Revoked' }).click();
    await visible(page.getByText('No tokens match these filters'));
  });

  it('rotates a token and reveals a retrievable one', async () => {
    const original = await createToken(suite.t, {
      name: 'Retrievable one',
      permissions: ['reports:read'],
      retrievable: true,
    });
    const page = await signedIn();
    await page.goto(`/tokens/${original.id}`);
    const drawer = await visible(page.getByRole('dialog', { name: 'Retrievable one' }));
    await drawer.getByRole('button', { name: 'Reveal' }).click();
    expect(await (await visible(drawer.getByLabel('Revealed token'))).inputValue()).toBe(original.token);

    await drawer.getByRole('button', { name: 'Rotate' }).click();
    const rotate = await visible(page.getByRole('dialog', { name: 'Rotate "Retrievable one"?' }));
    await rotate.getByRole('button', { name: 'Rotate token' }).click();
    const rotated = await visible(page.getByRole('dialog', { name: 'Token rotated' }));
    const next = await rotated.getByRole('textbox', { name: 'Token', exact: true }).inputValue();
    expect(next).not.toBe(original.token);
    await rotated.getByRole('button', { name: 'Show the new token' }).click();
    await expect.poll(() => new URL(page.url()).pathname, POLL).not.toBe(`/tokens/${original.id}`);
    expect((await suite.t.api('POST', '/api/verify', { body: { token: next } })).body.valid).toBe(true);
    expect((await suite.t.api('POST', '/api/verify', { body: { token: original.token } })).body.valid).toBe(
      false,
    );
  });
});
