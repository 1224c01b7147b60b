import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupBrowser, signInAt } from '../helpers/browser.ts';
import { apiClient, createStaff, startTestApp, type TestApp } from '../helpers/test-app.ts';
import { axe } from './axe.ts';

/**
 * Purchasing-agent mode in the browser: the warehouse page, the console's purchasing panel and
 * claims, the customer's tracking page and the portal, over a tenant of kind purchasing_agent.
 */
let t: TestApp;
let api: ReturnType<typeof apiClient>;
let tenantId = '';
let shopHandle = '';
let photoPath = '';
const browser = setupBrowser();
const PASSWORD = 'correct horse battery staple';
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
let seq = 0;

beforeAll(async () => {
  t = await startTestApp({ web: true });
  const pa = await t.services.identity.createTenant({ name: 'E2E Global Buyers', kind: 'purchasing_agent' });
  tenantId = pa.tenantId;
  shopHandle = pa.handle;
  api = apiClient(t.baseUrl, pa.apiKey);
  const rates = await api.put('/api/v1/fx-rates', {
    rates: [{ base: 'CNY', quote: 'USD', rate: '0.1387', rateDate: ago(1).slice(0, 10), source: 'test' }],
  });
  expect(rates.status, JSON.stringify(rates.body)).toBe(200);
  // A real 1×1 PNG: the server checks the magic bytes, not only the content type.
  photoPath = join(mkdtempSync(join(tmpdir(), 'qc-photo-')), 'qc.png');
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

type Order = {
  id: string;
  orderNumber: string;
  customer: { id: string; email: string };
  lines: { id: string }[];
};

/** A CNY order of one line from one seller, with every kind of fee, read in USD by the customer. */
async function paOrder(): Promise<Order> {
  seq += 1;
  const res = await api.post('/api/v1/orders', {
    externalId: `e2e-pa-${seq}-${Date.now()}`,
    orderNumber: `DG-E2E-${seq}-${Date.now() % 100_000}`,
    currency: 'CNY',
    placedAt: ago(10),
    customer: { email: `buyer-${seq}-${Date.now()}@example.com`, name: 'Li Wei', displayCurrency: 'USD' },
    lines: [
      {
        externalId: 'A',
        sku: 'KETTLE-CLAY',
        title: 'Yixing clay kettle',
        category: 'home',
        quantity: 1,
        unitPrice: 26_800,
        seller: 'Jingdezhen Kiln',
        sellerOrderRef: 'TB-88123',
      },
    ],
    fees: [
      { kind: 'domestic_shipping', amount: 1_000, lineExternalId: 'A' },
      { kind: 'service_fee', amount: 1_500 },
      { kind: 'international_shipping', amount: 9_800 },
      { kind: 'payment_fee', amount: 390 },
    ],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Order;
}

async function stage(order: Order, s: string, at?: string) {
  const res = await api.post(`/api/v1/orders/${order.id}/lines/${order.lines[0]!.id}/stage`, {
    stage: s,
    ...(at ? { at } : {}),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { stage: string; offer: { returnId: string; rmaNumber: string } | null };
}

async function staffPage(role: 'warehouse' | 'agent', next: string) {
  const who = await createStaff(t, role, { password: PASSWORD, tenantId });
  const page = await browser.newPage({ bypassCSP: true });
  await signInAt(page, t.baseUrl, next, who);
  return page;
}

/** Script errors on the pages of this test (a 401 before signing in or a 404 for an unknown order are expected answers). */
const crashes = () => browser.pageErrors.filter((e) => !e.includes('Failed to load resource'));

const settled = (id: string, status = 'refunded') =>
  t.eventually(
    () => api.get(`/api/v1/returns/${id}`),
    (r) => r.body.status === status,
  );

describe('warehouse page', () => {
  it('finds an order by number, adds a QC photo and marks the line QC-failed: the free return appears', async () => {
    const order = await paOrder();
    await stage(order, 'in_warehouse', ago(1));
    const page = await staffPage('warehouse', '/console/warehouse');
    await page.getByTestId('warehouse-empty').waitFor();

    // An unknown number says so; the real one lists the line with its stage and next moves.
    await page.getByLabel('Order number').fill('NO-SUCH-ORDER');
    await page.keyboard.press('Enter');
    await page.getByTestId('order-not-found').waitFor();
    // A line only paid for offers buying it next, not a QC verdict; the number is found in any case.
    const fresh = await paOrder();
    await page.getByLabel('Order number').fill(fresh.orderNumber.toLowerCase());
    await page.keyboard.press('Enter');
    const paid = page.getByTestId('warehouse-line').filter({ hasText: 'Yixing clay kettle' });
    await paid.waitFor();
    expect(await paid.getAttribute('data-stage')).toBe('paid');
    const offered = paid.getByTestId('stage-button');
    expect(await offered.evaluateAll((b) => b.map((x) => x.getAttribute('data-stage')))).toEqual([
      'purchasing',
      'cancelled',
    ]);
    expect(await offered.first().getAttribute('data-usual')).toBe('true');
    await paid.getByTestId('skip-ahead').click();
    await page.getByRole('menuitem', { name: 'QC passed' }).waitFor();
    await page.keyboard.press('Escape');

    await page.getByLabel('Order number').fill(order.orderNumber);
    await page.keyboard.press('Enter');
    const line = page.getByTestId('warehouse-line').filter({ hasText: 'Yixing clay kettle' });
    await line.waitFor();
    await expect.poll(() => line.getAttribute('data-stage')).toBe('in_warehouse');
    expect(
      await line.getByTestId('stage-button').evaluateAll((b) => b.map((x) => x.getAttribute('data-stage'))),
    ).toEqual(['qc_passed', 'qc_failed', 'returned_to_seller']);

    // A file that is not an image is refused in the browser; a PNG goes up.
    const textPath = join(mkdtempSync(join(tmpdir(), 'qc-text-')), 'notes.txt');
    writeFileSync(textPath, 'not an image');
    await line.locator('input[type="file"]').setInputFiles(textPath);
    expect(await line.getByTestId('qc-problem').textContent()).toContain('is not a JPEG, PNG or WebP image');
    await line.locator('input[type="file"]').setInputFiles(photoPath);
    await line.getByTestId('qc-uploaded').waitFor();
    expect(crashes()).toEqual([]);
    expect({ violations: await axe(page) }).toEqual({ violations: [] });

    await line.getByRole('button', { name: 'QC failed' }).click();
    const confirm = page.getByTestId('confirm-qc-failed');
    await confirm.getByLabel(/What is wrong/).fill('Crack in the lid');
    await confirm.getByRole('button', { name: 'Mark QC failed' }).click();
    const offer = page.getByTestId('qc-failed-offer');
    await offer.waitFor();
    await page.locator('[data-testid="warehouse-line"][data-stage="qc_failed"]').waitFor();
    const rma = (await offer.getByTestId('offer-link').textContent())?.trim() ?? '';
    expect(rma).toMatch(/^RMA-/);
    const href = (await offer.getByTestId('offer-link').getAttribute('href')) ?? '';
    // The line itself links to the return it filed, also after a reload.
    await page.reload();
    const failedLine = page.locator('[data-testid="warehouse-line"][data-stage="qc_failed"]');
    expect((await failedLine.getByTestId('line-return-link').textContent())?.trim()).toBe(rma);
    await browser.screenshot(page, 'pa-warehouse-qc-failed');
    // Usable on a phone at the packing table: nothing scrolls sideways at 360 px.
    await page.setViewportSize({ width: 360, height: 780 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    // The automatic return is real, free for the customer, and has the QC photo as evidence.
    const returnId = href.split('/').pop() ?? '';
    const ret = await settled(returnId);
    expect(ret.body.rmaNumber).toBe(rma);
    expect(
      ret.body.refundQuote.sourcing.itemised.find(
        (r: { code: string }) => r.code === 'domestic_return_shipping',
      ),
    ).toBeUndefined();
    const claim = (await api.get(`/api/v1/seller-claims?returnId=${returnId}`)).body.items[0];
    const pack = await api.get(`/api/v1/seller-claims/${claim.id}/evidence-pack`);
    expect(pack.body.photos.map((p: { kind: string }) => p.kind)).toEqual(['qc']);
    expect(pack.body.line.history.at(-1)).toMatchObject({ toStage: 'qc_failed', note: 'Crack in the lid' });
  });
});

describe('console purchasing panel', () => {
  it('shows the claim with its Chinese message, refuses a stale action with a reload, sends it and records a partial seller refund', async () => {
    const order = await paOrder();
    await stage(order, 'in_warehouse', ago(2));
    const failed = await stage(order, 'qc_failed', ago(1));
    const returnId = failed.offer!.returnId;
    await settled(returnId);
    const claim = (await api.get(`/api/v1/seller-claims?returnId=${returnId}`)).body.items[0];

    const page = await staffPage('agent', '/console');
    // The new queue is listed, with its empty state when no claim is near its deadline.
    await page.getByTestId('queue-tab-seller_deadline').click();
    await page.getByTestId('queue-empty').filter({ hasText: 'No seller claim is close' }).waitFor();

    await page.goto(`${t.baseUrl}/console/returns/${returnId}`);
    const panel = page.getByTestId('purchasing');
    await panel.waitFor();
    expect(await panel.getByTestId('line-stages').textContent()).toContain('QC failed');
    expect(await panel.getByTestId('risk-badges').textContent()).toMatch(/returns? this month/);
    const card = panel.getByTestId('claim');
    expect(await card.getAttribute('data-status')).toBe('draft');
    expect(await card.getByTestId('claim-message-zh-CN').textContent()).toContain('质检不合格');
    expect(await card.getByTestId('claim-message-zh-CN').textContent()).toContain('TB-88123');
    expect(await card.getByTestId('claim-message-en').textContent()).toContain('TB-88123');
    expect(await panel.getByTestId('case-itemised').locator('tbody tr').count()).toBeGreaterThan(1);
    expect({ violations: await axe(page) }).toEqual({ violations: [] });

    // Someone else sends it meanwhile: the page's version is stale, so the click is refused.
    expect((await api.post(`/api/v1/seller-claims/${claim.id}/send`, {})).status).toBe(200);
    await card.getByRole('button', { name: 'Mark sent to seller' }).click();
    await page.getByTestId('claim-dialog-send').getByTestId('confirm-claim-action').click();
    await page.getByTestId('claim-stale').waitFor();
    await page.locator('[data-testid="claim"][data-status="sent"]').waitFor();

    // The seller refunds part of it: 100.00 of the 268.00 + 10.00 claimed.
    await card.getByRole('button', { name: 'Record seller refund' }).click();
    const dialog = page.getByTestId('claim-dialog-refund');
    await dialog.getByLabel(/Amount the seller refunded/).fill('9999');
    await dialog.getByTestId('confirm-claim-action').click();
    expect(await dialog.textContent()).toContain('At most');
    await dialog.getByLabel(/Amount the seller refunded/).fill('100.00');
    await dialog.getByTestId('confirm-claim-action').click();
    await page.locator('[data-testid="claim"][data-status="refunded"]').waitFor();
    expect(await page.getByTestId('claim-notice').textContent()).toContain('Record seller refund: done.');
    expect(await card.getByTestId('claim-recovered').textContent()).toBe('CN¥100.00');
    const after = await api.get(`/api/v1/seller-claims/${claim.id}`);
    expect(after.body).toMatchObject({ status: 'refunded', amountRecovered: 10_000 });

    await card.getByRole('button', { name: 'Evidence pack' }).click();
    await page.getByTestId('evidence-pack').waitFor();
    await browser.screenshot(page, 'pa-console-claim');
    expect(crashes()).toEqual([]);
  });
});

describe('customer pages', () => {
  it('tracking in Simplified Chinese: the stage, the deadlines, every fee summing to the refund, the wallet and the USD amount', async () => {
    const order = await paOrder();
    await stage(order, 'in_warehouse', ago(2));
    await stage(order, 'qc_passed', ago(1));
    const res = await api.post('/api/v1/returns', {
      orderId: order.id,
      lines: [{ orderLineId: order.lines[0]!.id, quantity: 1, reasonCode: 'changed_mind' }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const q = res.body.refundQuote;

    const page = await browser.newPage({ locale: 'zh-CN', bypassCSP: true });
    await page.goto(`${t.baseUrl}/t/${res.body.trackingToken}`);
    await page.getByTestId('tracking-page').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    const item = page.getByTestId('sourcing-stage');
    expect(await item.getByTestId('stage-name').textContent()).toBe('已质检并拍照');
    // Seven days from the warehouse scan two days ago: five whole days left, then "closed".
    expect(await item.getByTestId('seller-deadline').textContent()).toContain('卖家受理退货截止');
    expect(await item.getByTestId('seller-deadline').getByTestId('countdown').textContent()).toMatch(
      /^还剩 [45] 天$/,
    );

    const table = page.getByTestId('itemised-refund');
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [tr.getAttribute('data-code'), Number(tr.getAttribute('data-refunded'))]),
      );
    expect(rows).toEqual(
      q.sourcing.itemised.map((r: { code: string; refunded: number }) => [r.code, r.refunded]),
    );
    expect(rows.reduce((s, [, n]) => s + (n as number), 0)).toBe(q.total);
    const yuan = (n: number) =>
      new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY' }).format(n / 100);
    expect(await table.getByTestId('itemised-total').textContent()).toBe(yuan(q.total));
    const text = await table.textContent();
    expect(text).toContain('退回卖家的运费');
    expect(text).toContain('不退：该费用已用于您的订单。');
    expect(text).toContain('从退款中扣除。');
    expect(await table.getByTestId('itemised-refund-to').textContent()).toContain('提现到原付款方式');
    expect(await table.getByTestId('itemised-display').textContent()).toContain('0.1387');
    expect({ violations: await axe(page) }).toEqual({ violations: [] });
    await browser.screenshot(page, 'pa-tracking-zh-CN');
    expect(crashes()).toEqual([]);
  });

  it('portal: the review step itemises a warehouse-stage return, and files it to the original payment method', async () => {
    const order = await paOrder();
    await stage(order, 'in_warehouse', ago(2));
    await stage(order, 'qc_passed', ago(1));
    const page = await browser.newPage({ bypassCSP: true });
    await page.goto(`${t.baseUrl}/s/${shopHandle}/returns`);
    await page.waitForSelector('[data-testid="portal"][data-step="lookup"]');
    await page.getByLabel('Order number').fill(order.orderNumber);
    await page.getByLabel('Email address').fill(order.customer.email);
    await page.getByRole('button', { name: 'Find my order' }).click();
    await page.waitForSelector('[data-testid="portal"][data-step="items"]');
    await page.getByLabel('Yixing clay kettle').check();
    await page.getByTestId('next').click();
    await page.waitForSelector('[data-testid="portal"][data-step="reasons"]');
    await page
      .getByTestId('reason-line')
      .filter({ hasText: 'Yixing clay kettle' })
      .getByLabel('Reason')
      .selectOption('changed_mind');
    await page.getByTestId('next').click();
    await page.waitForSelector('[data-testid="portal"][data-step="resolution"]');
    await page.getByLabel('Refund').check();
    await page.getByTestId('next').click();
    await page.waitForSelector('[data-testid="portal"][data-step="review"]');

    const table = page.getByTestId('itemised-refund');
    await table.waitFor();
    expect(await table.getAttribute('data-testid')).toBe('itemised-refund');
    expect(await page.getByTestId('refund-to-wallet').isChecked()).toBe(true);
    expect(await table.getByTestId('itemised-refund-to').getAttribute('data-refund-to')).toBe('wallet');
    expect(await table.locator('tr[data-code="domestic_return_shipping"]').count()).toBe(1);
    await page.getByTestId('refund-to-original_payment').check();
    await page.locator('[data-testid="itemised-refund-to"][data-refund-to="original_payment"]').waitFor();
    expect(await page.getByTestId('itemised-refund-to').textContent()).toBe(
      'The refund goes back to your original payment method.',
    );
    expect({ violations: await axe(page) }).toEqual({ violations: [] });
    await browser.screenshot(page, 'pa-portal-review');

    await page.getByRole('button', { name: 'Confirm return' }).click();
    await page.waitForURL('**/t/**');
    await page.getByTestId('tracking-page').waitFor();
    const rma = (await page.getByTestId('rma').textContent())?.match(/RMA-\d+/)?.[0];
    const list = await api.get('/api/v1/returns?limit=50');
    const filed = (list.body.data as { id: string; rmaNumber: string }[]).find((r) => r.rmaNumber === rma);
    expect(filed).toBeDefined();
    const ret = await api.get(`/api/v1/returns/${filed!.id}`);
    expect(ret.body.refundQuote.payout.method).toBe('original_payment');
    expect(ret.body.refundQuote.sourcing.refundTo).toBe('original_payment');
    await page.locator('[data-testid="itemised-refund-to"][data-refund-to="original_payment"]').waitFor();
    expect(crashes()).toEqual([]);
  });
});
