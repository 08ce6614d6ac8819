import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { START, type TestServer } from '../support/harness.ts';

/** Debian's Chromium, installed by .ci/run (never a downloaded browser). */
export const CHROMIUM = '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** For vitest's expect.poll: the page may take a moment to fetch and render. */
export const POLL = { timeout: 10_000, interval: 100 };

export const DESKTOP = { width: 1280, height: 800 };
export const NARROW = { width: 390, height: 844 };

/**
 * A fresh browser context (its own sessionStorage) on the test server, with the clipboard allowed and the
 * page's clock showing the server's manual clock, so that "expires soon" and the date picker agree with it.
 */
export async function openConsole(
  browser: Browser,
  t: TestServer,
  options: { viewport?: { width: number; height: number }; now?: number } = {},
): Promise<{ context: BrowserContext; page: Page; cspViolations: string[] }> {
  const context = await browser.newContext({
    baseURL: t.url,
    viewport: options.viewport ?? DESKTOP,
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url });
  await context.clock.setFixedTime(new Date(options.now ?? START));
  const page = await context.newPage();
  // The console must run under the server's Content-Security-Policy: Chromium reports each violation.
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await page.goto('/');
  return { context, page, cspViolations };
}

export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Username', exact: true }).fill(username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await visible(page.getByRole('heading', { name: 'API tokens' }));
}

/** Waits until the element is on screen (playwright-core has no `expect`; vitest's expect.poll reads values). */
export async function visible(locator: Locator, timeout = 10_000): Promise<Locator> {
  await locator.waitFor({ state: 'visible', timeout });
  return locator;
}

/** Waits until the element is gone or hidden. */
export async function gone(locator: Locator, timeout = 10_000): Promise<void> {
  await locator.waitFor({ state: 'hidden', timeout });
}
