import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/platform/clock.ts';
import { setupBrowser } from '../helpers/browser.ts';
import { orderBody } from '../helpers/fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { axe } from './axe.ts';

const DAY = 86_400_000;
// Real time, moved forward on demand: the server decides whether the ship-by date has passed.
let offset = 0;
const clock: Clock = { now: () => new Date(Date.now() + offset) };

let t: TestApp;
const browser = setupBrowser();
const ADDRESS = { name: 'Test Shop Returns', lines: ['Calle Mayor 1', '28013 Madrid', 'España'] };

beforeAll(async () => {
  t = await startTestApp({ web: true, clock });
  const current = await t.api.get('/api/v1/policy');
  const published = await t.api.put('/api/v1/policy', {
    ...current.body.policy,
    shipWithinDays: 10,
    returnAddress: ADDRESS,
  });
  expect(published.status).toBe(200);
});
afterAll(async () => {
  await t?.close();
});

/** An approved return whose parcel the shop is waiting for. */
async function awaitingParcel(
  customer = { email: `deadline-${Date.now()}@example.com`, name: 'Dana Private' },
) {
  const order = await t.api.post('/api/v1/orders', orderBody({ customer }));
  const ret = await t.api.post('/api/v1/returns', {
    orderId: order.body.id,
    resolution: 'refund',
    lines: [{ orderLineId: order.body.lines[0].id, quantity: 1, reasonCode: 'damaged' }],
  });
  expect(ret.body.status).toBe('needs_review');
  const approved = await t.api.post(`/api/v1/returns/${ret.body.id}/actions/approve`, {});
  expect(approved.body.status).toBe('awaiting_shipment');
  return { id: ret.body.id as string, token: ret.body.trackingToken as string, customer };
}

/** The UTC calendar date `days` after today (by the server's clock). */
const dateIn = (days: number) => new Date(clock.now().getTime() + days * DAY).toISOString().slice(0, 10);

describe('tracking page: ship-by date and return address', () => {
  it('answers them in the API (policy shipWithinDays after approval) without any personal data', async () => {
    offset = 0;
    const r = await awaitingParcel();
    const view = await t.anon.get(`/api/v1/track/${r.token}`);
    expect(view.body.shipBy).toEqual({ date: dateIn(10), passed: false });
    expect(view.body.returnAddress).toEqual(ADDRESS);
    const text = JSON.stringify(view.body);
    expect(text).not.toContain(r.customer.email);
    expect(text).not.toContain('Dana');

    // Once the parcel has left, there is no deadline any more.
    await t.api.post(`/api/v1/returns/${r.id}/actions/ship`, {});
    expect((await t.anon.get(`/api/v1/track/${r.token}`)).body.shipBy).toBeNull();
  });

  for (const [locale, lang, sendBy, title] of [
    ['en-US', 'en', /^Please send it by \w+day, \w+ \d{1,2}, \d{4}\.$/, 'Return address'],
    ['es-ES', 'es', /^Envíalo antes del [^,]+, \d{1,2} de [^ ]+ de \d{4}\.$/, 'Dirección de devolución'],
    ['zh-CN', 'zh-CN', /^请在 \d{4}年\d{1,2}月\d{1,2}日星期. 之前寄出。$/, '退货地址'],
  ] as const) {
    it(`shows them in ${lang}`, async () => {
      offset = 0;
      const r = await awaitingParcel();
      const page = await browser.newPage({ locale, bypassCSP: true });
      await page.goto(`${t.baseUrl}/t/${r.token}`);
      await page.locator('[data-testid="ship-by"][data-passed="false"]').waitFor();
      expect((await page.getByTestId('ship-by').textContent())?.trim()).toMatch(sendBy);
      expect(await page.getByRole('heading', { name: title }).count()).toBe(1);
      // The shop's name, the RMA to write on the parcel, then the policy's lines in order.
      expect(await page.getByTestId('return-address').textContent()).toMatch(
        new RegExp(`^${ADDRESS.name}RMA-\\d+${ADDRESS.lines.join('')}$`),
      );
      await page.waitForLoadState('networkidle').catch(() => {});
      expect(await axe(page)).toEqual([]);
      await browser.screenshot(page, `tracking-deadline-${lang}`);
    });
  }

  it('says so when the date has passed, in the customer’s language', async () => {
    offset = 0;
    const r = await awaitingParcel();
    offset = 11 * DAY;
    try {
      const view = await t.anon.get(`/api/v1/track/${r.token}`);
      expect(view.body.shipBy.passed).toBe(true);
      const page = await browser.newPage({ locale: 'es-ES' });
      await page.goto(`${t.baseUrl}/t/${r.token}`);
      await page.locator('[data-testid="ship-by"][data-passed="true"]').waitFor();
      expect(await page.getByTestId('ship-by').textContent()).toMatch(
        /^La fecha para enviarlo, el .+, ya ha pasado\./,
      );
      await browser.screenshot(page, 'tracking-deadline-passed-es');
      await page.getByTestId('language-switch').selectOption('zh-CN');
      await page.getByText(/寄出期限（.+）已过/).waitFor();
    } finally {
      offset = 0;
    }
  });

  it('on the last day itself the date has not passed yet', async () => {
    offset = 0;
    const r = await awaitingParcel();
    const last = (await t.anon.get(`/api/v1/track/${r.token}`)).body.shipBy.date as string;
    offset = new Date(`${last}T23:59:00.000Z`).getTime() - Date.now();
    try {
      expect((await t.anon.get(`/api/v1/track/${r.token}`)).body.shipBy).toEqual({
        date: last,
        passed: false,
      });
      offset += 2 * 60_000;
      expect((await t.anon.get(`/api/v1/track/${r.token}`)).body.shipBy).toEqual({
        date: last,
        passed: true,
      });
    } finally {
      offset = 0;
    }
  });
});
