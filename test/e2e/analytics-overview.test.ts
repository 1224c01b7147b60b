import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHistoryImport } from '../../src/modules/analytics/import.ts';
import { plantedHistory } from '../analytics-detection.fixtures.ts';
import { PHONE, type StaffLogin, setupBrowser, signInAt } from '../helpers/browser.ts';
import { type apiClient, startTestApp, type TestApp } from '../helpers/test-app.ts';
import { axe } from './axe.ts';

/**
 * Issue 12, item 17: the overview's rates on one basis (order day), Top SKUs ranked by a shrunk
 * rate with intervals and an empty state that says why, axis labels on one line, and the alerts
 * as of a past day with whole badges and rows that open their evidence.
 */
let t: TestApp;
const browser = setupBrowser();
const DAY = 86_400_000;
const day = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);
const pct = (x: number | null) =>
  x === null
    ? '—'
    : new Intl.NumberFormat('en', {
        style: 'percent',
        minimumFractionDigits: 1,
        maximumFractionDigits: 1,
      }).format(x);
type Tenant = { login: StaffLogin; api: ReturnType<typeof apiClient> };
let demo: Tenant;
let ranked: Tenant;
let alerts: Tenant;

/** Like the demo: ten orders of the two weeks before this one, each partly returned now. */
async function demoLike(tenantId: string) {
  const reasons = ['changed_mind', 'wrong_size', 'not_as_described'];
  for (let i = 0; i < 10; i++) {
    const placed = new Date(Date.now() - (7 + i) * DAY);
    const { order } = await t.services.orders.upsertOrder(tenantId, {
      externalId: `demo-${i}`,
      orderNumber: `#D${i}`,
      currency: 'USD',
      placedAt: placed.toISOString(),
      deliveredAt: new Date(placed.getTime() + 2 * DAY).toISOString(),
      customer: { email: `c${i}@example.com`, name: `C ${i}` },
      shippingAmount: 0,
      discountAmount: 0,
      taxAmount: 0,
      lines: [
        {
          externalId: 'L1',
          sku: `TEE-${i % 3}`,
          title: 'Tee',
          category: i % 2 ? 'tops' : 'shoes',
          unitPrice: 2000,
          quantity: 2,
          discountAmount: 0,
          taxAmount: 0,
        },
        // Socks in every other order: no SKU of the demo sells 10 units.
        ...(i % 2
          ? []
          : [
              {
                externalId: 'L2',
                sku: 'SOCK',
                title: 'Socks',
                category: 'accessories',
                unitPrice: 500,
                quantity: 1,
                discountAmount: 0,
                taxAmount: 0,
              },
            ]),
      ],
    });
    await t.services.returns.requestReturn(
      tenantId,
      {
        orderId: order.id,
        resolution: 'refund',
        lines: (i % 3 === 0 ? order.lines : order.lines.slice(0, 1)).map((l) => ({
          orderLineId: l.id,
          quantity: l.quantity,
          reasonCode: reasons[i % 3]!,
        })),
      },
      { type: 'customer', id: order.customer.id },
    );
  }
}

/** TINY: 6 of 11 back; BIG: 120 of 400; ten more SKUs of the category 5 of 100 each. */
function rankingHistory() {
  const placedAt = `${day(-20)}T09:00:00Z`;
  const order = (id: string, sku: string, quantity: number) => ({
    orderExternalId: id,
    orderNumber: `#${id}`,
    placedAt,
    deliveredAt: null,
    currency: 'USD',
    customerEmail: 'jo@example.com',
    lineExternalId: '1',
    sku,
    title: sku,
    category: 'shoes',
    quantity,
    unitPrice: 1000,
  });
  const ret = (id: string, orderId: string, quantity: number) => ({
    returnExternalId: id,
    orderExternalId: orderId,
    lineExternalId: '1',
    quantity,
    reasonCode: 'wrong_size',
    note: null,
    requestedAt: `${day(-10)}T00:00:00Z`,
    resolvedAt: `${day(-8)}T00:00:00Z`,
    status: 'refunded',
    refundedAmount: 1000 * quantity,
  });
  return {
    orders: [
      order('T', 'TINY', 11),
      order('B', 'BIG', 400),
      ...Array.from({ length: 10 }, (_, i) => order(`S${i}`, `SKU-${i}`, 100)),
    ],
    returns: [
      ret('RT', 'T', 6),
      ret('RB', 'B', 120),
      ...Array.from({ length: 10 }, (_, i) => ret(`RS${i}`, `S${i}`, 5)),
    ],
  };
}

