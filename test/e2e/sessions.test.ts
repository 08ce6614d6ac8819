import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createUser, MEMBER_PASSWORD } from '../http/fixtures.ts';
import { ADMIN_PASSWORD } from '../support/harness.ts';
import { gone, POLL, signIn, useConsoleSuite, visible } from './browser.ts';

const HOUR = 60 * 60 * 1000;

describe('console: mobile users logged in', () => {
  const suite = useConsoleSuite('sessions', async (t) => {
    const admin = { token: t.adminToken };
    const field = (await t.api('POST', '/api/departments', { ...admin, body: { name: 'Field sales' } })).body;
    const rep = (await t.api('POST', '/api/user-types', { ...admin, body: { name: 'Sales rep' } })).body;
    await createUser(t, {
      username: 'nadia',
      fullName: 'Nadia Okafor',
      email: 'nadia@example.com',
      role: 'member',
      departmentId: field.id,
      userTypeId: rep.id,
    });
    for (const name of ['omar', 'pia', 'quinn'])
      await createUser(t, { username: name, email: `${name}@example.com`, role: 'member' });
  });

  /** Signs a user in from the mobile app; returns the device's session token and id. */
  async function mobileLogin(username: string, deviceName: string) {
    const response = await suite.t.api('POST', '/api/auth/mobile/login', {
      body: { username, password: MEMBER_PASSWORD, deviceName },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as { token: string; sessionId: string };
  }
  /** What the device sees on its next request. */
  const deviceStatus = async (token: string) => (await suite.t.api('GET', '/api/me', { token })).status;

  async function openSessions(): Promise<Page> {
    const page = await suite.open({ now: suite.t.clock.now() });
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByRole('link', { name: 'Mobile users logged in' }).click();
    await visible(page.getByRole('heading', { name: 'Mobile users logged in' }));
    return page;
  }

  it('lists who is signed in to the mobile app with device, user, email, department and user type', async () => {
    await mobileLogin('nadia', 'Nadia’s Pixel 8');
    const page = await openSessions();
    const row = page.getByRole('row').filter({ hasText: 'Nadia’s Pixel 8' });
    await visible(row);
    for (const text of ['nadia', 'nadia@example.com', 'Field sales', 'Sales rep', 'active'])
      await visible(row.getByText(text, { exact: true }));

    await page.getByRole('searchbox', { name: 'Search' }).fill('no such device');
    await visible(page.getByText('No mobile sessions match these filters'));
    await page.getByRole('searchbox', { name: 'Search' }).fill('Pixel');
    await visible(row);
  });

  it('inspects a session with every field of seed 004 and revokes it: the device gets 401 after', async () => {
    const phone = await mobileLogin('omar', 'Omar tablet');
    suite.t.clock.advance(HOUR);
    expect(await deviceStatus(phone.token)).toBe(200);
    const page = await openSessions();
    await page.getByRole('row').filter({ hasText: 'Omar tablet' }).getByText('omar@example.com').click();
    const drawer = await visible(page.getByRole('dialog', { name: 'omar on Omar tablet' }));
    expect(new URL(page.url()).pathname).toBe(`/sessions/${phone.sessionId}`);
    for (const label of [
      'User name',
      'Email',
      'Department',
      'User type',
      'Device',
      'Last active',
      'Expiry date',
    ])
      await visible(drawer.getByText(label, { exact: true }));
    await visible(drawer.getByText('omar@example.com'));

    await drawer.getByRole('button', { name: 'Revoke session' }).click();
    const confirm = await visible(page.getByRole('dialog', { name: 'Revoke this session?' }));
    await confirm.getByRole('button', { name: 'Revoke session' }).click();
    await gone(confirm);
    await visible(drawer.getByText('revoked', { exact: true }));
    expect(await deviceStatus(phone.token)).toBe(401);
  });

  it('revokes the selected sessions after a confirmation naming how many', async () => {
    const piaPhone = await mobileLogin('pia', 'Pia phone');
    const quinnPhone = await mobileLogin('quinn', 'Quinn phone');
    const quinnTablet = await mobileLogin('quinn', 'Quinn tablet');
    const page = await openSessions();
    await page.getByRole('checkbox', { name: 'Select pia on Pia phone' }).check();
    await page.getByRole('checkbox', { name: 'Select quinn on Quinn phone' }).check();
    await page.getByRole('button', { name: 'Revoke selected (2)' }).click();
    const confirm = await visible(page.getByRole('dialog', { name: 'Revoke 2 sessions?' }));
    await visible(confirm.getByText('2 devices will be signed out'));
    await confirm.getByRole('button', { name: 'Revoke 2 sessions' }).click();
    await gone(confirm);
    await visible(page.getByText('Revoked 2 sessions.'));
    // The list shows active sessions: the revoked ones leave it, the third stays.
    await gone(page.getByRole('row').filter({ hasText: 'Pia phone' }));
    await visible(page.getByRole('row').filter({ hasText: 'Quinn tablet' }));

    expect(await deviceStatus(piaPhone.token)).toBe(401);
    expect(await deviceStatus(quinnPhone.token)).toBe(401);
    expect(await deviceStatus(quinnTablet.token)).toBe(200);
    await expect
      .poll(async () => {
        const revoked = await suite.t.api('GET', '/api/sessions?type=mobile&status=revoked', {
          token: suite.t.adminToken,
        });
        return revoked.body.items.map((s: { id: string }) => s.id).sort();
      }, POLL)
      .toEqual(expect.arrayContaining([piaPhone.sessionId, quinnPhone.sessionId]));
  });
});
