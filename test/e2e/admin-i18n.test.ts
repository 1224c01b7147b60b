import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHistoryImport } from '../../src/modules/analytics/import.ts';
import { generateSyntheticHistory } from '../../src/modules/analytics/synthetic.ts';
import { setupBrowser } from '../helpers/browser.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { axe } from './axe.ts';

let t: TestApp;
const browser = setupBrowser();

/** A calendar day `n` days from today (UTC), as the dashboard and the API count days. */
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const FROM = day(-89);
const TO = day(0);
const pct = (x: number, locale: string) =>
  new Intl.NumberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(x);
const count = (n: number, locale: string) => new Intl.NumberFormat(locale).format(n);

beforeAll(async () => {
  t = await startTestApp({ web: true });
  // A small made-up history over the dashboard's default 90 days, so the overview has numbers.
  const history = createHistoryImport({ db: t.handle.db, clock: t.clock });
  await history.importHistory(
    t.tenant.tenantId,
    generateSyntheticHistory({ orders: 400, seed: 11, start: FROM, days: 90 }),
  );
}, 60_000);
afterAll(async () => {
  await t?.close();
});

/** axe once the page has settled (a fading element would fail the contrast rule half-way). */
async function expectAccessible(page: Page, name: string) {
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.waitForTimeout(300);
  expect({ page: name, violations: await axe(page) }).toEqual({ page: name, violations: [] });
}

/** The period's overall return rate and units, as the API counts them by order day (the overview's first KPI). */
async function overallRate() {
  const res = await t.api.get(
    `/api/v1/analytics/return-rate?groupBy=category&basis=order&from=${FROM}&to=${TO}`,
  );
  expect(res.status).toBe(200);
  const rows = res.body.data as { unitsSold: number; unitsReturned: number }[];
  const sold = rows.reduce((a, r) => a + r.unitsSold, 0);
  const returned = rows.reduce((a, r) => a + r.unitsReturned, 0);
  expect(sold).toBeGreaterThan(0);
  return { sold, returned, rate: returned / sold };
}

