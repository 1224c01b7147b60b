import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../src/modules/analytics/synthetic.ts';
import { orderBody } from './helpers/fixtures.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** Every rollup row and fact of the tenant, in a stable order. */
async function snapshot(tenantId: string) {
  const db = t.services.db;
  const sales = await db
    .selectFrom('analyticsSalesDaily')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .orderBy('day')
    .orderBy('sku')
    .orderBy('currency')
    .execute();
  const returns = await db
    .selectFrom('analyticsReturnsDaily')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .orderBy('day')
    .orderBy('sku')
    .orderBy('reasonCode')
    .orderBy('resolution')
    .orderBy('currency')
    .execute();
  const facts = await db
    .selectFrom('analyticsReturnFacts')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .orderBy('returnLineId')
    .execute();
  const salesMonthly = await db
    .selectFrom('analyticsSalesMonthly')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .orderBy('month')
    .orderBy('sku')
    .orderBy('currency')
    .execute();
  const returnsMonthly = await db
    .selectFrom('analyticsReturnsMonthly')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .orderBy('month')
    .orderBy('sku')
    .orderBy('reasonCode')
    .orderBy('resolution')
    .orderBy('currency')
    .execute();
  return { sales, returns, salesMonthly, returnsMonthly, facts };
}

const REASONS = ['changed_mind', 'wrong_size', 'not_as_described', 'wrong_item'];
const SKUS = [
  ['TEE-S', 'tops'],
  ['TEE-M', 'tops'],
  ['JKT-1', 'outerwear'],
  ['MUG-1', 'home'],
];

/**
 * Random edits through the API — new returns of random lines and quantities, approvals and
 * rejections, cancellations, receipts, inspections with fewer units accepted or a partial refund,
 * refunds settled by the worker, closes — then the incrementally kept rollups must equal a full
 * recomputation, row for row.
 */
