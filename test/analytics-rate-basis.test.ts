import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
const DAY = 86_400_000;
const REASONS = ['changed_mind', 'wrong_size', 'defective'];

/**
 * Like the demo: ten orders placed 7 to 16 days ago (before this ISO week, whatever today is),
 * each with a return requested now — so every return falls in a week without sales.
 */
beforeAll(async () => {
  t = await startTestApp();
  const now = Date.now();
  for (let i = 0; i < 10; i++) {
    const placed = new Date(now - (7 + i) * DAY);
    const { order } = await t.services.orders.upsertOrder(t.tenant.tenantId, {
      externalId: `basis-${i}`,
      orderNumber: `#B${i}`,
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
          sku: `SKU-${i % 4}`,
          title: 'Tee',
          category: i % 2 ? 'tops' : 'shoes',
          unitPrice: 2000,
          quantity: 2,
          discountAmount: 0,
          taxAmount: 0,
        },
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
      ],
    });
    const lines = i % 3 === 0 ? order.lines : order.lines.slice(0, 1);
    await t.services.returns.requestReturn(
      t.tenant.tenantId,
      {
        orderId: order.id,
        resolution: 'refund',
        lines: lines.map((l) => ({ orderLineId: l.id, quantity: l.quantity, reasonCode: REASONS[i % 3]! })),
      },
      { type: 'customer', id: order.customer.id },
    );
  }
});
afterAll(async () => {
  await t?.close();
});

type Rate = {
  key: string;
  unitsSold: number;
  unitsReturned: number;
  returnLines: number;
  returnRate: number | null;
};
type Ranked = Rate & {
  category: string;
  groupRate: number | null;
  adjustedRate: number | null;
  rateLow: number | null;
  rateHigh: number | null;
};
const sum = (rows: Rate[], f: 'unitsSold' | 'unitsReturned' | 'returnLines') =>
  rows.reduce((a, r) => a + r[f], 0);