beforeAll(async () => {
  t = await startTestApp({ web: true });
  demo = { login: { email: t.tenant.adminEmail, password: t.tenant.adminPassword }, api: t.api };
  await demoLike(t.tenant.tenantId);

  const second = await t.otherTenant();
  ranked = {
    login: { email: second.tenant.adminEmail, password: second.tenant.adminPassword },
    api: second.api,
  };
  const imported = await second.api.post('/api/v1/analytics/import', rankingHistory());
  expect(imported.status, JSON.stringify(imported.body)).toBe(200);

  const third = await t.otherTenant();
  alerts = {
    login: { email: third.tenant.adminEmail, password: third.tenant.adminPassword },
    api: third.api,
  };
  const history = createHistoryImport({ db: t.handle.db, clock: t.clock });
  await history.importHistory(
    third.tenant.tenantId,
    plantedHistory({ seed: 3, start: day(-149), days: 150, onsetDay: 110 }),
  );
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const signIn = (page: Page, who: StaffLogin, path = '/admin/analytics') =>
  signInAt(page, t.baseUrl, path, who, 'analytics');

/** The y-axis ticks of a bar chart: their text and how many lines each was drawn on. */
const ticks = (page: Page, panel: string) =>
  page
    .getByTestId(panel)
    .locator('[class*="recharts-yAxis"] text.recharts-cartesian-axis-tick-value')
    .evaluateAll((ts) =>
      ts.map((el) => {
        const r = el.getBoundingClientRect();
        return {
          text: el.textContent ?? '',
          lines: el.querySelectorAll('tspan').length,
          top: r.top,
          bottom: r.bottom,
        };
      }),
    );

describe('analytics overview', () => {
  it('draws the trend by order week, so it matches the headline, and says so', async () => {
    const [weeks, byCategory] = await Promise.all([
      demo.api.get(`/api/v1/analytics/return-rate?groupBy=week&basis=order&from=${day(-89)}&to=${day(0)}`),
      demo.api.get(
        `/api/v1/analytics/return-rate?groupBy=category&basis=order&from=${day(-89)}&to=${day(0)}`,
      ),
    ]);
    type Rate = { key: string; unitsSold: number; unitsReturned: number; returnRate: number | null };
    const w = weeks.body.data as Rate[];
    expect(w.some((r) => (r.returnRate ?? 0) > 0)).toBe(true);

    for (const [name, opts] of [
      ['desktop', {}],
      ['phone', PHONE],
    ] as const) {
      const page = await browser.newPage({ bypassCSP: true, ...opts });
      await signIn(page, demo.login);
      const trend = page.getByTestId('panel-trend');
      await trend.getByText('By order week: returns counted against the week the order was placed').waitFor();
      // The trend's rows are the order weeks of the API, with their rates (not 0 %).
      await trend.getByText('Trend as a table').click();
      const table = page.getByTestId('trend-table');
      await expect.poll(() => table.locator('tr[data-key]').count()).toBe(w.length);
      for (const r of w)
        expect(await table.locator(`tr[data-key="${r.key}"]`).getByTestId('rate').textContent()).toBe(
          pct(r.returnRate),
        );
      // The headline is the same units: returned of sold, on the same basis.
      const sold = (byCategory.body.data as Rate[]).reduce((a, r) => a + r.unitsSold, 0);
      const back = (byCategory.body.data as Rate[]).reduce((a, r) => a + r.unitsReturned, 0);
      expect(w.reduce((a, r) => a + r.unitsReturned, 0)).toBe(back);
      expect(await page.getByTestId('kpi-return-rate').getByTestId('kpi-value').textContent()).toBe(
        pct(back / sold),
      );
      expect(await page.getByTestId('kpi-return-rate').textContent()).toContain(
        `${back} of ${sold} units ordered in the period`,
      );

      // Top SKUs: none sold 10 units, and the panel says so with the threshold.
      const most = Math.max(
        ...(
          (await demo.api.get(`/api/v1/analytics/return-rate?groupBy=sku&basis=order`)).body.data as Rate[]
        ).map((r) => r.unitsSold),
      );
      expect(most).toBeLessThan(10);
      expect(await page.getByTestId('top-skus-empty').textContent()).toBe(
        `No SKU has sold 10 units in this period yet (the most: ${most}), so none is ranked. Choose a longer period.`,
      );

      // The reasons' axis: each label whole, on one line, apart from its neighbours.
      await expect.poll(async () => (await ticks(page, 'panel-reasons')).length).toBe(3);
      const labels = await ticks(page, 'panel-reasons');
      expect(labels.map((l) => l.text).sort()).toEqual(['changed mind', 'not as described', 'wrong size']);
      for (const l of labels) expect(l.lines, l.text).toBeLessThanOrEqual(1);
      const sorted = [...labels].sort((a, b) => a.top - b.top);
      for (let i = 1; i < sorted.length; i++)
        expect(sorted[i]!.top).toBeGreaterThanOrEqual(sorted[i - 1]!.bottom);

      // A week of the trend opens the returns of the orders placed in it.
      const busiest = w.reduce((a, r) => (r.unitsReturned > a.unitsReturned ? r : a));
      await table.locator(`tr[data-key="${busiest.key}"]`).getByRole('button').click();
      await page.getByTestId('drill-table').waitFor();
      expect(await page.getByTestId('drill-down').textContent()).toContain('Returns of the orders placed');
      await expect.poll(() => page.getByTestId('drill-row').count()).toBeGreaterThan(0);
      await page.getByRole('button', { name: 'Close the list' }).click();

      await browser.screenshot(page, `analytics-overview-basis-${name}`);
      if (name === 'desktop') expect(await axe(page)).toEqual([]);
    }
    expect(browser.pageErrors.filter((e) => !e.includes('status of 401'))).toEqual([]);
  });

  it('ranks Top SKUs by the shrunk rate and shows each rate’s 95 % interval, explained', async () => {
    const api = await ranked.api.get(
      `/api/v1/analytics/return-rate?groupBy=sku&basis=order&rank=shrunk&from=${day(-89)}&to=${day(0)}`,
    );
    const page = await browser.newPage({ bypassCSP: true });
    await signIn(page, ranked.login);
    const table = page.getByTestId('top-skus-table');
    await table.waitFor();
    const keys = await table
      .locator('tr[data-key]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
    expect(keys).toEqual(api.body.data.map((r: { key: string }) => r.key));
    expect(keys.slice(0, 2)).toEqual(['BIG', 'TINY']);
    const tiny = table.locator('tr[data-key="TINY"]');
    expect(await tiny.getByTestId('rate').textContent()).toBe('54.5%');
    expect(await tiny.getByTestId('interval').textContent()).toBe('28.0%–78.7%');
    expect(await page.getByTestId('panel-top-skus').textContent()).toContain(
      'pulls a SKU sold only a few times toward its category',
    );
    await page.getByRole('button', { name: /^Adjusted rate/ }).hover();
    await expect
      .poll(() => page.getByRole('tooltip').textContent())
      .toContain('the SKU’s returns plus 20 units at its category’s rate');
    await browser.screenshot(page, 'analytics-top-skus-ranked');
    expect(await axe(page)).toEqual([]);

    const phone = await browser.newPage({ bypassCSP: true, ...PHONE });
    await signIn(phone, ranked.login);
    await phone.getByTestId('top-skus-table').scrollIntoViewIfNeeded();
    await browser.screenshot(phone, 'analytics-top-skus-ranked-phone', { fullPage: false });
    expect(browser.pageErrors.filter((e) => !e.includes('status of 401'))).toEqual([]);
  });

  it('shows alerts as of a past day with whole status badges, each row opening its evidence', async () => {
    const asOf = day(-20);
    const past = await alerts.api.get(`/api/v1/analytics/alerts?asOf=${asOf}`);
    expect(past.body.data.length).toBeGreaterThan(0);
    const first = past.body.data[0] as { sku: string; kind: string };
    for (const [name, opts] of [
      ['desktop', {}],
      ['phone', PHONE],
    ] as const) {
      const page = await browser.newPage({ bypassCSP: true, ...opts });
      await signIn(page, alerts.login, `/admin/analytics/alerts?asOf=${asOf}`);
      await page.getByTestId('alerts-table').waitFor();
      const rows = page.getByTestId('alert-row');
      await expect.poll(() => rows.count()).toBe(past.body.data.length);
      // Every badge shows its whole word (Mantine cuts a squeezed label with "…").
      const cut = await page.getByTestId('alert-status').evaluateAll((bs) =>
        bs
          .map((b) => b.querySelector('.mantine-Badge-label') ?? b)
          .filter((l) => l.scrollWidth > l.clientWidth + 1)
          .map((l) => l.textContent),
      );
      expect(cut).toEqual([]);
      expect(await rows.getByRole('link').count()).toBe(past.body.data.length);
      await page.getByTestId('alerts-table').scrollIntoViewIfNeeded();
      await browser.screenshot(page, `analytics-alerts-as-of-${name}`, { fullPage: name === 'desktop' });

      await page
        .locator(`[data-testid="alert-row"][data-kind="${first.kind}"]`)
        .first()
        .getByRole('link')
        .click();
      await page.waitForURL((u) => u.pathname === `/admin/analytics/alerts/as-of/${asOf}`);
      await page.getByTestId('alert-page').waitFor();
      expect(await page.getByTestId('alert-page').getAttribute('data-sku')).toBe(first.sku);
      await page.getByTestId('evidence-table').waitFor();
      expect(await page.getByTestId('alert-status').textContent()).toBe('as of that day');
      if (name === 'desktop') expect(await axe(page)).toEqual([]);
      await page.getByRole('link', { name: '← All alerts' }).click();
      await page.waitForURL(`**/admin/analytics/alerts?asOf=${asOf}`);
      await page.getByTestId('alerts-table').waitFor();
    }
    expect(browser.pageErrors.filter((e) => !e.includes('status of 401'))).toEqual([]);
  });
});
