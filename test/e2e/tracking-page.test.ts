import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE, setupBrowser } from '../helpers/browser.ts';
import { orderBody } from '../helpers/fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
const browser = setupBrowser();

beforeAll(async () => {
  t = await startTestApp({ web: true });
});
afterAll(async () => {
  await t?.close();
});

/** A return the default policy sends to a person: its refund is above the auto-approval limit. */
async function returnNeedingReview() {
  const order = await t.api.post(
    '/api/v1/orders',
    orderBody({
      discountAmount: 1000,
      lines: [
        {
          externalId: 'L1',
          sku: 'COAT-1',
          title: 'Wool coat',
          category: 'outerwear',
          quantity: 1,
          unitPrice: 24_900,
          discountAmount: 0,
          taxAmount: 1_992,
        },
        {
          externalId: 'L2',
          sku: 'SCARF-1',
          title: 'Scarf',
          category: 'accessories',
          quantity: 2,
          unitPrice: 2_450,
          discountAmount: 0,
          taxAmount: 0,
        },
      ],
    }),
  );
  expect(order.status).toBe(201);
  const ret = await t.api.post('/api/v1/returns', {
    orderId: order.body.id,
    resolution: 'refund',
    lines: [
      { orderLineId: order.body.lines[0].id, quantity: 1, reasonCode: 'wrong_size' },
      { orderLineId: order.body.lines[1].id, quantity: 1, reasonCode: 'changed_mind' },
    ],
  });
  expect(ret.status).toBe(201);
  expect(ret.body.status).toBe('needs_review');
  const view = await t.anon.get(`/api/v1/track/${ret.body.trackingToken}`);
  expect(view.status).toBe(200);
  return { id: ret.body.id as string, token: ret.body.trackingToken as string, view: view.body };
}

const headline = (page: Page) => page.getByTestId('status-headline');

async function expectStatus(page: Page, status: string, text: string) {
  await page.waitForSelector(`[data-testid="tracking-page"][data-status="${status}"]`);
  expect((await headline(page).textContent())?.trim()).toBe(text);
}