describe('administration and analytics in Chinese and Spanish', () => {
  it('follows a Chinese browser through policy, users and analytics, then the switch to Spanish', async () => {
    const api = await overallRate();

    // bypassCSP: axe is injected as an inline script, which the app's CSP rightly refuses.
    const page = await browser.newPage({ locale: 'zh-CN', bypassCSP: true });
    await page.goto(`${t.baseUrl}/admin`);
    await page.waitForURL((url) => url.pathname === '/console/login');
    await page.getByLabel('邮箱').fill(t.tenant.adminEmail);
    await page.locator('input[type="password"]').fill(t.tenant.adminPassword);
    await page.getByRole('button', { name: '登录', exact: true }).click();

    // The policy page, in Chinese; the policy JSON itself is data and stays as it is.
    await page.getByTestId('policy-page').waitFor();
    await page.getByRole('heading', { level: 1, name: '退货政策' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await page.title()).toBe('退货政策 · 后台管理 · Returnflow');
    expect(await page.getByTestId('policy-version').textContent()).toBe('版本 1');
    await page.getByRole('tab', { name: '表单' }).waitFor();
    await page.getByRole('tab', { name: 'JSON 文本' }).click();
    expect(await page.getByLabel('政策（JSON）').inputValue()).toContain('"returnWindowDays"');
    await page.getByRole('button', { name: '预览变更' }).waitFor();
    const nav = page.getByRole('navigation', { name: '后台管理栏目' });
    for (const name of ['退货政策', '通知模板', 'Webhook', '用户', 'API 密钥'])
      await nav.getByRole('link', { name, exact: true }).waitFor();
    // The staff bar's areas, in Chinese.
    const areas = page.getByRole('navigation', { name: '员工区域' });
    expect(await areas.getByRole('link').allTextContents()).toEqual(['退货', '数据分析', '设置']);
    await expectAccessible(page, 'zh policy');
    await browser.screenshot(page, 'admin-zh-policy');

    // Users: headers and role names in Chinese; the role's value is still the API's code.
    await nav.getByRole('link', { name: '用户', exact: true }).click();
    await page.getByTestId('users-page').waitFor();
    await page.getByRole('heading', { level: 1, name: '用户' }).waitFor();
    expect(await page.getByRole('columnheader', { name: '角色' }).count()).toBe(1);
    const self = page.locator(`[data-testid="user-row"][data-email="${t.tenant.adminEmail}"]`);
    expect(await self.textContent()).toContain('（您）');
    const role = self.getByRole('combobox');
    expect(await role.inputValue()).toBe('admin');
    expect(await role.locator('option:checked').textContent()).toBe('管理员');
    await page.getByRole('heading', { level: 2, name: '添加用户' }).waitFor();
    await expectAccessible(page, 'zh users');
    await browser.screenshot(page, 'admin-zh-users');

    // The analytics overview: labels in Chinese, the API's numbers in the Chinese format.
    await areas.getByRole('link', { name: '数据分析', exact: true }).click();
    await page.getByTestId('analytics-overview').waitFor();
    await page.getByRole('heading', { level: 1, name: '数据分析' }).waitFor();
    await page.getByTestId('by-category-table').waitFor();
    await page.getByTestId('reasons-table').waitFor();
    const kpi = page.getByTestId('kpi-return-rate');
    await expect.poll(() => kpi.getByTestId('kpi-value').textContent()).toBe(pct(api.rate, 'zh-CN'));
    expect(await kpi.textContent()).toContain(
      `期间内下单 ${count(api.sold, 'zh-CN')} 件，退货 ${count(api.returned, 'zh-CN')} 件`,
    );
    await page.getByRole('heading', { level: 2, name: '各品类退货率' }).waitFor();
    await page.getByRole('button', { name: '最近 30 天' }).waitFor();
    expect(await page.getByRole('columnheader', { name: '退货率' }).count()).toBeGreaterThan(0);
    await page.getByRole('img', { name: /^条形图：各品类的退货率/ }).waitFor();
    expect(await page.title()).toBe('数据分析 · 后台管理 · Returnflow');
    await expect.poll(() => page.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(3);
    await expectAccessible(page, 'zh analytics');
    await browser.screenshot(page, 'admin-zh-analytics');

    // The header's switch: Spanish at once, numbers in the Spanish format ("12,3 %").
    await page.getByTestId('language-switch').selectOption('es');
    await page.getByRole('heading', { level: 1, name: 'Analítica' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
    await expect.poll(() => kpi.getByTestId('kpi-value').textContent()).toBe(pct(api.rate, 'es'));
    expect(await kpi.textContent()).toContain('Tasa de devolución');
    await page.getByRole('heading', { level: 2, name: 'Tasa de devolución por categoría' }).waitFor();
    await page.getByRole('button', { name: 'Últimos 30 días' }).waitFor();
    await expectAccessible(page, 'es analytics');
    await browser.screenshot(page, 'admin-es-analytics');

    const esNav = page.getByRole('navigation', { name: 'Secciones de administración' });
    await esNav.getByRole('link', { name: 'Política', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Política de devoluciones' }).waitFor();
    expect(await page.getByTestId('policy-version').textContent()).toBe('Versión 1');
    expect(await page.title()).toBe('Política de devoluciones · Administración · Returnflow');
    await expectAccessible(page, 'es policy');
    await browser.screenshot(page, 'admin-es-policy');

    await esNav.getByRole('link', { name: 'Usuarios', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Usuarios' }).waitFor();
    expect(await page.getByRole('columnheader', { name: 'Rol' }).count()).toBe(1);
    expect(await self.getByRole('combobox').locator('option:checked').textContent()).toBe('administrador');
    await expectAccessible(page, 'es users');
    await browser.screenshot(page, 'admin-es-users');

    expect(browser.pageErrors.filter((e) => !e.includes('status of 401'))).toEqual([]);
  });
});
