import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { START, startTestServer, type TestServer } from '../support/harness.ts';

/** Debian's Chromium, installed by .ci/run (never a downloaded browser). */
export const CHROMIUM = '/usr/bin/chromium';

/** Starts Debian's Chromium headless. */
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

/** What a console test file shares: one test server, one browser, and the consoles the running test opened. */
export interface ConsoleSuite {
  /** The test server, started before the file's first test. */
  readonly t: TestServer;
  /**
   * Opens a fresh console (see openConsole) in a browser context of its own, so a test can open two (two
   * browsers of one user); after the test each is closed and checked for CSP violations.
   */
  open(options?: Parameters<typeof openConsole>[2]): Promise<Page>;
}

/**
 * Registers a describe block's hooks: start a SQLite test server and the browser (then `setup`), stop them at
 * the end, and after each test screenshot a failure's page to /tmp/e2e-{name}-{test}.png, close the test's
 * console and fail the test on any Content-Security-Policy violation.
 */
export function useConsoleSuite(
  name: string,
  setup: (t: TestServer) => Promise<void> = async () => {},
): ConsoleSuite {
  let t: TestServer;
  let browser: Browser;
  let opened: { context: BrowserContext; page: Page; cspViolations: string[] }[] = [];

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestServer('sqlite'), launchBrowser()]);
    await setup(t);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  afterEach(async (test) => {
    const consoles = opened;
    opened = [];
    for (const [i, { context, page }] of consoles.entries()) {
      if (test.task.result?.state === 'fail')
        await page.screenshot({
          path: `/tmp/e2e-${name}-${test.task.name.slice(0, 30)}${i ? `-${i + 1}` : ''}.png`,
        });
      await context.close();
    }
    expect(
      consoles.flatMap((c) => c.cspViolations),
      'Content-Security-Policy violations',
    ).toEqual([]);
  });

  return {
    get t() {
      return t;
    },
    async open(options) {
      const one = await openConsole(browser, t, options);
      opened.push(one);
      return one.page;
    },
  };
}

/** Signs in on the sign-in screen and waits for the first screen, API tokens. */
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

/**
 * Reads the token shown once in the dialog titled `title` (read-only), copies it with "Copy", checks the
 * clipboard, and closes the dialog with "Done".
 */
export async function copyShownToken(page: Page, title: string): Promise<string> {
  const dialog = await visible(page.getByRole('dialog', { name: title }));
  await visible(dialog.getByText('It cannot be shown again'));
  const field = dialog.getByRole('textbox', { name: 'Token', exact: true });
  expect(await field.getAttribute('readonly')).not.toBeNull();
  const token = await field.inputValue();
  await dialog.getByRole('button', { name: 'Copy' }).click();
  await visible(dialog.getByRole('button', { name: 'Copied' }));
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe(token);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await gone(dialog);
  return token;
}
