import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHistoryImport } from '../../src/modules/analytics/import.ts';
import { generateSyntheticHistory } from '../../src/modules/analytics/synthetic.ts';
import { formatMoneyFor } from '../../src/platform/money.ts';
import { plantedHistory } from '../analytics-detection.fixtures.ts';
import { type StaffLogin, setupBrowser, signInAt } from '../helpers/browser.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { axe } from './axe.ts';

let t: TestApp;
const browser = setupBrowser();
const PASSWORD = 'correct horse battery staple';

/** A calendar day `n` days from today (UTC), as the dashboard and the API count days. */
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const FROM = day(-89);
const TO = day(0);
const pct = (x: number | null) =>
  x === null
    ? '—'
    : new Intl.NumberFormat('en', {
        style: 'percent',
        minimumFractionDigits: 1,
        maximumFractionDigits: 1,
      }).format(x);
const count = (n: number) => new Intl.NumberFormat('en').format(n);
const addDays = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const PLANTED = 'OUT-PLANT';

beforeAll(async () => {
  t = await startTestApp({ web: true });
  // A year of varied history ending today (categories, currencies, reasons, notes), and the
  // compact fixture whose planted defect (a zipper that breaks) began 40 days ago.
  const history = createHistoryImport({ db: t.handle.db, clock: t.clock });
  await history.importHistory(
    t.tenant.tenantId,
    generateSyntheticHistory({ orders: 2000, seed: 7, start: day(-364), days: 365 }),
  );
  await history.importHistory(
    t.tenant.tenantId,
    plantedHistory({ seed: 3, start: day(-149), days: 150, onsetDay: 110 }),
  );
  const run = await t.api.post('/api/v1/analytics/alerts/detect', {});
  expect(run.status, JSON.stringify(run.body)).toBe(200);
  expect(run.body.opened.length).toBeGreaterThan(0);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

/** Signed out, /admin/analytics goes to the staff sign-in, which comes back to it. */
const signIn = (page: Page, who: StaffLogin, path = '/admin/analytics') =>
  signInAt(page, t.baseUrl, path, who, 'analytics');

const admin = () => ({ email: t.tenant.adminEmail, password: t.tenant.adminPassword });

const cell = (page: Page, table: string, key: string, testId: string) =>
  page.getByTestId(table).locator(`tr[data-key="${key}"]`).getByTestId(testId).textContent();

describe('analytics dashboard', () => {
  it('shows the API’s numbers in charts and tables, drills down to returns, downloads CSV, passes axe', async () => {
    const q = `from=${FROM}&to=${TO}`;
    const [byCategory, bySku, reasons, cost] = await Promise.all([
      // The overview counts every rate by order day (returns against the day their order was placed).
      t.api.get(`/api/v1/analytics/return-rate?groupBy=category&basis=order&${q}`),
      t.api.get(`/api/v1/analytics/return-rate?groupBy=sku&basis=order&rank=shrunk&${q}`),
      t.api.get(`/api/v1/analytics/reasons?${q}`),
      t.api.get(`/api/v1/analytics/refund-cost?${q}`),
    ]);
    const page = await browser.newPage({ bypassCSP: true });
    await signIn(page, admin());
    await page.getByRole('heading', { level: 1, name: 'Analytics' }).waitFor();
    await page.getByTestId('by-category-table').waitFor();
    await page.getByTestId('reasons-table').waitFor();
    await page.getByTestId('cost-table').waitFor();

    // Every category's rate, the overall rate, the reasons' units and the money, as the API says.
    type Rate = { key: string; unitsSold: number; unitsReturned: number; returnRate: number | null };
    for (const r of byCategory.body.data as Rate[])
      expect(await cell(page, 'by-category-table', r.key, 'rate')).toBe(pct(r.returnRate));
    const sold = (byCategory.body.data as Rate[]).reduce((a, r) => a + r.unitsSold, 0);
    const back = (byCategory.body.data as Rate[]).reduce((a, r) => a + r.unitsReturned, 0);
    expect(await page.getByTestId('kpi-return-rate').getByTestId('kpi-value').textContent()).toBe(
      pct(back / sold),
    );
    for (const r of reasons.body.data as { reasonCode: string; units: number }[])
      expect(await cell(page, 'reasons-table', r.reasonCode, 'units')).toBe(count(r.units));
    expect(cost.body.data.length).toBeGreaterThan(0);
    for (const r of cost.body.data as { currency: string; refundAmount: number; feesRecovered: number }[]) {
      expect(await cell(page, 'cost-table', r.currency, 'refunded')).toBe(
        formatMoneyFor(r.refundAmount, r.currency, 'en'),
      );
      expect(await cell(page, 'cost-table', r.currency, 'fees')).toBe(
        formatMoneyFor(r.feesRecovered, r.currency, 'en'),
      );
    }
    // Top SKUs: the API's order (by the shrunk rate), SKUs sold at least 10 times, 15 of them.
    const top = (bySku.body.data as Rate[]).filter((r) => r.unitsSold >= 10).slice(0, 15);
    await expect
      .poll(() =>
        page
          .getByTestId('top-skus-table')
          .locator('tr[data-key]')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key'))),
      )
      .toEqual(top.map((r) => r.key));
    // The charts drew: a trend line and bars.
    await expect.poll(() => page.locator('.recharts-surface').count()).toBeGreaterThanOrEqual(4);
    await expect.poll(() => page.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(5);
    await expect.poll(() => page.locator('.recharts-line-curve').count()).toBeGreaterThanOrEqual(1);
    await browser.screenshot(page, 'analytics-overview');
    expect(await axe(page)).toEqual([]);

    // Drill-down from the reason table: the returns behind "defective", 25 a page, by cursor.
    await page.getByRole('button', { name: 'Show the returns for defective' }).click();
    await page.getByTestId('drill-table').waitFor();
    expect(page.url()).toContain('drill=reason%3Adefective');
    const drill = await t.api.get(`/api/v1/analytics/returns?${q}&reason=defective&limit=25`);
    const rows = page.getByTestId('drill-row');
    await expect.poll(() => rows.count()).toBe(drill.body.data.length);
    expect(new Set(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-reason'))))).toEqual(
      new Set(['defective']),
    );
    const firstLink = rows.first().getByRole('link');
    expect(await firstLink.textContent()).toBe(drill.body.data[0].rmaNumber);
    expect(await firstLink.getAttribute('href')).toBe(`/console/returns/${drill.body.data[0].returnId}`);
    expect(drill.body.nextCursor).not.toBeNull();
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => rows.count()).toBeGreaterThan(25);
    await browser.screenshot(page, 'analytics-drill-down', { fullPage: false });

    // A CSV download of a table carries its header row and the page's filters.
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download Top SKUs by return rate as CSV' }).click();
    const file = await download;
    expect(file.url()).toContain(`groupBy=sku&basis=order&rank=shrunk&format=csv`);
    expect(file.url()).toContain(`from=${FROM}`);
    const csv = readFileSync((await file.path())!, 'utf8').replace(/^\uFEFF/, '');
    expect(csv.split(/\r?\n/)[0]).toBe(
      'key,unitsSold,unitsReturned,returnLines,returnRate,category,groupRate,adjustedRate,rateLow,rateHigh',
    );
    expect(csv.split(/\r?\n/).filter(Boolean).length).toBe(bySku.body.data.length + 1);

    // A filter goes to the URL and to every table.
    await page.getByLabel('Category', { exact: true }).selectOption('audio');
    await page.waitForURL(/category=audio/);
    await expect.poll(() => page.getByTestId('by-category-table').locator('tr[data-key]').count()).toBe(1);
    expect(browser.pageErrors.filter((e) => !e.includes('status of 401'))).toEqual([]);
  });

  it('lists the alerts, shows one’s evidence and phrases, answers as of a past day, and runs detection', async () => {
    const stored = await t.api.get('/api/v1/analytics/alerts');
    const page = await browser.newPage({ bypassCSP: true });
    await signIn(page, admin(), '/admin/analytics/alerts');
    await page.getByTestId('alerts-table').waitFor();
    const rows = page.getByTestId('alert-row');
    await expect.poll(() => rows.count()).toBe(stored.body.data.length);
    const alert = (stored.body.data as { id: string; sku: string; kind: string; confidence: number }[]).find(
      (a) => a.kind === 'reason:defective',
    )!;
    expect(alert.sku).toBe(PLANTED);
    const row = page.locator(`[data-testid="alert-row"][data-kind="reason:defective"]`);
    expect(await row.getByTestId('confidence').textContent()).toBe(
      alert.confidence > 0.999 ? '> 99.9%' : pct(alert.confidence),
    );
    await browser.screenshot(page, 'analytics-alerts');
    expect(await axe(page)).toEqual([]);

    // The detail page is the link of alert notifications.
    await row.getByRole('link').click();
    await page.waitForURL(`${t.baseUrl}/admin/analytics/alerts/${alert.id}`);
    await page.getByTestId('evidence-table').waitFor();
    const detail = await t.api.get(`/api/v1/analytics/alerts/${alert.id}`);
    await expect.poll(() => page.getByTestId('evidence-row').count()).toBe(3);
    expect(await page.getByTestId('evidence-returned').nth(1).textContent()).toBe(
      count(detail.body.evidence.window.returned),
    );
    expect(await page.getByTestId('alert-since').textContent()).toBe(detail.body.since);
    const phrases = await page.getByTestId('alert-phrase').allTextContents();
    expect(phrases.join(' ')).toContain('zipper broke');
    await page.getByTestId('alert-themes').waitFor();
    await expect
      .poll(() => page.getByTestId('alert-themes').getByTestId('theme-row').count())
      .toBeGreaterThan(0);
    await expect.poll(() => page.locator('.recharts-bar-rectangle').count()).toBeGreaterThanOrEqual(2);
    // The SKU's weekly trend, with the reason's own line: the same numbers as the API's.
    const trend = await t.api.get(
      `/api/v1/analytics/return-rate?${new URLSearchParams({
        sku: alert.sku,
        reason: 'defective',
        groupBy: 'week',
        from: addDays(detail.body.since, -84),
        to: [new Date().toISOString().slice(0, 10), detail.body.asOf].sort()[1]!,
      })}`,
    );
    const trendTable = page.getByTestId('alert-trend-table');
    await page.getByTestId('alert-trend').getByText('Trend as a table').click();
    await expect.poll(() => trendTable.locator('tbody tr').count()).toBeGreaterThan(1);
    const weeks = await trendTable.locator('tbody tr th').allTextContents();
    const reasonRates = await trendTable.locator('tbody tr td:nth-of-type(4)').allTextContents();
    for (const r of trend.body.data as { key: string; returnRate: number | null }[]) {
      const i = weeks.indexOf(r.key);
      expect(i, r.key).toBeGreaterThanOrEqual(0);
      expect(reasonRates[i]).toBe(pct(r.returnRate));
    }
    await browser.screenshot(page, 'analytics-alert-detail');
    expect(await axe(page)).toEqual([]);

    // As of a past day: computed from the data up to it, nothing stored.
    await page.getByRole('link', { name: '← All alerts' }).click();
    const asOf = day(-20);
    const past = await t.api.get(`/api/v1/analytics/alerts?asOf=${asOf}`);
    await page.getByLabel('As of', { exact: true }).fill(asOf);
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.waitForURL(`**/admin/analytics/alerts?asOf=${asOf}`);
    await expect.poll(() => page.getByTestId('alerts-summary').textContent()).toContain(`As of ${asOf}`);
    await expect.poll(() => page.getByTestId('alert-row').count()).toBe(past.body.data.length);

    // Back to now; an admin runs detection again: the open alerts are still elevated.
    await page.getByRole('button', { name: 'Back to the current alerts' }).click();
    await page.getByTestId('run-detection').click();
    await page.getByTestId('detect-result').waitFor();
    expect(await page.getByTestId('detect-result').textContent()).toMatch(/0 new, [1-9]\d* still elevated/);
    expect(browser.pageErrors.filter((e) => !e.includes('status of 401'))).toEqual([]);
  });

  it('shows complaint themes and the risk model (trained from the page); a supervisor sees analytics only', async () => {
    const page = await browser.newPage({ bypassCSP: true });
    await signIn(page, admin(), '/admin/analytics/themes');
    await page.getByLabel('SKU', { exact: true }).fill(PLANTED);
    await page.getByRole('button', { name: 'Show phrases' }).click();
    await page.getByTestId('themes-table').waitFor();
    const themes = await t.api.get(`/api/v1/analytics/themes?sku=${PLANTED}&limit=15`);
    const first = page.getByTestId('theme-row').first();
    expect(await first.getAttribute('data-phrase')).toBe(themes.body.data[0].phrase);
    expect(await first.getByTestId('theme-count').textContent()).toBe(count(themes.body.data[0].count));
    await expect.poll(() => page.getByTestId('theme-row').count()).toBe(themes.body.data.length);
    await browser.screenshot(page, 'analytics-themes');
    expect(await axe(page)).toEqual([]);

    await page.getByRole('link', { name: 'Return risk' }).click();
    await page.getByTestId('no-model').waitFor();
    await page.getByTestId('retrain').click();
    await page.getByTestId('model-auc').waitFor();
    const model = await t.api.get('/api/v1/analytics/risk-model');
    expect(await page.getByTestId('model-auc').textContent()).toBe(model.body.auc.toFixed(3));
    await page.getByTestId('risk-table').waitFor();
    await expect.poll(() => page.getByTestId('risk-row').count()).toBeGreaterThan(0);
    await browser.screenshot(page, 'analytics-risk');
    expect(await axe(page)).toEqual([]);

    // A supervisor: analytics (without the admin buttons), not the settings.
    const email = 'supervisor-analytics@shop.example';
    await t.services.identity.createUser(t.tenant.tenantId, {
      email,
      name: 'Sue',
      role: 'supervisor',
      password: PASSWORD,
    });
    const phone = await browser.newPage({
      viewport: { width: 360, height: 780 },
      isMobile: true,
      hasTouch: true,
    });
    await signIn(phone, { email, password: PASSWORD }, '/admin/analytics');
    // A supervisor's staff bar: the console and analytics, no settings.
    const nav = phone.getByRole('navigation', { name: 'Staff areas' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Returns', 'Analytics']);
    expect(await phone.getByRole('navigation', { name: 'Admin sections' }).count()).toBe(0);
    await phone.getByTestId('by-category-table').waitFor();
    await browser.screenshot(phone, 'analytics-overview-phone', { fullPage: false });
    await phone.getByTestId('panel-top-skus').scrollIntoViewIfNeeded();
    await browser.screenshot(phone, 'analytics-top-skus-phone', { fullPage: false });
    await phone.getByRole('link', { name: 'Alerts' }).click();
    await phone.getByTestId('alerts-table').waitFor();
    expect(await phone.getByTestId('run-detection').count()).toBe(0);
    await phone.goto(`${t.baseUrl}/admin/policy`);
    await phone.getByTestId('admins-only').waitFor();

    // A new shop without history is told how to bring it in, on every analytics page.
    const other = await t.otherTenant();
    const fresh = await browser.newPage({ bypassCSP: true });
    await signIn(fresh, { email: other.tenant.adminEmail, password: other.tenant.adminPassword });
    await fresh.getByTestId('no-history').waitFor();
    expect(await fresh.getByTestId('no-history').textContent()).toContain(
      'returnflow seed --synthetic --orders 5000',
    );
    await browser.screenshot(fresh, 'analytics-empty');
    expect(await axe(fresh)).toEqual([]);
    await fresh.getByRole('link', { name: 'Alerts' }).click();
    await fresh.getByTestId('no-alerts').waitFor();
    await fresh.getByRole('link', { name: 'Return risk' }).click();
    await fresh.getByTestId('no-model').waitFor();
    // Signed out, /auth/me answers 401; before training, the risk model answers 404: both by design.
    expect(browser.pageErrors.filter((e) => !/status of 40[14]/.test(e))).toEqual([]);
  });
});