describe('return rate on one basis (orders of the weeks before, returned this week)', () => {
  it('by order week, the trend shows the returns of each week’s own sales and adds up to the headline', async () => {
    const demoApi = t.api;
    const [weeks, categories, requestWeeks] = await Promise.all([
      demoApi.get('/api/v1/analytics/return-rate?groupBy=week&basis=order'),
      demoApi.get('/api/v1/analytics/return-rate?groupBy=category&basis=order'),
      demoApi.get('/api/v1/analytics/return-rate?groupBy=week'),
    ]);
    expect(weeks.status, JSON.stringify(weeks.body)).toBe(200);
    expect(weeks.body.basis).toBe('order');
    expect(requestWeeks.body.basis).toBe('request');
    // Counted by request week the returns land in a week without sales: no week has a rate above 0
    // (the flat line of the issue), although the headline is far from 0.
    expect((requestWeeks.body.data as Rate[]).every((r) => !r.returnRate)).toBe(true);

    const w = weeks.body.data as Rate[];
    const c = categories.body.data as Rate[];
    expect(w.some((r) => (r.returnRate ?? 0) > 0.5)).toBe(true);
    for (const r of w) {
      expect(r.unitsSold).toBeGreaterThan(0);
      expect(r.unitsReturned).toBeLessThanOrEqual(r.unitsSold);
      expect(r.returnRate).toBe(r.unitsReturned / r.unitsSold);
    }
    // One basis: the weeks and the categories (the headline's sum) count the same units.
    expect(sum(w, 'unitsSold')).toBe(sum(c, 'unitsSold'));
    expect(sum(w, 'unitsReturned')).toBe(sum(c, 'unitsReturned'));
    expect(sum(w, 'unitsReturned')).toBeGreaterThan(0);

    // The returns behind an order week are those of the orders placed in it.
    const busiest = w.reduce((a, r) => (r.returnLines > a.returnLines ? r : a));
    const to = new Date(Date.parse(`${busiest.key}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10);
    const drill = await demoApi.get(
      `/api/v1/analytics/returns?from=${busiest.key}&to=${to}&basis=order&limit=500`,
    );
    expect(drill.status, JSON.stringify(drill.body)).toBe(200);
    expect(drill.body.data.length).toBe(busiest.returnLines);
    const requested = await demoApi.get(`/api/v1/analytics/returns?from=${busiest.key}&to=${to}&limit=500`);
    expect(requested.body.data.length).not.toBe(busiest.returnLines);
  });

  it('filters by reason and SKU on the order basis too', async () => {
    const demoApi = t.api;
    const all = await demoApi.get('/api/v1/analytics/return-rate?groupBy=sku&basis=order');
    const byReason = await demoApi.get(
      '/api/v1/analytics/return-rate?groupBy=sku&basis=order&reason=changed_mind',
    );
    const reasons = await demoApi.get('/api/v1/analytics/reasons');
    expect(sum(byReason.body.data, 'returnLines')).toBe(
      reasons.body.data.find((r: { reasonCode: string }) => r.reasonCode === 'changed_mind').returnLines,
    );
    const sku = (all.body.data as Rate[]).find((r) => r.unitsReturned > 0)!;
    const one = await demoApi.get(`/api/v1/analytics/return-rate?groupBy=month&basis=order&sku=${sku.key}`);
    expect(sum(one.body.data, 'unitsReturned')).toBe(sku.unitsReturned);
    expect(sum(one.body.data, 'unitsSold')).toBe(sku.unitsSold);
  });
});

describe('Top SKUs ranked by a shrunk rate', () => {
  const order = (id: string, sku: string, quantity: number, placedAt = '2025-03-03T09:00:00Z') => ({
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
    requestedAt: '2025-03-10T00:00:00Z',
    resolvedAt: '2025-03-12T00:00:00Z',
    status: 'refunded',
    refundedAmount: 1000 * quantity,
  });
  // TINY: 6 of 11 back (54.5 %); BIG: 120 of 400 (30 %); ten others 5 of 100 each.
  const history = {
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
  const MARCH = 'from=2025-03-01&to=2025-03-31';

  it('puts a well-sold high rate above a tiny sample, and gives each rate its 95 % interval', async () => {
    const { tenant, api } = await t.otherTenant();
    expect(tenant.tenantId).toBeTruthy();
    const imported = await api.post('/api/v1/analytics/import', history);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);

    const plain = await api.get(`/api/v1/analytics/return-rate?${MARCH}&groupBy=sku&basis=order`);
    expect(plain.body.data[0].key).toBe('TINY');
    expect(plain.body.data[0]).not.toHaveProperty('rateLow');

    const ranked = await api.get(
      `/api/v1/analytics/return-rate?${MARCH}&groupBy=sku&basis=order&rank=shrunk`,
    );
    expect(ranked.status, JSON.stringify(ranked.body)).toBe(200);
    expect(ranked.body.rank).toBe('shrunk');
    expect(ranked.body.priorUnits).toBe(20);
    const rows = ranked.body.data as Ranked[];
    expect(rows.map((r) => r.key).slice(0, 2)).toEqual(['BIG', 'TINY']);
    const tiny = rows[1]!;
    const shoes = (6 + 120 + 50) / (11 + 400 + 1000);
    expect(tiny).toMatchObject({ category: 'shoes', unitsSold: 11, unitsReturned: 6, returnRate: 6 / 11 });
    expect(tiny.groupRate).toBeCloseTo(shoes, 12);
    expect(tiny.adjustedRate).toBeCloseTo((6 + 20 * shoes) / 31, 12);
    expect(tiny.rateLow).toBeCloseTo(0.28, 2);
    expect(tiny.rateHigh).toBeCloseTo(0.787, 3);

    const csv = await api.get(
      `/api/v1/analytics/return-rate?${MARCH}&groupBy=sku&basis=order&rank=shrunk&format=csv`,
    );
    const lines = (csv.body as string)
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe(
      'key,unitsSold,unitsReturned,returnLines,returnRate,category,groupRate,adjustedRate,rateLow,rateHigh',
    );
    expect(lines[1]!.startsWith('BIG,400,120,1,0.3,shoes,')).toBe(true);

    const periods = await api.get(`/api/v1/analytics/return-rate?${MARCH}&groupBy=week&rank=shrunk`);
    expect(periods.status).toBe(400);
    expect(periods.body.error.code).toBe('invalid_rank');
  });
});
