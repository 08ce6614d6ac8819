import { createServer, type Server } from 'node:net';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD } from '../support/harness.ts';
import { gone, signIn, useConsoleSuite, visible } from './browser.ts';

const REPORT = { id: 'team:sales-dashboard', name: 'Sales dashboard' };

/** A port nothing listens on: bound, then released, so a connection there is refused at once. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('console: reports and their share tokens', () => {
  const suite = useConsoleSuite('reports');

  async function signedIn(): Promise<Page> {
    const page = await suite.open();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    return page;
  }

  const shareTokens = async () =>
    (
      await suite.t.api('GET', `/api/reports/${encodeURIComponent(REPORT.id)}/tokens`, {
        token: suite.t.adminToken,
      })
    ).body;

  it('creates a report, a share token, copies its link and embed code, and revokes it', async () => {
    const page = await signedIn();
    await page.getByRole('link', { name: 'Reports' }).click();
    await visible(page.getByText('No reports yet'));
    await page.getByRole('button', { name: 'Create report' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'Create report' }));
    await dialog.getByRole('textbox', { name: 'Report id' }).fill('team sales');
    await dialog.getByRole('textbox', { name: 'Name' }).fill(REPORT.name);
    await dialog.getByRole('button', { name: 'Create report' }).click();
    await visible(dialog.getByText('Use letters, digits and . _ : - only'));
    await dialog.getByRole('textbox', { name: 'Report id' }).fill(REPORT.id);
    await dialog
      .getByRole('textbox', { name: 'Viewer URL' })
      .fill('https://bi.example.test/r/{reportId}?t={token}');
    await dialog.getByRole('button', { name: 'Create report' }).click();

    // The new report's own page, at an address with the id encoded.
    await visible(page.getByRole('heading', { name: REPORT.name }));
    expect(new URL(page.url()).pathname).toBe('/reports/team%3Asales-dashboard');
    await visible(page.getByText('No active share tokens.'));

    await page.getByRole('button', { name: 'Create share token' }).click();
    const create = await visible(page.getByRole('dialog', { name: 'Create share token' }));
    await create.getByRole('textbox', { name: 'Name' }).fill('Partner portal');
    await create.getByRole('radio', { name: '90 days' }).check();
    await create.getByRole('button', { name: 'Create share token' }).click();
    await gone(create);

    const listing = await shareTokens();
    expect(listing.warning).toBeNull();
    expect(listing.tokens).toHaveLength(1);
    const url: string = listing.tokens[0].url;
    expect(url).toBe(`${suite.t.url}/view/${listing.tokens[0].token}`);

    const item = await visible(page.getByRole('listitem', { name: 'Partner portal' }));
    await visible(item.getByText('Local'));
    await visible(item.getByText(url));
    await item.getByRole('button', { name: 'Copy link for Partner portal' }).click();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(url);
    await item.getByRole('button', { name: 'Copy embed code for Partner portal' }).click();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(
      `<iframe src="${url}" width="100%" height="600"></iframe>`,
    );

    // The report is listed and found by search.
    await page.getByRole('link', { name: 'All reports' }).click();
    await page.getByRole('searchbox', { name: 'Search' }).fill('sales');
    await visible(page.getByRole('link', { name: REPORT.name }));
    await page.getByRole('searchbox', { name: 'Search' }).fill('nothing like it');
    await visible(page.getByText('No reports match this search'));
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    await page.getByRole('link', { name: REPORT.name }).click();

    await page.getByRole('button', { name: 'Revoke Partner portal' }).click();
    const confirm = await visible(page.getByRole('dialog', { name: 'Revoke Partner portal?' }));
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    await gone(confirm);
    await visible(page.getByText('No active share tokens.'));
    expect((await shareTokens()).tokens).toEqual([]);
  });

  it('says nicely that cloud publishing is not set up', async () => {
    const page = await signedIn();
    await page.goto(`/reports/${encodeURIComponent(REPORT.id)}`);
    await page.getByRole('button', { name: 'Publish to cloud' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'Publish to cloud' }));
    await dialog.getByRole('button', { name: 'Publish' }).click();
    const alert = await visible(dialog.getByRole('alert'));
    await visible(alert.getByText('Cloud publishing is not set up'));
    await visible(alert.getByText('Cloud publishing is off or not configured'));
    expect(await dialog.getByRole('button', { name: 'Publish' }).isDisabled()).toBe(true);
  });

  it('lists the local tokens with the warning when the cloud cannot be reached', async () => {
    const port = await closedPort();
    const settings = await suite.t.api('PATCH', '/api/settings', {
      token: suite.t.adminToken,
      body: {
        // A closed port on this machine, over http: both need the outbound rules opened.
        'outbound.allow_http': true,
        'outbound.allow_private_network': true,
        'cloud.enabled': true,
        'cloud.url': `http://127.0.0.1:${port}`,
        'cloud.api_token': 'tsr_api_x',
      },
    });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
    try {
      await suite.t.api('POST', '/api/tokens', {
        token: suite.t.adminToken,
        body: { type: 'report', reportId: REPORT.id, name: 'Still local' },
      });
      const { warning } = await shareTokens();
      expect(warning?.message).toBeTruthy();

      const page = await signedIn();
      await page.goto(`/reports/${encodeURIComponent(REPORT.id)}`);
      const alert = await visible(
        page.getByRole('alert').filter({ hasText: 'Cloud tokens could not be listed' }),
      );
      await visible(alert.getByText(warning.message));
      await visible(page.getByRole('listitem', { name: 'Still local' }));

      // Publishing fails with the cloud's error, shown with its message.
      await page.getByRole('button', { name: 'Publish to cloud' }).click();
      const dialog = await visible(page.getByRole('dialog', { name: 'Publish to cloud' }));
      await dialog.getByRole('button', { name: 'Publish' }).click();
      await visible(dialog.getByText('The report was not published'));
    } finally {
      await suite.t.api('PATCH', '/api/settings', {
        token: suite.t.adminToken,
        body: { 'cloud.enabled': false },
      });
    }
  });
});