describe('tracking page', () => {
  it('shows status and breakdown, follows approval and shipping live, in Spanish after switching, remembered on reload', async () => {
    const r = await returnNeedingReview();
    const page = await browser.newPage({ locale: 'en-US' });
    await page.goto(`${t.baseUrl}/t/${r.token}`);

    await expectStatus(page, 'needs_review', 'A member of our team is checking your return');
    expect(await page.getByTestId('rma').textContent()).toContain(r.view.rmaNumber);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    // Every line of the server's breakdown, and the total to the cent, formatted from minor units.
    const rows = page.locator('[data-testid="refund-breakdown"] tbody tr');
    expect(await rows.count()).toBe(r.view.refund.breakdown.length);
    expect(r.view.refund.breakdown.length).toBeGreaterThanOrEqual(3);
    const total = new Intl.NumberFormat('en', { style: 'currency', currency: 'USD' }).format(
      r.view.refund.total / 100,
    );
    expect(await page.getByTestId('refund-total').textContent()).toBe(total);
    expect(await rows.first().textContent()).toContain('Items');

    // The timeline: the current step is announced, the rest of the road is listed.
    const current = page.locator('[data-testid="timeline"] li[aria-current="step"]');
    expect(await current.count()).toBe(1);
    expect(await current.getAttribute('data-status')).toBe('needs_review');
    expect(await page.locator('[data-testid="timeline"] li[data-state="upcoming"]').count()).toBe(
      r.view.upcoming.length,
    );
    await page.waitForSelector('[data-testid="live-indicator"][data-state="live"]');
    await browser.screenshot(page, 'tracking-needs-review-en');

    // Switch to Spanish: everything we wrote changes, <html lang> with it.
    await page.getByTestId('language-switch').selectOption('es');
    await expectStatus(page, 'needs_review', 'Una persona de nuestro equipo está revisando tu devolución');
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    expect(await page.getByRole('heading', { name: 'Lo que recibirás' }).count()).toBe(1);

    // A marker on the window survives only if the page never reloads.
    await page.evaluate(() => {
      (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
    });
    const approved = await t.api.post(`/api/v1/returns/${r.id}/actions/approve`, { note: 'Looks fine.' });
    expect(approved.body.status).toBe('awaiting_shipment');
    await expectStatus(page, 'awaiting_shipment', 'Envíanos los artículos');
    expect(await page.getByTestId('return-instructions').isVisible()).toBe(true);
    await page.waitForSelector('[data-testid="inbox-item"]');
    expect(await page.getByTestId('inbox-unread').isVisible()).toBe(true);
    await browser.screenshot(page, 'tracking-awaiting-shipment-es');

    const shipped = await t.api.post(`/api/v1/returns/${r.id}/actions/ship`, {
      carrier: 'UPS',
      trackingNumber: '1Z999',
    });
    expect(shipped.body.status).toBe('in_transit');
    await expectStatus(page, 'in_transit', 'Tu paquete está de camino hacia nosotros');
    expect(await page.getByTestId('return-instructions').count()).toBe(0);
    expect(
      await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBe(true);

    // Reading the messages clears the badge.
    await page.getByRole('button', { name: 'Marcar todo como leído' }).click();
    await page.waitForSelector('[data-testid="inbox-unread"]', { state: 'detached' });

    // The choice is remembered: a reload (an English browser) comes back in Spanish.
    await page.reload();
    await expectStatus(page, 'in_transit', 'Tu paquete está de camino hacia nosotros');
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    expect(await page.getByTestId('language-switch').inputValue()).toBe('es');
    expect(browser.pageErrors).toEqual([]);
  });

  it('saves notification preferences and refuses a phone number that is not E.164', async () => {
    const r = await returnNeedingReview();
    const page = await browser.newPage({ locale: 'en-GB' });
    await page.goto(`${t.baseUrl}/t/${r.token}`);
    await page.waitForSelector('[data-testid="preferences-form"]');
    const form = page.getByTestId('preferences-form');
    await form.getByLabel('Text message (SMS)').check({ force: true });
    await form.getByLabel('Mobile number').fill('600 111 222');
    await form.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Enter the number in international form').waitFor();

    await form.getByLabel('Mobile number').fill('+34 600 111 222');
    await form.getByLabel('Language of our messages').selectOption('es');
    await form.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Your preferences are saved.').waitFor();
    const prefs = await t.anon.get(`/api/v1/track/${r.token}/preferences`);
    expect(prefs.body).toMatchObject({
      phone: '+34600111222',
      locale: 'es',
      channels: { sms: { enabled: true } },
    });
  });

  it('fits a 360 px wide phone without sideways scrolling, in Chinese from the browser language', async () => {
    const r = await returnNeedingReview();
    await t.api.post(`/api/v1/returns/${r.id}/actions/approve`, {});
    const page = await browser.newPage({ ...PHONE, locale: 'zh-CN' });
    await page.goto(`${t.baseUrl}/t/${r.token}`);
    await expectStatus(page, 'awaiting_shipment', '请将商品寄回给我们');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    // A phone browser widens its layout viewport to fit content that overflows, so compare
    // with the device width itself rather than innerWidth.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await browser.screenshot(page, 'tracking-phone-zh-CN');
    await browser.screenshot(page, 'tracking-phone-zh-CN-first-screen', { fullPage: false });
  });

  it('answers an unknown token with a friendly not-found page in the chosen language', async () => {
    const page = await browser.newPage({ locale: 'es-ES' });
    await page.goto(`${t.baseUrl}/t/${'x'.repeat(43)}`);
    await page.waitForSelector('[data-testid="tracking-not-found"]');
    expect((await page.locator('h1').textContent())?.trim()).toBe('No encontramos esta devolución');
    await browser.screenshot(page, 'tracking-not-found-es');

    // A malformed token, and a link pasted into the form that is not one.
    await page.goto(`${t.baseUrl}/t/nope`);
    await page.waitForSelector('[data-testid="tracking-not-found"]');
    await page.getByLabel('Enlace o código de seguimiento').fill('https://example.com/orders/1');
    await page.getByRole('button', { name: 'Seguir' }).click();
    await page.getByText('Eso no parece un enlace de seguimiento').waitFor();
  });
});
