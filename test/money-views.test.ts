import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody } from './helpers/fixtures.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

/**
 * One total for a return, wherever it shows: the quote, the return, the tracking page, the
 * console's queue and its CSV all give what the customer receives, and each breakdown's rows add
 * up to it. A store-credit bonus is part of it; an exchange never turns the bonus into cash.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  const { policy } = await t.services.policies.currentPolicy(t.tenant.tenantId);
  await t.services.policies.publishPolicy(
    t.tenant.tenantId,
    { ...policy, storeCreditBonusPercent: 10 },
    'test',
  );
});
afterAll(async () => {
  await t?.close();
});

const sum = (rows: { amount: number }[]) => rows.reduce((s, r) => s + r.amount, 0);

async function file(resolution: string, extra: Record<string, unknown> = {}) {
  const order = (
    await t.api.post(
      '/api/v1/orders',
      orderBody({
        shippingAmount: 0,
        lines: [
          {
            externalId: 'L1',
            sku: 'JKT',
            title: 'Jacket',
            category: 'outerwear',
            quantity: 1,
            unitPrice: 10_407,
          },
        ],
      }),
    )
  ).body;
  const body = {
    orderId: order.id,
    resolution,
    lines: [{ orderLineId: order.lines[0].id, quantity: 1, reasonCode: 'defective' }],
    ...extra,
  };
  const quote = (await t.api.post('/api/v1/returns/quote', body)).body;
  const ret = (await t.api.post('/api/v1/returns', body)).body;
  const tracking = (await t.anon.get(`/api/v1/track/${ret.trackingToken}`)).body;
  const queue = (await t.api.get(`/api/v1/console/returns?q=${encodeURIComponent(ret.rmaNumber)}`)).body.data;
  return { order, quote, ret, tracking, queue };
}

describe('a return’s total', () => {
  it('is the same everywhere for store credit with a bonus, and the rows add up to it', async () => {
    const { quote, ret, tracking, queue } = await file('store_credit');
    const expected = 10_407 + 1_040;
    expect(quote.refundQuote.breakdown.total).toBe(expected);
    expect(sum(quote.refundQuote.breakdown.rows)).toBe(expected);
    expect(ret.refundQuote.breakdown.total).toBe(expected);
    expect(tracking.refund.total).toBe(expected);
    expect(sum(tracking.refund.breakdown)).toBe(expected);
    expect(tracking.refund.breakdown).toContainEqual({ code: 'bonus', label: 'Bonus credit', amount: 1_040 });
    expect(queue[0].customerTotal).toBe(expected);
    const csv = (await t.api.get(`/api/v1/console/returns.csv?q=${encodeURIComponent(ret.rmaNumber)}`))
      .body as string;
    expect(csv).toContain('114.47');
  });

  it('pays no bonus for a same-price exchange: nothing goes back to the card', async () => {
    const { ret, tracking } = await file('exchange', {
      exchange: { items: [{ sku: 'JKT-L', title: 'Jacket, L', unitPrice: 10_407, quantity: 1 }] },
    });
    expect(ret.refundQuote.bonus).toBe(0);
    expect(ret.refundQuote.payout).toEqual({ method: 'none', amount: 0 });
    expect(tracking.refund.total).toBe(0);
    expect(tracking.refund.bonus).toBe(0);
    expect(sum(tracking.refund.breakdown)).toBe(0);
    expect(tracking.refund.breakdown.some((r: { code: string }) => r.code === 'bonus')).toBe(false);
    expect(ret.decision.explanation.join(' ')).not.toMatch(/bonus/i);
  });
});
