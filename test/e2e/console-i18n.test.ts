import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupBrowser } from '../helpers/browser.ts';
import { returnNeedingReview } from '../helpers/fixtures.ts';
import { createStaff, startTestApp, type TestApp } from '../helpers/test-app.ts';
import { axe } from './axe.ts';

let t: TestApp;
const browser = setupBrowser();
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  t = await startTestApp({ web: true });
});
afterAll(async () => {
  await t?.close();
});

const agent = (name: string) => createStaff(t, 'agent', { name, password: PASSWORD });

const fileForReview = () => returnNeedingReview(t.api);

/** axe after the dialog's fade-in (half-transparent text would fail the contrast rule). */
async function expectAccessible(page: Page, name: string) {
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.waitForTimeout(400);
  expect({ page: name, violations: await axe(page) }).toEqual({ page: name, violations: [] });
}

describe('agent console in Chinese and Spanish', () => {
  it('follows a Chinese browser from sign-in to an approval, then the language switch to Spanish', async () => {
    const wang = await agent('Wang');
    const r = await fileForReview();

    // No language chosen yet: the browser's zh-CN decides, sign-in page included.
    // bypassCSP: axe is injected as an inline script, which the app's CSP rightly refuses.
    const page = await browser.newPage({ locale: 'zh-CN', bypassCSP: true });
    await page.goto(`${t.baseUrl}/console`);
    await page.waitForURL('**/console/login');
    await page.getByRole('heading', { level: 1, name: '员工登录' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await page.getByLabel('邮箱').fill(wang.email);
    await page.locator('input[type="password"]').fill(PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();

    await page.getByTestId('queue-page').waitFor();
    await page.getByRole('heading', { level: 1, name: '退货' }).waitFor();
    expect(await page.getByTestId('queue-tab-needs_review').textContent()).toContain('待审核');
    expect(await page.getByTestId('queue-tab-awaiting_inspection').textContent()).toContain('待质检');
    expect(await page.title()).toBe('退货队列 · Returnflow');
    const row = page.locator(`[data-testid="queue-row"][data-id="${r.id}"]`);
    await row.waitFor();
    expect(await page.getByRole('columnheader', { name: '退货单号' }).count()).toBe(1);
    expect(await row.textContent()).toContain('待审核');
    await expectAccessible(page, 'zh queue');
    await browser.screenshot(page, 'console-zh-queue');

    await row.getByRole('link', { name: r.rma }).click();
    const casePage = page.locator('[data-testid="case-page"][data-status="needs_review"]');
    await casePage.waitFor();
    expect(await page.getByTestId('case-status').textContent()).toBe('待审核');
    expect(await page.getByTestId('decision').textContent()).toContain('政策已将此退货转交人工审核。');
    // The policy's own sentences too, the same ones the customer's Chinese tracking page shows.
    const tracked = await t.anon.get(`/api/v1/track/${r.token}?lang=zh-CN`);
    const sentence = tracked.body.explanation[0] as string;
    expect(sentence).toMatch(/[\u4e00-\u9fff]/);
    expect(await page.getByTestId('decision').textContent()).toContain(sentence);
    await page.getByRole('region', { name: '商品与退款', exact: true }).waitFor();
    await expectAccessible(page, 'zh case');
    await browser.screenshot(page, 'console-zh-case');

    await page.getByTestId('case-actions').getByRole('button', { name: '批准', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `批准 ${r.rma}？` });
    await dialog.waitFor();
    await dialog.getByText('系统会通知客户寄回商品（无需寄回的退货则直接退款）。').waitFor();
    await dialog.getByLabel('处理记录备注（选填）').fill('照片清楚，同意退货。');
    await expectAccessible(page, 'zh dialog');
    await browser.screenshot(page, 'console-zh-confirm');
    await dialog.getByRole('button', { name: '批准', exact: true }).click();

    await page.locator('[data-testid="case-page"][data-status="awaiting_shipment"]').waitFor();
    expect(await page.getByTestId('case-notice').textContent()).toBe('批准：已完成。');
    expect(await page.getByTestId('case-status').textContent()).toBe('待寄回');
    const approved = await t.api.get(`/api/v1/returns/${r.id}`);
    expect(approved.body.status).toBe('awaiting_shipment');

    // The header's switch: the console follows it at once, and remembers it.
    await page.getByTestId('language-switch').selectOption('es');
    await page.getByTestId('case-status').getByText('Pendiente de envío', { exact: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
    await page.getByRole('region', { name: 'Artículos y reembolso', exact: true }).waitFor();
    await browser.screenshot(page, 'console-es-case');
    await page.getByRole('link', { name: '← Volver a la cola' }).click();
    await page.getByRole('heading', { level: 1, name: 'Devoluciones' }).waitFor();
    expect(await page.getByTestId('queue-tab-needs_review').textContent()).toContain('Por revisar');
    expect(await page.title()).toBe('Cola de devoluciones · Returnflow');
    await page.reload();
    await page.getByTestId('queue-tab-needs_review').getByText('Por revisar').waitFor();
    await expectAccessible(page, 'es queue');
    await browser.screenshot(page, 'console-es-queue');

    expect(browser.pageErrors.filter((e) => !e.includes('401'))).toEqual([]);
  });
});
