import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createToken, createUser, MEMBER_PASSWORD } from '../http/fixtures.ts';
import { ADMIN_PASSWORD, START, startTestServer, type TestServer } from '../support/harness.ts';
import { DESKTOP, launchBrowser, NARROW, openConsole, signIn, visible } from './browser.ts';

const OUT = path.resolve(import.meta.dirname, '../../docs/screenshots');
const DAY = 24 * 60 * 60 * 1000;
/** The seed data is made at START; the screenshots are taken three days later, so some tokens have aged. */
const NOW = START + 3 * DAY;

/**
 * `npm run screenshots`: every console screen at desktop and narrow widths into docs/screenshots/, over
 * realistic data. Skipped in `npm test` (it writes files).
 */
describe.runIf(process.env.TESSERA_SCREENSHOTS === '1')('console screenshots', () => {
  let t: TestServer;
  let browser: Browser;
  let selectedId = '';

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestServer('sqlite'), launchBrowser()]);
    mkdirSync(OUT, { recursive: true });
    const admin = { token: t.adminToken };
    const finance = (await t.api('POST', '/api/departments', { ...admin, body: { name: 'Finance' } })).body;
    const sales = (await t.api('POST', '/api/departments', { ...admin, body: { name: 'Sales' } })).body;
    const analyst = (await t.api('POST', '/api/user-types', { ...admin, body: { name: 'Analyst' } })).body;
    await t.api('POST', '/api/user-types', { ...admin, body: { name: 'Service account' } });
    const alice = await createUser(t, {
      username: 'alice',
      fullName: 'Alice Moreau',
      email: 'alice@example.com',
      role: 'member',
      departmentId: sales.id,
      userTypeId: analyst.id,
    });
    const nightly = await createToken(t, {
      name: 'Nightly report trigger',
      description: 'Starts the nightly sales subscription from the scheduler.',
      permissions: ['subscription:execute'],
      expiresInDays: 90,
      departmentId: finance.id,
    });
    const refresh = await createToken(t, {
      name: 'Sales semantic refresh',
      description: 'Refreshes the sales semantic model after the ETL load.',
      permissions: ['semantic-model:refresh', 'subscription:execute'],
      expiresInDays: 60,
      userId: alice.id,
      departmentId: sales.id,
      userTypeId: analyst.id,
      retrievable: true,
    });
    selectedId = refresh.id;
    await createToken(t, { name: 'Quarterly export', permissions: ['reports:read'], expiresInDays: 7 });
    await createToken(t, { name: 'Legacy BI connector', permissions: ['reports:read'], expiresInDays: 1 });
    const old = await createToken(t, { name: 'Old integration', permissions: ['subscription:execute'] });
    await t.api('DELETE', `/api/tokens/${old.id}`, admin);
    for (const token of [nightly, nightly, refresh])
      await t.api('POST', '/api/verify', { body: { token: token.token } });
    // My profile's own tokens, and reports with share links.
    await t.api('POST', '/api/me/tokens', { ...admin, body: { name: 'Deploy pipeline', expiresInDays: 90 } });
    await t.api('POST', '/api/me/refresh-tokens', { ...admin, body: { name: 'Tableau Desktop' } });
    const reportBody = { name: 'Sales dashboard', description: 'Revenue by region and quarter' };
    await t.api('POST', '/api/reports', { ...admin, body: { id: 'team:sales-dashboard', ...reportBody } });
    await t.api('POST', '/api/reports', { ...admin, body: { id: 'finance:cash-flow', name: 'Cash flow' } });
    for (const name of ['Partner portal', 'Board pack'])
      await t.api('POST', '/api/tokens', {
        ...admin,
        body: { type: 'report', reportId: 'team:sales-dashboard', name },
      });
    await t.server.tessera.usage.flush();
    for (const [username, device] of [
      ['alice', 'Alice’s iPhone 15'],
      ['alice', 'Alice’s iPad'],
      ['admin', 'Warehouse scanner 3'],
    ])
      await t.api('POST', '/api/auth/mobile/login', {
        body: {
          username,
          password: username === 'admin' ? ADMIN_PASSWORD : MEMBER_PASSWORD,
          deviceName: device,
        },
      });
    await t.api('POST', '/api/clients', {
      ...admin,
      body: { name: 'Nightly scheduler', permissions: ['subscription:execute', 'reports:read'] },
    });
    t.clock.advance(NOW - START);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function shoot(page: Page, name: string, width: 'desktop' | 'narrow') {
    await page.waitForTimeout(350); // let transitions (modals, drawers, notifications) settle
    await page.screenshot({ path: path.join(OUT, `${name}-${width}.png`) });
  }

  for (const [width, viewport] of [
    ['desktop', DESKTOP],
    ['narrow', NARROW],
  ] as const) {
    it(`takes every screen at ${width} width`, { timeout: 120_000 }, async () => {
      const { context, page } = await openConsole(browser, t, { viewport, now: NOW });
      try {
        await visible(page.getByRole('button', { name: 'Sign in' }));
        await shoot(page, 'sign-in', width);
        await signIn(page, 'admin', ADMIN_PASSWORD);
        await visible(page.getByRole('link', { name: 'Nightly report trigger' }));
        await page.getByRole('checkbox', { name: 'Select Quarterly export' }).check();
        await page.getByRole('checkbox', { name: 'Select Nightly report trigger' }).check();
        await shoot(page, 'tokens', width);
        await page.getByRole('button', { name: /^Revoke selected/ }).click();
        await visible(page.getByRole('dialog', { name: 'Revoke 2 tokens?' }));
        await shoot(page, 'revoke-selected', width);
        await page.getByRole('button', { name: 'Cancel' }).click();

        await page.getByRole('button', { name: 'Create token' }).click();
        const dialog = await visible(page.getByRole('dialog', { name: 'Create token' }));
        await dialog.getByLabel('Name').fill('Finance dashboard refresh');
        await dialog.getByLabel('Description').fill('Used by the finance dashboard to refresh its model.');
        await dialog.getByRole('radio', { name: 'Custom date' }).check();
        await dialog.getByRole('checkbox', { name: 'Refresh semantic data input' }).check();
        await dialog.getByRole('button', { name: 'Expiry date' }).click();
        await shoot(page, 'create-token', width);
        await page.getByRole('button', { name: '28 Jan 2026' }).click();
        await dialog.getByRole('button', { name: 'Generate' }).click();
        await visible(page.getByRole('dialog', { name: 'Token created' }));
        await shoot(page, 'token-created', width);
        await page.getByRole('button', { name: 'Done' }).click();

        await page.goto(`/tokens/${selectedId}`);
        const drawer = await visible(page.getByRole('dialog', { name: 'Sales semantic refresh' }));
        // The trail is a table on wide screens and stacked cards on phones.
        const trail = width === 'narrow' ? 'list' : 'table';
        await visible(drawer.getByRole(trail, { name: 'Changes to this token, newest first' }));
        await shoot(page, 'inspect-token', width);

        await page.goto('/sessions');
        await visible(page.getByRole('link', { name: 'alice' }).first());
        await page.getByRole('checkbox', { name: 'Select alice on Alice’s iPad' }).check();
        await shoot(page, 'mobile-sessions', width);
        await page.getByRole('link', { name: 'alice' }).first().click();
        await visible(page.getByText('Expiry date'));
        await shoot(page, 'inspect-session', width);
        await page.goto('/settings');
        await visible(page.getByRole('heading', { name: 'Cloud publishing' }));
        await page.getByRole('textbox', { name: 'Default token lifespan (days)' }).fill('45');
        await page.getByRole('textbox', { name: 'Cloud URL' }).fill('cloud.example.com');
        await page.getByRole('button', { name: 'Save changes' }).click();
        await visible(page.getByText('Enter an http or https URL', { exact: false }));
        await shoot(page, 'settings', width);
        await page.goto('/clients');
        await visible(page.getByRole('cell', { name: 'Nightly scheduler', exact: true }));
        await shoot(page, 'oauth-clients', width);
        await page.getByRole('button', { name: 'Rotate secret of Nightly scheduler' }).click();
        await page.getByRole('dialog').getByRole('button', { name: 'Rotate secret' }).click();
        await visible(page.getByRole('dialog', { name: 'New client secret' }));
        await shoot(page, 'client-secret', width);
        await page.getByRole('button', { name: 'Done' }).click();

        await page.goto('/users');
        await visible(page.getByRole('button', { name: 'Edit alice' }));
        await shoot(page, 'users', width);
        await page.getByRole('link', { name: 'alice', exact: true }).click();
        await visible(page.getByRole('dialog', { name: 'alice' }).getByText('Signs in with'));
        await shoot(page, 'user-details', width);
        await page.getByRole('button', { name: 'Close user details' }).click();
        await page.getByRole('button', { name: 'Create user' }).click();
        await visible(page.getByRole('dialog', { name: 'Create user' }));
        await shoot(page, 'create-user', width);
        await page.getByRole('button', { name: 'Cancel' }).click();
        await page.goto('/departments');
        await visible(page.getByRole('cell', { name: 'Finance', exact: true }));
        await shoot(page, 'departments', width);

        await page.goto('/audit');
        await visible(page.getByText('token.create', { exact: true }).first());
        await page
          .getByRole('button', { name: /^Show details of token.create/ })
          .first()
          .click();
        await shoot(page, 'audit-log', width);
        await page.goto('/profile');
        await visible(page.getByText('Member since'));
        await shoot(page, 'profile', width);
        await page
          .getByRole('region', { name: 'Password', exact: true })
          .evaluate((section) => section.scrollIntoView({ block: 'center' }));
        await shoot(page, 'profile-password', width);
        await page.getByRole('heading', { name: 'Refresh tokens' }).scrollIntoViewIfNeeded();
        await shoot(page, 'profile-tokens', width);
        await page.goto('/reports');
        await visible(page.getByRole('link', { name: 'Sales dashboard' }));
        await shoot(page, 'reports', width);
        await page.goto('/reports/team%3Asales-dashboard');
        await visible(page.getByRole('listitem', { name: 'Partner portal' }));
        await shoot(page, 'report', width);
        if (width === 'narrow') {
          await page.getByRole('button', { name: 'Open navigation' }).click();
          await visible(page.getByRole('link', { name: 'Audit log' }));
          await shoot(page, 'navigation', width);
        }
      } finally {
        await context.close();
      }
    });
  }
});
