import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/platform/clock.ts';
import { apiClient, startTestApp, type TestApp } from './helpers/test-app.ts';

/**
 * Purchasing-agent mode through HTTP: a customer journey per stage of the line, seller claims
 * that expire and that recover money, fees itemised to the unit, wallet and FX, abuse limits.
 */
const clock = fixedClock('2026-03-10T08:00:00.000Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(clock.now().getTime() - days * DAY).toISOString();

let t: TestApp;
let api: ReturnType<typeof apiClient>;
let paTenant: { tenantId: string };
let paAdminId: string;
let seq = 0;

beforeAll(async () => {
  t = await startTestApp({ clock });
  const pa = await t.services.identity.createTenant({
    name: 'Cross-border Buyers',
    kind: 'purchasing_agent',
  });
  api = apiClient(t.baseUrl, pa.apiKey);
  paTenant = pa;
  paAdminId = (await t.services.identity.listUsers(pa.tenantId))[0]!.id;
});
afterAll(async () => {
  await t?.close();
});

/** A CNY order of two lines from two sellers, with every kind of fee. */
async function paOrder(customer = `buyer-${++seq}@example.com`, extra: Record<string, unknown> = {}) {
  const res = await api.post('/api/v1/orders', {
    externalId: `pa-${seq}-${Math.random().toString(36).slice(2, 8)}`,
    orderNumber: `DG${1000 + seq}`,
    currency: 'CNY',
    placedAt: ago(20),
    customer: { email: customer, name: 'Li Wei', displayCurrency: 'USD' },
    lines: [
      {
        externalId: 'A',
        sku: 'JACKET-M',
        title: 'Down jacket',
        category: 'apparel',
        quantity: 1,
        unitPrice: 29_900,
        seller: 'Hangzhou Down Co.',
        sellerOrderRef: 'TB-88001',
      },
      {
        externalId: 'B',
        sku: 'MUG-1',
        title: 'Tea mug',
        category: 'home',
        quantity: 3,
        unitPrice: 3_333,
        seller: 'Jingdezhen Kiln',
        sellerOrderRef: 'TB-88002',
      },
    ],
    fees: [
      { kind: 'domestic_shipping', amount: 1_000, lineExternalId: 'A' },
      { kind: 'domestic_shipping', amount: 800, lineExternalId: 'B' },
      { kind: 'service_fee', amount: 1_999 },
      { kind: 'international_shipping', amount: 12_001 },
      { kind: 'insurance', amount: 1_500 },
      { kind: 'payment_fee', amount: 437 },
    ],
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; totalAmount: number; customer: { id: string }; lines: { id: string }[] };
}

async function stage(orderId: string, lineId: string, s: string, at?: string) {
  const res = await api.post(`/api/v1/orders/${orderId}/lines/${lineId}/stage`, {
    stage: s,
    ...(at ? { at } : {}),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function fileReturn(
  orderId: string,
  lines: { orderLineId: string; quantity: number; reasonCode: string }[],
) {
  return api.post('/api/v1/returns', { orderId, lines });
}

const settled = (id: string, status = 'refunded') =>
  t.eventually(
    () => api.get(`/api/v1/returns/${id}`),
    (r) => r.body.status === status,
  );

/** The itemised rows add up to exactly the refund. */
function expectItemisedExact(quote: any) {
  const rows = quote.sourcing.itemised as { refunded: number }[];
  expect(rows.reduce((s, r) => s + r.refunded, 0)).toBe(quote.total);
}

describe('stages', () => {
  it('moves a line forward with timestamps, refuses a backward move with the moves open, and 404s a foreign order', async () => {
    const o = await paOrder();
    const line = o.lines[0]!.id;
    const a = await stage(o.id, line, 'purchased', ago(5));
    expect(a.stage).toBe('purchased');
    const b = await stage(o.id, line, 'in_warehouse', ago(2));
    expect(b.domesticDeliveredAt).toBe(ago(2));
    const back = await api.post(`/api/v1/orders/${o.id}/lines/${line}/stage`, { stage: 'purchasing' });
    expect(back.status).toBe(409);
    expect(back.body.error.code).toBe('illegal_stage');
    expect(back.body.error.details.nextStages).toContain('qc_passed');
    const stored = await stage(o.id, line, 'qc_passed');
    expect(stored.storageExpiresAt).toBe(new Date(clock.now().getTime() + 90 * DAY).toISOString());
    const list = await api.get(`/api/v1/orders/${o.id}/stages`);
    expect(list.body.lines[0].history.map((h: any) => h.toStage)).toEqual([
      'purchased',
      'in_warehouse',
      'qc_passed',
    ]);
    const future = await api.post(`/api/v1/orders/${o.id}/lines/${line}/stage`, {
      stage: 'stored',
      at: new Date(clock.now().getTime() + DAY).toISOString(),
    });
    expect(future.status).toBe(422);
    const merchant = await t.api.post(`/api/v1/orders/${o.id}/lines/${line}/stage`, { stage: 'stored' });
    expect(merchant.status).toBe(404);
  });
});

describe('a customer journey per stage', () => {
  it('before purchase: cancelled at once, everything back to the wallet, shown in USD at the supplied rate', async () => {
    expect(
      (
        await api.put('/api/v1/fx-rates', {
          rates: [{ base: 'CNY', quote: 'USD', rate: '0.1387', rateDate: '2026-03-09', source: 'test' }],
        })
      ).status,
    ).toBe(200);
    const o = await paOrder();
    const res = await fileReturn(o.id, [
      { orderLineId: o.lines[0]!.id, quantity: 1, reasonCode: 'changed_mind' },
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.status).toBe('approved');
    expect(res.body.decision.explanation.join(' ')).toMatch(/had not bought .*Down jacket/);
    const q = res.body.refundQuote;
    expect(q.payout.method).toBe('store_credit');
    expect(q.sourcing.stages[0]).toMatchObject({ stage: 'paid', route: 'cancel_before_purchase' });
    // Every fee of the jacket comes back: nothing had been spent.
    for (const row of q.sourcing.itemised.filter((r: any) => r.code !== 'goods')) {
      expect(row.refunded, row.code).toBe(row.paid);
    }
    expectItemisedExact(q);
    expect(q.sourcing.display).toMatchObject({
      base: 'CNY',
      quote: 'USD',
      rate: '0.1387',
      rateDate: '2026-03-09',
    });
    expect(q.sourcing.display.converted).toBe(Math.round((q.total * 0.1387 * 100) / 100));
    await settled(res.body.id);
    const wallet = await api.get(`/api/v1/customers/${o.customer.id}/wallet`);
    expect(wallet.body.balances).toEqual([
      expect.objectContaining({
        currency: 'CNY',
        balance: q.total,
        display: expect.objectContaining({ quote: 'USD' }),
      }),
    ]);
    // A withdrawal to the original payment method takes the balance down, never below zero.
    const w = await api.post(`/api/v1/customers/${o.customer.id}/wallet/withdrawals`, {
      amount: 1000,
      currency: 'CNY',
    });
    expect(w.status, JSON.stringify(w.body)).toBe(201);
    expect(w.body.fx).toMatchObject({ rate: '0.1387', amount: 1000, converted: 139 });
    const tooMuch = await api.post(`/api/v1/customers/${o.customer.id}/wallet/withdrawals`, {
      amount: q.total,
      currency: 'CNY',
    });
    expect(tooMuch.status).toBe(422);
    expect(
      (await api.post(`/api/v1/wallet-withdrawals/${w.body.id}/paid`, { reference: 'bank-1' })).status,
    ).toBe(200);
    expect(
      (await api.post(`/api/v1/wallet-withdrawals/${w.body.id}/paid`, { reference: 'bank-1' })).status,
    ).toBe(422);
  });

  it('shows the wallet behind the tracking link, says "wallet" (not store credit), and lets the customer withdraw', async () => {
    const o = await paOrder();
    const res = await fileReturn(o.id, [
      { orderLineId: o.lines[0]!.id, quantity: 1, reasonCode: 'changed_mind' },
    ]);
    const done = await settled(res.body.id);
    const token = res.body.trackingToken;
    const total = res.body.refundQuote.breakdown.total;
    // The console's order panel counts the wallet refund, not "0 refunded".
    const order = (await api.get(`/api/v1/orders/${o.id}`)).body;
    expect(order.payment.creditIssuedAmount).toBe(total);
    // The customer hears that the money is in the wallet.
    const events = (await api.get(`/api/v1/returns/${res.body.id}/events`)).body.data;
    const note = events.find((e: { action: string }) => e.action === 'refund_succeeded').note;
    expect(note).toMatch(/added to your wallet/);
    expect(note).not.toMatch(/store credit/i);
    const inbox = await t.eventually(
      () => t.anon.get(`/api/v1/track/${token}/inbox`),
      (r) => r.body.data.some((i: { event: string }) => i.event === 'wallet_credited'),
    );
    expect(inbox.status).toBe(200);
    expect(done.body.status).toBe('refunded');

    const wallet = await t.anon.get(`/api/v1/track/${token}/wallet`);
    expect(wallet.status).toBe(200);
    expect(wallet.body.balances).toEqual([expect.objectContaining({ currency: 'CNY', balance: total })]);
    expect(JSON.stringify(wallet.body)).not.toContain('@example.com');
    const tooMuch = await t.anon.post(`/api/v1/track/${token}/wallet/withdrawals`, {
      amount: total + 1,
      currency: 'CNY',
    });
    expect(tooMuch.status).toBe(422);
    const w = await t.anon.post(`/api/v1/track/${token}/wallet/withdrawals`, {
      amount: total,
      currency: 'CNY',
    });
    expect(w.status, JSON.stringify(w.body)).toBe(201);
    const after = (await t.anon.get(`/api/v1/track/${token}/wallet`)).body;
    expect(after.balances[0].balance).toBe(0);
    expect(after.withdrawals).toEqual([expect.objectContaining({ id: w.body.id, status: 'requested' })]);
    // A shop (not a purchasing agent) keeps no wallet, and a made-up link finds none.
    const shop = await t.api.post('/api/v1/orders', {
      externalId: `m-${seq}`,
      orderNumber: `M${seq}`,
      currency: 'USD',
      placedAt: ago(3),
      deliveredAt: ago(2),
      customer: { email: `m-${seq}@example.com` },
      lines: [{ externalId: '1', sku: 'S', title: 'Shirt', quantity: 1, unitPrice: 1000 }],
    });
    const shopReturn = await t.api.post('/api/v1/returns', {
      orderId: shop.body.id,
      lines: [{ orderLineId: shop.body.lines[0].id, quantity: 1, reasonCode: 'wrong_size' }],
    });
    expect((await t.anon.get(`/api/v1/track/${shopReturn.body.trackingToken}/wallet`)).status).toBe(404);
    expect((await t.anon.get(`/api/v1/track/${'x'.repeat(43)}/wallet`)).status).toBe(404);
  });

  it('after purchase: a cancellation request to the seller; the refund follows their confirmation', async () => {
    const o = await paOrder();
    const line = o.lines[0]!.id;
    await stage(o.id, line, 'purchased', ago(1));
    const res = await fileReturn(o.id, [{ orderLineId: line, quantity: 1, reasonCode: 'changed_mind' }]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.status).toBe('needs_review');
    expect(res.body.decision.explanation.join(' ')).toMatch(/asking the seller to cancel/);
    const itemised = Object.fromEntries(res.body.refundQuote.sourcing.itemised.map((r: any) => [r.code, r]));
    expect(itemised.domestic_shipping).toMatchObject({ paid: 1000, refunded: 1000, reason: 'unspent' });
    expect(itemised.service_fee.refunded).toBe(0);
    expect(itemised.service_fee.reason).toBe('spent');
    expectItemisedExact(res.body.refundQuote);
    const claims = await api.get(`/api/v1/seller-claims?returnId=${res.body.id}`);
    expect(claims.body.items).toHaveLength(1);
    const claim = claims.body.items[0];
    expect(claim).toMatchObject({
      kind: 'cancellation',
      seller: 'Hangzhou Down Co.',
      status: 'draft',
      amountExpected: 29_900 + 1000,
    });
    expect(claim.messages['zh-CN']).toContain('TB-88001');
    expect(claim.messages['zh-CN']).toContain('申请取消订单');
    expect((await api.post(`/api/v1/seller-claims/${claim.id}/send`, {})).body.status).toBe('sent');
    const accepted = await api.post(`/api/v1/seller-claims/${claim.id}/accept`, { expectedVersion: 2 });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    await settled(res.body.id);
    const stages = await api.get(`/api/v1/orders/${o.id}/stages`);
    expect(stages.body.lines[0].stage).toBe('cancelled');
    const stale = await api.post(`/api/v1/seller-claims/${claim.id}/refuse`, {});
    expect(stale.status).toBe(409);
  });

  it('in the warehouse within the seller window: back to the seller, the customer pays domestic return shipping', async () => {
    const o = await paOrder();
    const line = o.lines[1]!.id;
    await stage(o.id, line, 'in_warehouse', ago(2));
    await stage(o.id, line, 'qc_passed', ago(1));
    const res = await fileReturn(o.id, [{ orderLineId: line, quantity: 2, reasonCode: 'changed_mind' }]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.status).toBe('approved');
    const q = res.body.refundQuote;
    expect(q.sourcing.stages[0].sellerDeadline).toBe(new Date(Date.parse(ago(2)) + 7 * DAY).toISOString());
    const itemised = Object.fromEntries(q.sourcing.itemised.map((r: any) => [r.code, r]));
    expect(itemised.domestic_return_shipping.refunded).toBe(-1200);
    expect(itemised.domestic_shipping.refunded).toBe(0);
    expect(itemised.international_shipping.refunded).toBe(itemised.international_shipping.paid);
    // Two of three mugs: 3333 × 2.
    expect(itemised.goods.refunded).toBe(6666);
    expectItemisedExact(q);
    expect(res.body.decision.explanation.join(' ')).toMatch(/goes back to the seller, who accepts it until/);
    await settled(res.body.id);
    // The tracking page answers "why did I get less?" line by line, with the seller's deadline.
    const track = await t.anon.get(`/api/v1/track/${res.body.trackingToken}?lang=zh-CN`);
    expect(track.status).toBe(200);
    expect(track.body.sourcing.stages[0]).toMatchObject({ title: 'Tea mug', stage: 'qc_passed' });
    expect(track.body.sourcing.itemised).toEqual(q.sourcing.itemised);
    expect(track.body.refund.breakdown.map((b: any) => b.label)).not.toContain('Adjusted at inspection');
    expect(track.body.refund.breakdown.reduce((a: number, b: any) => a + b.amount, 0)).toBe(q.total);
    expect(track.body.explanation.join('')).toContain('退回卖家');
    expect(JSON.stringify(track.body)).not.toContain('@example.com');
    const claim = (await api.get(`/api/v1/seller-claims?returnId=${res.body.id}`)).body.items[0];
    expect(claim).toMatchObject({ kind: 'return', status: 'draft', amountExpected: 6666 });

    // The seller refunds part: recovered, the line is back with them, the position is net.
    await api.post(`/api/v1/seller-claims/${claim.id}/send`, {});
    const over = await api.post(`/api/v1/seller-claims/${claim.id}/refund`, { amountRecovered: 99_999 });
    expect(over.status).toBe(422);
    const paid = await api.post(`/api/v1/seller-claims/${claim.id}/refund`, { amountRecovered: 6000 });
    expect(paid.body).toMatchObject({ status: 'refunded', amountRecovered: 6000 });
    const pos = await api.get(`/api/v1/returns/${res.body.id}/position`);
    expect(pos.body).toMatchObject({
      paidOut: q.total,
      recovered: 6000,
      net: 6000 - q.total,
      pendingRecovery: 0,
    });
    const stats = await api.get('/api/v1/sellers/claim-stats');
    const kiln = stats.body.sellers.find((s: any) => s.seller === 'Jingdezhen Kiln');
    expect(kiln).toMatchObject({ won: 1, recovered: { CNY: 6000 } });
    expect((await api.get(`/api/v1/orders/${o.id}/stages`)).body.lines[1].stage).toBe('returned_to_seller');
    const tracked = await t.anon.get(`/api/v1/track/${res.body.trackingToken}`);
    expect(tracked.body.sourcing.stages[0].stage).toBe('returned_to_seller');
  });

  it('a claim nobody settles is flagged at risk, then expires at the seller deadline', async () => {
    const o = await paOrder();
    const line = o.lines[0]!.id;
    await stage(o.id, line, 'in_warehouse', ago(1));
    await stage(o.id, line, 'qc_passed', ago(1));
    const res = await fileReturn(o.id, [{ orderLineId: line, quantity: 1, reasonCode: 'wrong_size' }]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const claim = (await api.get(`/api/v1/seller-claims?returnId=${res.body.id}`)).body.items[0];
    expect(claim.deadlineAt).toBe(new Date(Date.parse(ago(1)) + 7 * DAY).toISOString());
    expect(
      (await api.get('/api/v1/seller-claims?atRisk=true')).body.items.map((c: any) => c.id),
    ).not.toContain(claim.id);
    clock.advance(5 * DAY); // 48 h before the deadline
    t.services.worker.kick();
    await t.eventually(
      () => api.get(`/api/v1/seller-claims/${claim.id}`),
      (r) => r.body.warnedAt !== null,
    );
    expect((await api.get('/api/v1/seller-claims?atRisk=true')).body.items.map((c: any) => c.id)).toContain(
      claim.id,
    );
    const queue = await api.get('/api/v1/console/returns?queue=seller_deadline');
    expect(queue.body.data.map((r: any) => r.id)).toContain(res.body.id);
    expect((await api.get('/api/v1/console/queues')).body.seller_deadline).toBeGreaterThanOrEqual(1);
    clock.advance(2 * DAY);
    t.services.worker.kick();
    const expired = await t.eventually(
      () => api.get(`/api/v1/seller-claims/${claim.id}`),
      (r) => r.body.status === 'expired',
    );
    expect(expired.body.allowedActions).toEqual([]);
    const events = await api.get(`/api/v1/returns/${res.body.id}/events`);
    expect(events.body.data.map((e: any) => e.action)).toEqual(
      expect.arrayContaining(['seller_claim_opened', 'seller_claim_at_risk', 'seller_claim_expired']),
    );
    // Staff heard about it once per step: in-app (and by email, stored without SMTP).
    const inbox = await t.eventually(
      () => t.services.notify.inbox(paTenant.tenantId, { type: 'user', id: paAdminId }, { limit: 50 }),
      (r: any) => r.data.filter((i: any) => i.url === `/console/returns/${res.body.id}`).length === 2,
    );
    expect(inbox.data.map((i: any) => i.title)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Seller claim at risk/),
        expect.stringMatching(/^Seller claim expired/),
      ]),
    );
    clock.advance(-7 * DAY);
  });

  it('past the seller window: refused with the date the window closed', async () => {
    const o = await paOrder();
    const line = o.lines[0]!.id;
    await stage(o.id, line, 'in_warehouse', ago(9));
    const res = await fileReturn(o.id, [{ orderLineId: line, quantity: 1, reasonCode: 'changed_mind' }]);
    expect(res.status).toBe(422);
    expect(res.body.error.details.lines[0].code).toBe('seller_window_closed');
    expect(res.body.error.details.lines[0].reason).toMatch(/7-day return window .* closed on/);
  });

  it('QC failed: a free return to the seller is filed automatically and refunded to the wallet', async () => {
    const o = await paOrder();
    const line = o.lines[1]!.id;
    await stage(o.id, line, 'in_warehouse', ago(1));
    const failed = await stage(o.id, line, 'qc_failed');
    expect(failed.offer).toMatchObject({ returnId: expect.any(String) });
    const r = await settled(failed.offer.returnId);
    const q = r.body.refundQuote;
    const itemised = Object.fromEntries(q.sourcing.itemised.map((x: any) => [x.code, x]));
    expect(itemised.domestic_return_shipping).toBeUndefined();
    expect(itemised.domestic_shipping).toMatchObject({ refunded: 800, reason: 'seller_fault' });
    expect(itemised.service_fee.reason).toBe('seller_fault');
    expect(itemised.payment_fee.refunded).toBe(0);
    expectItemisedExact(q);
    const claim = (await api.get(`/api/v1/seller-claims?returnId=${failed.offer.returnId}`)).body.items[0];
    expect(claim.messages['zh-CN']).toContain('质检不合格');
    const pack = await api.get(`/api/v1/seller-claims/${claim.id}/evidence-pack`);
    expect(pack.status).toBe(200);
    expect(pack.body.line.history.map((h: any) => h.toStage)).toEqual(['in_warehouse', 'qc_failed']);
  });

  it('after international shipping: only damage or loss, and an insured parcel gets its shipping back', async () => {
    const o = await paOrder();
    const line = o.lines[0]!.id;
    await stage(o.id, line, 'shipped_international', ago(3));
    const mind = await fileReturn(o.id, [{ orderLineId: line, quantity: 1, reasonCode: 'changed_mind' }]);
    expect(mind.status).toBe(422);
    expect(mind.body.error.details.lines[0].code).toBe('shipped_only_damage');
    const lost = await fileReturn(o.id, [{ orderLineId: line, quantity: 1, reasonCode: 'lost_in_transit' }]);
    expect(lost.status, JSON.stringify(lost.body)).toBe(201);
    expect(lost.body.status).toBe('needs_review');
    const itemised = Object.fromEntries(lost.body.refundQuote.sourcing.itemised.map((x: any) => [x.code, x]));
    expect(itemised.international_shipping).toMatchObject({ reason: 'insured' });
    expect(itemised.international_shipping.refunded).toBe(itemised.international_shipping.paid);
    expect(itemised.insurance.refunded).toBe(0);
    expectItemisedExact(lost.body.refundQuote);
    expect((await api.get(`/api/v1/seller-claims?returnId=${lost.body.id}`)).body.items).toEqual([]);
    await api.post(`/api/v1/returns/${lost.body.id}/actions/approve`, {});
    await settled(lost.body.id);
  });
});

describe('abuse limits', () => {
  it('past the monthly free returns a fee applies; many no-reason returns send requests to review', async () => {
    const email = `serial-${Date.now()}@example.com`;
    const statuses: string[] = [];
    const fees: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      const o = await paOrder(email);
      await stage(o.id, o.lines[1]!.id, 'qc_passed', ago(1));
      const res = await fileReturn(o.id, [
        { orderLineId: o.lines[1]!.id, quantity: 1, reasonCode: 'changed_mind' },
      ]);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      statuses.push(res.body.status);
      fees.push(res.body.refundQuote.fees.some((f: any) => f.code === 'over_quota'));
    }
    expect(fees).toEqual([false, false, false, true, true]);
    expect(statuses.slice(0, 4)).toEqual(['approved', 'approved', 'approved', 'approved']);
    expect(statuses[4]).toBe('needs_review');
    const last = (await api.get(`/api/v1/console/returns?q=${encodeURIComponent(email)}`)).body.data[0];
    const kase = await api.get(`/api/v1/console/returns/${last.id}`);
    expect(kase.body.sourcing.risk).toMatchObject({ frequentNoReason: true, noReasonReturns90d: 5 });
    expect(kase.body.sourcing.lines[1].stage).toBe('qc_passed');
    expect(kase.body.return.decision.explanation.join(' ')).toMatch(/recent returns without a reason/);
  });
});

describe('the monthly free returns', () => {
  it('are not used up by cancellations before purchase, whose lines leave the to-buy list', async () => {
    const email = `canceller-${Date.now()}@example.com`;
    for (let i = 0; i < 3; i++) {
      const o = await paOrder(email);
      await stage(o.id, o.lines[0]!.id, 'purchasing', ago(1));
      const res = await fileReturn(o.id, [
        { orderLineId: o.lines[0]!.id, quantity: 1, reasonCode: 'changed_mind' },
      ]);
      expect(res.body.refundQuote.sourcing.stages[0].route).toBe('cancel_before_purchase');
      await settled(res.body.id);
      // Refunded before anyone bought it: cancelled, and nothing more to buy.
      const stages = (await api.get(`/api/v1/orders/${o.id}/stages`)).body.lines[0];
      expect(stages.stage).toBe('cancelled');
      expect(stages.nextStages).not.toContain('purchased');
    }
    // A fourth, changed-mind return of goods already in the warehouse is still free.
    const o = await paOrder(email);
    await stage(o.id, o.lines[1]!.id, 'qc_passed', ago(1));
    const res = await fileReturn(o.id, [
      { orderLineId: o.lines[1]!.id, quantity: 1, reasonCode: 'changed_mind' },
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.refundQuote.fees.some((f: { code: string }) => f.code === 'over_quota')).toBe(false);
    expect(res.body.decision.explanation.join(' ')).not.toMatch(/free returns/);
  });
});

describe('fx rates', () => {
  it('refuses a bad rate and the same currency on both sides, naming the field', async () => {
    const res = await api.put('/api/v1/fx-rates', {
      rates: [
        { base: 'CNY', quote: 'CNY', rate: '1', rateDate: '2026-03-09' },
        { base: 'CNY', quote: 'EUR', rate: '-1', rateDate: '2026-03-09' },
      ],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: any) => d.path)).toEqual(['rates/0/quote', 'rates/1/rate']);
  });
});

describe('analytics by seller', () => {
  it('groups the return rate by the upstream seller of the lines', async () => {
    const res = await api.get('/api/v1/analytics/return-rate?groupBy=seller&from=2026-01-01&to=2026-12-31');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const keys = res.body.data.map((r: { key: string }) => r.key);
    expect(keys).toEqual(expect.arrayContaining(['Hangzhou Down Co.', 'Jingdezhen Kiln']));
    const kiln = res.body.data.find((r: { key: string }) => r.key === 'Jingdezhen Kiln');
    expect(kiln.unitsSold).toBeGreaterThan(0);
    expect(kiln.unitsReturned).toBeGreaterThan(0);
  });
});
