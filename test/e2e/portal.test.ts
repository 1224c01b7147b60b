import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE, setupBrowser } from '../helpers/browser.ts';
import { WAIT_MS } from '../helpers/budget.ts';
import { orderBody } from '../helpers/fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { axe } from './axe.ts';

// The lookup allows 10 attempts a minute per IP: this file makes fewer than that in all.
let t: TestApp;
const browser = setupBrowser();
let photoPath = '';

beforeAll(async () => {
  t = await startTestApp({ web: true });
  // A real 1×1 PNG: the server checks the magic bytes, not only the content type.
  photoPath = join(mkdtempSync(join(tmpdir(), 'portal-photo-')), 'scratch.png');
  writeFileSync(
    photoPath,
    Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    ),
  );
});
afterAll(async () => {
  await t?.close();
});

type Order = { orderNumber: string; email: string };

async function createOrder(overrides: Record<string, unknown> = {}): Promise<Order> {
  const body = orderBody(overrides);
  const res = await t.api.post('/api/v1/orders', body);
  expect(res.status).toBe(201);
  return { orderNumber: body.orderNumber, email: body.customer.email };
}

const step = (page: Page, name: string) =>
  page.waitForSelector(`[data-testid="portal"][data-step="${name}"]`);
const next = (page: Page) => page.getByTestId('next').click();
const line = (page: Page, title: string) => page.getByTestId('order-line').filter({ hasText: title });
const reasonLine = (page: Page, title: string) => page.getByTestId('reason-line').filter({ hasText: title });

async function lookUp(
  page: Page,
  order: Order,
  labels = { number: 'Order number', email: 'Email address', submit: 'Find my order' },
) {
  await page.goto(`${t.baseUrl}/s/${t.tenant.handle}/returns`);
  await step(page, 'lookup');
  await page.getByLabel(labels.number).fill(order.orderNumber);
  await page.getByLabel(labels.email).fill(order.email);
  await page.getByRole('button', { name: labels.submit }).click();
}