describe('incremental rollups', () => {
  for (const seed of [1, 2]) {
    it(`equal a full recomputation after random edits (seed ${seed})`, async () => {
      const rnd = mulberry32(seed);
      const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
      const orders = [];
      for (let i = 0; i < 5; i++) {
        const [a, b] = [pick(SKUS), pick(SKUS)];
        const res = await t.api.post(
          '/api/v1/orders',
          orderBody({
            currency: i % 3 === 2 ? 'EUR' : 'USD',
            lines: [
              { externalId: 'L1', sku: a[0], title: a[0], category: a[1], quantity: 3, unitPrice: 2500 },
              {
                externalId: 'L2',
                sku: `${b[0]}-B`,
                title: b[0],
                category: b[1],
                quantity: 2,
                unitPrice: 15000,
              },
            ],
          }),
        );
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        orders.push(res.body);
      }

      const ids: string[] = [];
      for (let step = 0; step < 40; step++) {
        const r = rnd();
        if (r < 0.3 || ids.length === 0) {
          const o = pick(orders);
          const lines = o.lines
            .filter(() => rnd() < 0.7)
            .map((l: { id: string; quantity: number }) => ({
              orderLineId: l.id,
              quantity: 1,
              reasonCode: pick(REASONS),
            }));
          if (lines.length === 0) continue;
          const res = await t.api.post('/api/v1/returns', {
            orderId: o.id,
            resolution: rnd() < 0.8 ? 'refund' : 'store_credit',
            lines,
          });
          if (res.status === 201) ids.push(res.body.id);
          else expect(res.status, JSON.stringify(res.body)).toBe(422); // nothing left to return
          continue;
        }
        const id = pick(ids);
        const current = (await t.api.get(`/api/v1/returns/${id}`)).body;
        const allowed: string[] = current.allowedActions;
        if (allowed.length === 0) continue;
        const action = pick(allowed);
        let body: Record<string, unknown> = {};
        if (action === 'inspect' && rnd() < 0.5) {
          body =
            rnd() < 0.5
              ? {
                  lines: current.lines.map((l: { id: string }) => ({
                    returnLineId: l.id,
                    acceptedQuantity: 0,
                    condition: 'damaged',
                  })),
                }
              : { refundAmount: Math.floor(current.refundTotal / 2), reason: 'Worn.' };
        }
        if (action === 'ship') body = { carrier: 'UPS', trackingNumber: '1Z' };
        if (action === 'ship_replacement') body = { carrier: 'UPS', trackingNumber: '1Z' };
        const res = await t.api.post(`/api/v1/returns/${id}/actions/${action}`, body);
        expect([200, 409, 422], JSON.stringify(res.body)).toContain(res.status);
      }
      // Refunds settle in the worker (through the same change hook): wait for them.
      await t.eventually(
        () =>
          t.services.db
            .selectFrom('returns')
            .select('id')
            .where('tenantId', '=', t.tenant.tenantId)
            .where('status', '=', 'refund_pending')
            .execute(),
        (rows) => rows.length === 0,
      );
      const incremental = await snapshot(t.tenant.tenantId);
      // The walk went somewhere: several states, and money paid back.
      expect(new Set(incremental.facts.map((f) => f.status)).size).toBeGreaterThanOrEqual(4);
      expect(incremental.returns.some((c) => Number(c.refundAmount) > 0)).toBe(true);
      expect(incremental.facts.some((f) => f.decisionBucket !== null)).toBe(true);
      await t.services.analytics.recomputeRollups(t.tenant.tenantId);
      const recomputed = await snapshot(t.tenant.tenantId);
      expect(incremental).toEqual(recomputed);
    });
  }

  it('keeps sales right as orders are imported and changed through the orders API', async () => {
    const tenant = await t.otherTenant();
    const tenantId = tenant.tenant.tenantId;
    const line = { externalId: 'L1', sku: 'HAT', title: 'Hat', category: 'hats', unitPrice: 1500 };
    const body = orderBody({ lines: [{ ...line, quantity: 2 }] });
    expect((await tenant.api.post('/api/v1/orders', body)).status).toBe(201);
    expect((await snapshot(tenantId)).sales).toEqual([
      expect.objectContaining({ sku: 'HAT', units: 2, lines: 1, revenue: 3000 }),
    ]);
    // The same order again with another quantity: its old lines come off, the new ones go on.
    const changed = await tenant.api.post('/api/v1/orders', { ...body, lines: [{ ...line, quantity: 5 }] });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const incremental = await snapshot(tenantId);
    expect(incremental.sales).toEqual([
      expect.objectContaining({ sku: 'HAT', units: 5, lines: 1, revenue: 7500 }),
    ]);
    expect(incremental.salesMonthly).toEqual([expect.objectContaining({ sku: 'HAT', units: 5, lines: 1 })]);
    await t.services.analytics.recomputeRollups(tenantId);
    expect(await snapshot(tenantId)).toEqual(incremental);
  });

  it('moves the numbers as a return is filed and rejected', async () => {
    const tenant = await t.otherTenant();
    const o = (
      await tenant.api.post(
        '/api/v1/orders',
        orderBody({
          lines: [
            { externalId: 'L1', sku: 'SOCK', title: 'Sock', category: 'socks', quantity: 4, unitPrice: 500 },
          ],
        }),
      )
    ).body;
    const rate = async () =>
      (await tenant.api.get('/api/v1/analytics/return-rate?groupBy=sku')).body.data.find(
        (r: { key: string }) => r.key === 'SOCK',
      );
    expect(await rate()).toMatchObject({ unitsSold: 4, unitsReturned: 0 });
    const created = await tenant.api.post('/api/v1/returns', {
      orderId: o.id,
      lines: [{ orderLineId: o.lines[0].id, quantity: 2, reasonCode: 'not_as_described' }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(await rate()).toMatchObject({ unitsSold: 4, unitsReturned: 2, returnLines: 1 });
    if (created.body.status === 'needs_review') {
      await tenant.api.post(`/api/v1/returns/${created.body.id}/actions/reject`, { note: 'No.' });
    } else {
      await tenant.api.post(`/api/v1/returns/${created.body.id}/actions/cancel`);
    }
    expect(await rate()).toMatchObject({ unitsSold: 4, unitsReturned: 0, returnLines: 1 });
  });
});
