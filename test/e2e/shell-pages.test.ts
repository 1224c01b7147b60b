import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupBrowser } from '../helpers/browser.ts';
import { orderBody } from '../helpers/fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { axe } from './axe.ts';

let t: TestApp;
const browser = setupBrowser();

beforeAll(async () => {
  t = await startTestApp({ web: true });
});
afterAll(async () => {
  await t?.close();
});

async function trackingToken(): Promise<string> {
  const order = await t.api.post('/api/v1/orders', orderBody());
  const ret = await t.api.post('/api/v1/returns', {
    orderId: order.body.id,
    resolution: 'refund',
    lines: [{ orderLineId: order.body.lines[0].id, quantity: 1, reasonCode: 'wrong_size' }],
  });
  expect(ret.status).toBe(201);
  return ret.body.trackingToken;
}

/** What a screen-reader user relies on, read from the DOM. */
async function structure(page: Page) {
  return page.evaluate(() => {
    const controls = [...document.querySelectorAll('input, select, textarea')].filter(
      (el) => (el as HTMLInputElement).type !== 'hidden',
    );
    const unlabelled = controls
      .filter((el) => {
        const c = el as HTMLInputElement;
        const byLabel = [...(c.labels ?? [])].some((l) => l.textContent?.trim());
        const byAria =
          c.getAttribute('aria-label')?.trim() ||
          (c.getAttribute('aria-labelledby') ?? '')
            .split(/\s+/)
            .some((id) => id && document.getElementById(id)?.textContent?.trim());
        return !byLabel && !byAria;
      })
      .map((el) => el.outerHTML.slice(0, 120));
    return {
      h1: document.querySelectorAll('h1').length,
      main: document.querySelectorAll('main').length,
      header: document.querySelectorAll('header').length,
      footer: document.querySelectorAll('footer').length,
      nav: document.querySelectorAll('nav[aria-label]').length,
      skipLink: document.querySelector('a[href="#main"]') !== null,
      controls: controls.length,
      unlabelled,
      lang: document.documentElement.lang,
      title: document.title,
    };
  });
}

describe('shell pages', () => {
  it('links the landing page to the return portal, tracking and staff sign-in', async () => {
    const page = await browser.newPage();
    await page.goto(`${t.baseUrl}/`);
    await page.getByRole('heading', { level: 1, name: 'Returns made simple' }).waitFor();
    expect(await page.getByRole('link', { name: 'Start a return' }).getAttribute('href')).toBe('/returns');
    expect(await page.getByRole('link', { name: 'Staff sign-in' }).first().getAttribute('href')).toBe(
      '/console',
    );
    await browser.screenshot(page, 'landing-en');

    // Pasting a whole tracking link opens the tracking page.
    const token = await trackingToken();
    await page.getByLabel('Tracking link or code').fill(`${t.baseUrl}/t/${token}`);
    await page.getByRole('button', { name: 'Track' }).click();
    await page.waitForURL(`**/t/${token}`);
    await page.getByTestId('status-headline').waitFor();
    expect(browser.pageErrors).toEqual([]);
  });

  it('shows a translated not-found page for an unknown path, and the API keeps its JSON 404', async () => {
    const page = await browser.newPage({ locale: 'zh-CN' });
    await page.goto(`${t.baseUrl}/no/such/page`);
    await page.getByRole('heading', { level: 1, name: '页面不存在' }).waitFor();
    await browser.screenshot(page, 'not-found-zh-CN');
    const api = await t.anon.get('/api/v1/no-such-thing');
    expect(api.status).toBe(404);
    expect(api.body.error.code).toBe('not_found');
  });

  it('has one h1, landmarks, a skip link and a label on every control, and passes axe (WCAG 2 AA)', async () => {
    const token = await trackingToken();
    const pages = ['/', `/t/${token}`, '/returns', `/t/${'y'.repeat(43)}`, '/nowhere'];
    for (const locale of ['en-US', 'es-ES']) {
      // axe is injected as a script: the page's CSP (script-src 'self') would refuse it.
      const page = await browser.newPage({ locale, bypassCSP: true });
      for (const path of pages) {
        await page.goto(`${t.baseUrl}${path}`);
        await page.locator('h1').first().waitFor();
        // Let data-driven regions (inbox, preferences) finish loading before auditing.
        await page.waitForLoadState('networkidle').catch(() => {});
        const s = await structure(page);
        expect({ path, ...s }).toMatchObject({
          path,
          h1: 1,
          main: 1,
          header: 1,
          footer: 1,
          nav: 1,
          skipLink: true,
          unlabelled: [],
        });
        expect(s.controls).toBeGreaterThan(0);
        // A return's page is titled with its shop; the pages of no shop with the product.
        expect(s.title).toContain(path.startsWith(`/t/${token}`) ? t.tenant.name : 'Returnflow');
        expect({ path, locale, violations: await axe(page) }).toEqual({ path, locale, violations: [] });
      }
    }
  });

  it('moves focus to the skip link first and then to the main region', async () => {
    const page = await browser.newPage();
    await page.goto(`${t.baseUrl}/`);
    await page.locator('h1').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('#main');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    // The next stop is inside <main>, past the header.
    expect(await page.evaluate(() => document.activeElement?.closest('main') !== null)).toBe(true);
  });
});