describe('return portal', () => {
  it('files a two-item return in Spanish with a photo, shows the breakdown first, then opens tracking', async () => {
    const order = await createOrder();
    const page = await browser.newPage({ locale: 'es-ES' });
    await lookUp(page, order, {
      number: 'Número de pedido',
      email: 'Correo electrónico',
      submit: 'Buscar mi pedido',
    });
    await step(page, 'items');
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    await page.getByLabel('T-shirt').check();
    await page.getByLabel('Jacket').check();
    await page.getByLabel('Cuántos devolver').fill('2');
    await next(page);

    await step(page, 'reasons');
    await reasonLine(page, 'T-shirt').getByLabel('Motivo').selectOption('damaged');
    await reasonLine(page, 'T-shirt').locator('input[type="file"]').setInputFiles(photoPath);
    await page.waitForSelector('[data-testid="photo"][data-status="done"]');
    expect(await reasonLine(page, 'T-shirt').getByRole('img', { name: 'Foto 1 de T-shirt' }).count()).toBe(1);
    await reasonLine(page, 'Jacket').getByLabel('Motivo').selectOption('wrong_size');
    await next(page);

    await step(page, 'resolution');
    await page.getByLabel('Reembolso').check();
    await next(page);

    await step(page, 'review');
    await page.getByTestId('quote-breakdown').waitFor();
    expect(await page.getByTestId('decision').getAttribute('data-outcome')).toMatch(/approved|needs_review/);
    // The same quote from the API, in this customer's session: the page shows its total to the cent.
    const quote = await page.evaluate(async () => {
      const lines = [...document.querySelectorAll('[data-testid="review-line"]')].length;
      const order = await (await fetch('/api/v1/portal/order')).json();
      const res = await fetch('/api/v1/portal/quote', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          resolution: 'refund',
          lines: [
            { orderLineId: order.order.lines[0].id, quantity: 2, reasonCode: 'damaged' },
            { orderLineId: order.order.lines[1].id, quantity: 1, reasonCode: 'wrong_size' },
          ],
        }),
      });
      return { lines, body: await res.json() };
    });
    expect(quote.lines).toBe(2);
    const total = new Intl.NumberFormat('es', { style: 'currency', currency: 'USD' }).format(
      quote.body.refundQuote.payout.amount / 100,
    );
    expect(await page.getByTestId('quote-total').textContent()).toBe(total);
    expect(
      await page
        .locator(
          '[data-testid="quote-breakdown"] [data-row="fee-return_shipping"], [data-testid="quote-breakdown"] [data-row="items"]',
        )
        .count(),
    ).toBeGreaterThan(0);
    await browser.screenshot(page, 'portal-review-es');

    await page.getByRole('button', { name: 'Confirmar la devolución' }).click();
    await page.waitForURL('**/t/**');
    await page.getByTestId('tracking-page').waitFor();
    expect(await page.getByTestId('rma').textContent()).toMatch(/RMA-\d+/);
    expect(await page.getByRole('heading', { name: 'Artículos de esta devolución' }).count()).toBe(1);
    await browser.screenshot(page, 'portal-tracking-es');
    expect(browser.pageErrors).toEqual([]);
  });

  it('answers a wrong email with the generic not-found message, and checks the fields first', async () => {
    const order = await createOrder();
    const page = await browser.newPage();
    await page.goto(`${t.baseUrl}/s/${t.tenant.handle}/returns`);
    await step(page, 'lookup');
    await page.getByRole('button', { name: 'Find my order' }).click();
    await page.getByText('Enter your order number.').waitFor();
    await page.getByLabel('Order number').fill(order.orderNumber);
    await page.getByLabel('Email address').fill('not-an-email');
    await page.getByRole('button', { name: 'Find my order' }).click();
    await page.getByText('Enter an email address like name@example.com.').waitFor();

    await page.getByLabel('Email address').fill('someone-else@example.com');
    await page.getByRole('button', { name: 'Find my order' }).click();
    await page.getByTestId('lookup-error').waitFor();
    expect(await page.getByTestId('lookup-error').textContent()).toBe(
      'We could not find an order with that number and email address. Check both and try again.',
    );
    await browser.screenshot(page, 'portal-lookup-not-found-en');

    // Too many attempts (10 a minute per IP) gets its own message; simulated, to keep the budget.
    await page.route('**/api/v1/portal/lookup?*', (route) =>
      route.fulfill({
        status: 429,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'rate_limited', message: 'Too many requests' } }),
      }),
    );
    await page.getByRole('button', { name: 'Find my order' }).click();
    await page.getByText('Too many attempts. Please wait a minute, then try again.').waitFor();
  });

  it('shows the reasons of a refused quote next to the items, also back on the items step', async () => {
    const order = await createOrder();
    const page = await browser.newPage();
    await lookUp(page, order);
    await step(page, 'items');
    await page.getByLabel('Jacket').check();
    const lineId = await line(page, 'Jacket').getAttribute('data-line-id');
    await next(page);
    await reasonLine(page, 'Jacket').getByLabel('Reason').selectOption('changed_mind');
    await next(page);
    await page.getByLabel('Refund').check();
    // Another return took the units meanwhile: the server answers 422 with a reason per line.
    await page.route('**/api/v1/portal/quote?*', (route) =>
      route.fulfill({
        status: 422,
        contentType: 'application/json',
        body: JSON.stringify({
          error: {
            code: 'return_not_eligible',
            message: 'Some items cannot be returned.',
            details: {
              lines: [
                {
                  orderLineId: lineId,
                  code: 'quantity_exceeds_remaining',
                  reason: 'Those units are already in another return.',
                },
              ],
            },
          },
        }),
      }),
    );
    await next(page);
    await page.getByTestId('quote-problems').waitFor();
    // Known codes are said in the reader's language rather than the server's English.
    expect(await page.getByTestId('review-line').getByTestId('line-problem').textContent()).toBe(
      'All of these are already in another return.',
    );
    expect(await page.getByRole('button', { name: 'Confirm return' }).count()).toBe(0);
    await browser.screenshot(page, 'portal-review-refused-en');
    await page.getByRole('button', { name: 'Change items' }).click();
    await step(page, 'items');
    expect(await line(page, 'Jacket').getByTestId('line-problem').textContent()).toContain('another return');
  });

  it('shows a line that cannot be returned greyed with its reason, and does not let it be chosen', async () => {
    const order = await createOrder({
      lines: [
        {
          externalId: 'L1',
          sku: 'BRF-1',
          title: 'Briefs',
          category: 'underwear',
          quantity: 1,
          unitPrice: 1500,
          discountAmount: 0,
          taxAmount: 0,
        },
        {
          externalId: 'L2',
          sku: 'TEE-9',
          title: 'Tee',
          category: 'tops',
          quantity: 1,
          unitPrice: 2000,
          discountAmount: 0,
          taxAmount: 0,
        },
      ],
    });
    const page = await browser.newPage();
    await lookUp(page, order);
    await step(page, 'items');
    const briefs = line(page, 'Briefs');
    expect(await briefs.getAttribute('data-eligible')).toBe('false');
    expect(await briefs.getByTestId('ineligible-reason').textContent()).toContain('cannot be returned');
    expect(await briefs.getByRole('checkbox').isDisabled()).toBe(true);
    expect(await line(page, 'Tee').getByRole('checkbox').isDisabled()).toBe(false);
    // Nothing chosen: Continue says so instead of moving on.
    await next(page);
    await page.getByText('Choose at least one item to return.').waitFor();
    await browser.screenshot(page, 'portal-items-ineligible-en');

    // An order with nothing returnable says why and how to reach the shop.
    const none = await createOrder({
      lines: [
        {
          externalId: 'L1',
          sku: 'SWM-1',
          title: 'Swimsuit',
          category: 'swimwear',
          quantity: 1,
          unitPrice: 3000,
          discountAmount: 0,
          taxAmount: 0,
        },
      ],
    });
    await page.getByRole('button', { name: 'Look up another order' }).click();
    await step(page, 'lookup');
    await page.getByLabel('Order number').fill(none.orderNumber);
    await page.getByLabel('Email address').fill(none.email);
    await page.getByRole('button', { name: 'Find my order' }).click();
    await page.getByTestId('no-eligible').waitFor();
    expect(await page.getByTestId('next').count()).toBe(0);
  });

  it('keeps the chosen items, reasons and resolution when going back from the review, on a phone', async () => {
    const order = await createOrder();
    const page = await browser.newPage({ ...PHONE });
    await lookUp(page, order);
    await step(page, 'items');
    await page.getByLabel('Jacket').check();
    await next(page);
    await step(page, 'reasons');
    await reasonLine(page, 'Jacket').getByLabel('Reason').selectOption('wrong_size');
    await reasonLine(page, 'Jacket').getByLabel('Anything else we should know? (optional)').fill('Too tight');
    await next(page);
    await step(page, 'resolution');
    await page.getByLabel('Store credit').check();
    expect(await page.getByText('+10% as store credit').count()).toBe(1);
    await next(page);
    await step(page, 'review');
    await page.getByTestId('quote-breakdown').waitFor();
    expect(await page.locator('[data-testid="quote-breakdown"] [data-row="bonus"]').count()).toBe(1);
    // The total is what the rows add up to, the bonus included.
    const rowsSum = await page
      .locator('[data-testid="quote-breakdown"] tbody tr')
      .evaluateAll((rows) => rows.reduce((s, r) => s + Number(r.getAttribute('data-amount')), 0));
    expect(Number(await page.getByTestId('quote-total').getAttribute('data-amount'))).toBe(rowsSum);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await browser.screenshot(page, 'portal-phone-review-en');

    await page.getByRole('button', { name: 'Back' }).click();
    await step(page, 'resolution');
    expect(await page.getByLabel('Store credit').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Back' }).click();
    await step(page, 'reasons');
    expect(await reasonLine(page, 'Jacket').getByLabel('Reason').inputValue()).toBe('wrong_size');
    expect(
      await reasonLine(page, 'Jacket').getByLabel('Anything else we should know? (optional)').inputValue(),
    ).toBe('Too tight');
    await page.getByRole('button', { name: 'Back' }).click();
    await step(page, 'items');
    expect(await page.getByLabel('Jacket').isChecked()).toBe(true);
    expect(await page.getByLabel('T-shirt').isChecked()).toBe(false);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await browser.screenshot(page, 'portal-phone-items-en');

    // And forward again to the same review.
    await next(page);
    await next(page);
    await next(page);
    await step(page, 'review');
    expect(await page.getByTestId('review-line').count()).toBe(1);
    expect(await page.getByTestId('review-line').textContent()).toContain('Jacket');
  });

  it('passes axe (WCAG 2 AA) on every step, with an exchange', async () => {
    const order = await createOrder();
    const page = await browser.newPage({ bypassCSP: true });
    const audit = async (name: string) => {
      await page.waitForLoadState('networkidle').catch(() => {});
      await browser.screenshot(page, `portal-${name}`);
      expect({ name, violations: await axe(page) }).toEqual({ name, violations: [] });
    };
    await page.goto(`${t.baseUrl}/s/${t.tenant.handle}/returns`);
    await step(page, 'lookup');
    await audit('1-lookup');
    await page.getByLabel('Order number').fill(order.orderNumber);
    await page.getByLabel('Email address').fill(order.email);
    await page.getByRole('button', { name: 'Find my order' }).click();
    await step(page, 'items');
    await page.getByLabel('T-shirt').check();
    await audit('2-items');
    await next(page);
    await step(page, 'reasons');
    await reasonLine(page, 'T-shirt').getByLabel('Reason').selectOption('defective');
    await reasonLine(page, 'T-shirt').locator('input[type="file"]').setInputFiles(photoPath);
    await page.waitForSelector('[data-testid="photo"][data-status="done"]');
    await audit('3-reasons');
    await next(page);
    await step(page, 'resolution');
    await page.getByLabel('Exchange').check();
    await next(page);
    await page.getByText('Tell us which size or colour you would like.').waitFor();
    await page.getByLabel('New size or colour for T-shirt').fill('Size M, blue');
    await audit('4-resolution');
    await next(page);
    await step(page, 'review');
    await page.getByTestId('quote-breakdown').waitFor();
    expect(await page.locator('[data-testid="quote-breakdown"] [data-row="new_items"]').count()).toBe(1);
    await audit('5-review');
    expect(browser.pageErrors).toEqual([]);
  });

  it("lives at the shop's own address, names the shop, and sends a customer without one there", async () => {
    const order = await createOrder();
    const page = await browser.newPage({ bypassCSP: true });
    await lookUp(page, order);
    await step(page, 'items');
    await expect.poll(() => page.getByTestId('brand').textContent(), { timeout: WAIT_MS }).toBe('Test Shop');

    // The same browser at another shop's portal: this shop's session does not carry over.
    const other = await t.otherTenant();
    await page.goto(`${t.baseUrl}/s/${other.tenant.handle}/returns`);
    await step(page, 'lookup');
    // The shop's name arrives with its own request, after the form shows.
    await expect
      .poll(() => page.getByTestId('brand').textContent(), { timeout: WAIT_MS })
      .toBe(other.tenant.name);

    // No shop in the address: where to find it, then by name to the portal.
    await page.goto(`${t.baseUrl}/returns`);
    await page.getByTestId('find-shop').waitFor();
    expect({ violations: await axe(page) }).toEqual({ violations: [] });
    await page.getByLabel("The shop's returns link or name").fill('Test Shop');
    await page.getByRole('button', { name: 'Go to the returns page' }).click();
    await page.waitForURL(`${t.baseUrl}/s/${t.tenant.handle}/returns`);
    // Back at this shop's portal (where the session opened earlier may carry on).
    await page.getByTestId('portal').waitFor();
    await expect.poll(() => page.getByTestId('brand').textContent()).toBe('Test Shop');

    await page.goto(`${t.baseUrl}/s/no-such-shop/returns`);
    await page.getByRole('heading', { name: 'No shop at this address' }).waitFor();
    await page.getByRole('link', { name: 'Find your shop' }).click();
    await page.getByTestId('find-shop').waitFor();
    await browser.screenshot(page, 'portal-find-shop');
    // The unknown shop's 404, which the browser logs; nothing else went wrong.
    expect(browser.pageErrors).toEqual([
      'console: Failed to load resource: the server responded with a status of 404 (Not Found)',
    ]);
  });
});
