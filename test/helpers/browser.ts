import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { WAIT_MS } from './budget.ts';

/** Debian's Chromium (`apt-get install -y chromium`); Playwright never downloads a browser here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-gpu',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots');

/** A phone-sized viewport: the narrowest layout the pages promise to support. */
export const PHONE = { viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true } as const;

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}: run "apt-get update && apt-get install -y chromium" (or set CHROMIUM_PATH)`,
    );
  }
  // A plain launch gives every browser a fresh temporary profile, removed again on close.
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS, timeout: 60_000 });
}

async function withTimeout(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    p.catch(() => {}),
    new Promise((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

/**
 * One browser per test file, a fresh context (cookies, storage) per test, everything closed
 * afterwards even when a test fails. Call at the top level of a test file.
 *
 * @example
 *   const browser = setupBrowser();
 *   it('shows the page', async () => {
 *     const page = await browser.newPage({ locale: 'es-ES' });
 *     await page.goto(`${t.baseUrl}/`);
 *   });
 */
export function setupBrowser() {
  let browser: Browser | null = null;
  const contexts: BrowserContext[] = [];
  /** Uncaught errors and console errors of the pages of the current test. */
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => withTimeout(c.close(), 10_000)));
    pageErrors.length = 0;
  });
  afterAll(async () => {
    if (browser) await withTimeout(browser.close(), 15_000);
    browser = null;
  });

  async function newContext(options: BrowserContextOptions = {}): Promise<BrowserContext> {
    if (!browser)
      throw new Error('setupBrowser(): the browser is not running (call newContext inside a test)');
    const context = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1280, height: 900 },
      ...options,
    });
    context.setDefaultTimeout(WAIT_MS);
    contexts.push(context);
    return context;
  }

  async function newPage(options: BrowserContextOptions = {}): Promise<Page> {
    const page = await (await newContext(options)).newPage();
    page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
      // React Router's warnings are our mistakes too (a missing HydrateFallback, a bad route).
      if (m.type() === 'warning' && /react router|HydrateFallback/i.test(m.text()))
        pageErrors.push(`warning: ${m.text()}`);
    });
    return page;
  }

  /** A full-page PNG under test-results/screenshots/ (not committed), for people to look at. */
  async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const path = join(SCREENSHOT_DIR, `${name}.png`);
    await page.screenshot({ path, fullPage: opts.fullPage ?? true, animations: 'disabled' });
    return path;
  }

  return { newContext, newPage, screenshot, pageErrors };
}

export type StaffLogin = { email: string; password: string };

/** Fills the staff sign-in form the page shows, and submits it. */
export async function fillSignIn(page: Page, who: StaffLogin): Promise<void> {
  await page.getByTestId('login-form').waitFor();
  await page.getByLabel('Email').fill(who.email);
  await page.locator('input[type="password"]').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Signed out, opens a staff page, which sends the browser to the sign-in; signs in there and waits
 * until the browser is back on that page (and, given `ready`, the element with that test id shows).
 */
export async function signInAt(
  page: Page,
  baseUrl: string,
  path: string,
  who: StaffLogin,
  ready?: string,
): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.waitForURL((url) => url.pathname === '/console/login');
  await fillSignIn(page, who);
  await page.waitForURL(`${baseUrl}${path}`);
  if (ready) await page.getByTestId(ready).waitFor();
}
