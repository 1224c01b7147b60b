import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody } from './helpers/fixtures.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const line = (
  externalId: string,
  unitPrice: number,
  quantity: number,
  extra: Record<string, unknown> = {},
) => ({
  externalId,
  sku: `SKU-${externalId}`,
  title: `Item ${externalId}`,
  category: 'general',
  quantity,
  unitPrice,
  discountAmount: 0,
  taxAmount: 0,
  ...extra,
});

async function order(overrides: Record<string, unknown> = {}) {
  const res = await t.api.post('/api/v1/orders', orderBody(overrides));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function fileReturn(body: Record<string, unknown>) {
  const res = await t.api.post('/api/v1/returns', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Moves an approved return to inspected (approving it first when the policy left it for review). */
async function toInspected(id: string, inspectBody: Record<string, unknown> = {}) {
  let current = await t.api.get(`/api/v1/returns/${id}`);
  if (current.body.status === 'needs_review')
    current = await t.api.post(`/api/v1/returns/${id}/actions/approve`);
  // A returnless refund skips the parcel: it is refunded straight from approved.
  if (current.body.returnless) return current.body;
  for (const a of ['receive'])
    expect((await t.api.post(`/api/v1/returns/${id}/actions/${a}`)).status).toBe(200);
  const inspected = await t.api.post(`/api/v1/returns/${id}/actions/inspect`, inspectBody);
  expect(inspected.status, JSON.stringify(inspected.body)).toBe(200);
  return inspected.body;
}

async function refundAndSettle(id: string) {
  const res = await t.api.post(`/api/v1/returns/${id}/actions/refund`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return t.eventually(
    () => t.api.get(`/api/v1/returns/${id}`),
    (r) => r.body.status === 'refunded' || r.body.refund?.status === 'failed',
  );
}

describe('refund to the original payment', () => {
  it('shows captured, refunded and refundable money on the order, summed from the ledger', async () => {
    const o = await order();
    expect(o.payment).toMatchObject({
      provider: 'manual',
      capturedAmount: o.totalAmount,
      refundedAmount: 0,
      refundableAmount: o.totalAmount,
    });
    const r = await fileReturn({
      orderId: o.id,
      lines: [{ orderLineId: o.lines[1].id, quantity: 1, reasonCode: 'not_as_described' }],
    });
    await toInspected(r.id);
    const done = await refundAndSettle(r.id);
    expect(done.body.status).toBe('refunded');
    const after = (await t.api.get(`/api/v1/orders/${o.id}`)).body.payment;
    expect(after.refundedAmount).toBe(r.refundTotal);
    expect(after.pendingRefundAmount).toBe(0);
    expect(after.refundableAmount).toBe(o.totalAmount - r.refundTotal);
  });

  it('refunds exactly what was paid when every unit comes back in several partial returns', async () => {
    const o = await order({
      shippingAmount: 799,
      discountAmount: 1001,
      taxAmount: 333,
      lines: [
        line('A', 1999, 3, { discountAmount: 7, taxAmount: 161 }),
        line('B', 4999, 2, { taxAmount: 401 }),
        line('C', 350, 7),
      ],
    });
    // Merchant-fault reason: no return shipping fee and the shipping share comes back too.
    const plan = [
      [0, 1],
      [2, 4],
      [1, 1],
      [0, 2],
      [2, 3], // partial returns of A, C, B, A, C
    ] as const;
    for (const [li, qty] of plan) {
      const r = await fileReturn({
        orderId: o.id,
        lines: [{ orderLineId: o.lines[li].id, quantity: qty, reasonCode: 'wrong_item' }],
      });
      await toInspected(r.id);
      expect((await refundAndSettle(r.id)).body.status).toBe('refunded');
    }
    const last = await fileReturn({
      orderId: o.id,
      lines: [{ orderLineId: o.lines[1].id, quantity: 1, reasonCode: 'wrong_item' }],
    });
    await toInspected(last.id);
    await refundAndSettle(last.id);
    const money = (await t.api.get(`/api/v1/orders/${o.id}`)).body.payment;
    expect(money.refundedAmount).toBe(o.totalAmount);
    expect(money.refundableAmount).toBe(0);
  });

  it('lets exactly one of 50 concurrent refund calls refund a return', async () => {
    const o = await order();
    const r = await fileReturn({
      orderId: o.id,
      lines: [{ orderLineId: o.lines[1].id, quantity: 1, reasonCode: 'wrong_size' }],
    });
    await toInspected(r.id);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => t.api.post(`/api/v1/returns/${r.id}/actions/refund`)),
    );
    expect(results.filter((x) => x.status === 200)).toHaveLength(1);
    expect(results.filter((x) => x.status !== 200).every((x) => x.status === 409)).toBe(true);
    await t.eventually(
      () => t.api.get(`/api/v1/returns/${r.id}`),
      (x) => x.body.status === 'refunded',
    );
    const refunds = await t.handle.db
      .selectFrom('refunds')
      .selectAll()
      .where('returnId', '=', r.id)
      .execute();
    expect(refunds).toHaveLength(1);
    const entries = await t.handle.db
      .selectFrom('ledgerEntries')
      .selectAll()
      .where('returnId', '=', r.id)
      .where('kind', '=', 'refund_started')
      .execute();
    expect(entries).toHaveLength(1);
  });

  it('refuses a refund in another currency than the order was paid in with 422', async () => {
    const o = await order();
    const r = await fileReturn({
      orderId: o.id,
      lines: [{ orderLineId: o.lines[1].id, quantity: 1, reasonCode: 'wrong_size' }],
    });
    await toInspected(r.id);
    const res = await t.api.post(`/api/v1/returns/${r.id}/actions/refund`, { currency: 'EUR' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('currency_mismatch');
    expect((await t.api.get(`/api/v1/returns/${r.id}`)).body.status).toBe('inspected');
  });

  it('never refunds more than was captured, even when the quote says more', async () => {
    const o = await order({
      lines: [line('A', 10_000, 1)],
      shippingAmount: 0,
      payment: { provider: 'manual', capturedAmount: 4_000 },
    });
    expect(o.payment.capturedAmount).toBe(4_000);
    const r = await fileReturn({
      orderId: o.id,
      lines: [{ orderLineId: o.lines[0].id, quantity: 1, reasonCode: 'wrong_item' }],
    });
    await toInspected(r.id);
    const res = await t.api.post(`/api/v1/returns/${r.id}/actions/refund`);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('refund_exceeds_captured');
    const pay = await t.handle.db
      .selectFrom('orderPayments')
      .selectAll()
      .where('orderId', '=', o.id)
      .executeTakeFirstOrThrow();
    expect(pay.refundedAmount).toBe(0);
  });

  it('the database itself refuses a refunded amount above the captured amount', async () => {
    const o = await order();
    await expect(
      t.handle.db
        .updateTable('orderPayments')
        .set({ refundedAmount: o.totalAmount + 1 })
        .where('orderId', '=', o.id)
        .execute(),
    ).rejects.toThrow();
  });
});

describe('partial refunds at inspection', () => {
  it('refunds only accepted units, and an agent can refund less with a reason', async () => {
    const o = await order({ lines: [line('A', 3_000, 3)] });
    const r = await fileReturn({
      orderId: o.id,
      lines: [{ orderLineId: o.lines[0].id, quantity: 3, reasonCode: 'not_as_described' }],
    });
    const noReason = await t.api.post(`/api/v1/returns/${r.id}/actions/receive`);
    expect(noReason.status).toBe(200);
    const missing = await t.api.post(`/api/v1/returns/${r.id}/actions/inspect`, { refundAmount: 1_000 });
    expect(missing.status).toBe(422);
    expect(missing.body.error.code).toBe('reason_required');
    const tooMuch = await t.api.post(`/api/v1/returns/${r.id}/actions/inspect`, {
      refundAmount: 999_999,
      reason: 'no' + 'pe',
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error.code).toBe('refund_above_inspection');
    const inspected = await t.api.post(`/api/v1/returns/${r.id}/actions/inspect`, {
      lines: [{ returnLineId: r.lines[0].id, acceptedQuantity: 2, condition: 'used' }],
      refundAmount: 4_500,
      reason: 'One unit was worn; the other has a stain.',
    });
    expect(inspected.status).toBe(200);
    expect(inspected.body.refundTotal).toBe(4_500);
    expect(inspected.body.adjustment).toMatchObject({
      amount: 4_500,
      reason: 'One unit was worn; the other has a stain.',
    });
    expect(inspected.body.lines[0]).toMatchObject({ acceptedQuantity: 2, condition: 'used' });
    const done = await refundAndSettle(r.id);
    expect(done.body.refund.amount).toBe(4_500);
    const track = await t.anon.get(`/api/v1/track/${r.trackingToken}`);
    const rows = track.body.refund.breakdown as { label: string; amount: number }[];
    expect(rows.reduce((a, x) => a + x.amount, 0)).toBe(4_500);
    expect(rows.some((x) => x.label === 'Adjusted at inspection')).toBe(true);
  });
});

describe('store credit', () => {
  it('issues credit plus the policy bonus at once, and spends it down to zero but not below', async () => {
    const o = await order({ lines: [line('A', 5_000, 1)], shippingAmount: 0 });
    const r = await fileReturn({
      orderId: o.id,
      resolution: 'store_credit',
      lines: [{ orderLineId: o.lines[0].id, quantity: 1, reasonCode: 'not_as_described' }],
    });
    expect(r.refundQuote.payout).toEqual({ method: 'store_credit', amount: 5_000 });
    expect(r.refundQuote.bonus).toBe(500);
    expect(r.decision.explanation.join(' ')).toContain('store credit');
    await toInspected(r.id);
    const res = await t.api.post(`/api/v1/returns/${r.id}/actions/refund`);
    expect(res.body.status).toBe('refunded');
    expect(res.body.refund).toMatchObject({
      method: 'store_credit',
      status: 'succeeded',
      amount: 5_000,
      bonusAmount: 500,
    });
    const credit = await t.api.get(`/api/v1/customers/${o.customer.id}/credit`);
    expect(credit.body.balances).toEqual([{ currency: 'USD', balance: 5_500 }]);
    expect(credit.body.entries.map((e: { kind: string }) => e.kind).sort()).toEqual([
      'credit_bonus',
      'credit_issued',
    ]);
    const spend = await t.api.post(`/api/v1/customers/${o.customer.id}/credit/spend`, {
      amount: 5_000,
      currency: 'USD',
      reference: 'cart-1',
    });
    expect(spend.body.balances).toEqual([{ currency: 'USD', balance: 500 }]);
    const over = await t.api.post(`/api/v1/customers/${o.customer.id}/credit/spend`, {
      amount: 501,
      currency: 'USD',
      reference: 'cart-2',
    });
    expect(over.status).toBe(422);
    expect(over.body.error.code).toBe('insufficient_credit');
    const money = (await t.api.get(`/api/v1/orders/${o.id}`)).body.payment;
    expect(money.creditIssuedAmount).toBe(5_000);
    expect(money.refundableAmount).toBe(o.totalAmount - 5_000);
  });

  it("answers 404 for another tenant's customer credit", async () => {
    const o = await order();
    const other = await t.otherTenant();
    expect((await other.api.get(`/api/v1/customers/${o.customer.id}/credit`)).status).toBe(404);
  });
});

describe('exchange and replacement', () => {
  it('refunds the difference of a cheaper exchange and ships the new item before closing', async () => {
    const o = await order({ lines: [line('A', 10_000, 1)], shippingAmount: 0 });
    const r = await fileReturn({
      orderId: o.id,
      resolution: 'exchange',
      exchange: { items: [{ sku: 'SKU-A-L', title: 'Item A, size L', unitPrice: 8_000, quantity: 1 }] },
      lines: [{ orderLineId: o.lines[0].id, quantity: 1, reasonCode: 'wrong_item' }],
    });
    // The new item costs 80.00 of the 100.00; 20.00 come back in cash. The store-credit bonus is
    // for store credit only, so it neither pays for the new item nor comes back as cash.
    expect(r.refundQuote.bonus).toBe(0);
    expect(r.refundQuote.payout).toEqual({ method: 'original_payment', amount: 2_000 });
    expect(r.refundQuote.exchange).toMatchObject({ itemsTotal: 8_000, amountDue: 0 });
    expect(r.fulfillment).toMatchObject({ status: 'pending', items: [{ sku: 'SKU-A-L', quantity: 1 }] });
    await toInspected(r.id);
    const done = await refundAndSettle(r.id);
    expect(done.body.refund.amount).toBe(2_000);
    const early = await t.api.post(`/api/v1/returns/${r.id}/actions/close`);
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain('replacement has not shipped');
    const shipped = await t.api.post(`/api/v1/returns/${r.id}/actions/ship_replacement`, {
      carrier: 'DHL',
      trackingNumber: 'JD01',
    });
    expect(shipped.body.fulfillment).toMatchObject({
      status: 'shipped',
      carrier: 'DHL',
      trackingNumber: 'JD01',
    });
    expect((await t.api.post(`/api/v1/returns/${r.id}/actions/close`)).body.status).toBe('closed');
  });

  it('asks for the difference of a dearer exchange and pays nothing out', async () => {
    const o = await order({ lines: [line('A', 5_000, 1)], shippingAmount: 0 });
    const r = await fileReturn({
      orderId: o.id,
      resolution: 'exchange',
      exchange: { items: [{ sku: 'SKU-B', title: 'Item B', unitPrice: 9_000, quantity: 1 }] },
      lines: [{ orderLineId: o.lines[0].id, quantity: 1, reasonCode: 'wrong_item' }],
    });
    expect(r.refundQuote.exchange.amountDue).toBe(9_000 - 5_000);
    expect(r.refundQuote.payout.amount).toBe(0);
    await toInspected(r.id);
    const res = await t.api.post(`/api/v1/returns/${r.id}/actions/refund`);
    expect(res.body.status).toBe('refunded');
    expect(res.body.refund).toBeNull();
  });

  it('replaces a defective item without moving money', async () => {
    const o = await order({ lines: [line('A', 7_000, 1)] });
    const r = await fileReturn({
      orderId: o.id,
      resolution: 'replacement',
      lines: [{ orderLineId: o.lines[0].id, quantity: 1, reasonCode: 'wrong_item' }],
    });
    expect(r.refundTotal).toBe(0);
    expect(r.fulfillment.items).toEqual([{ sku: 'SKU-A', title: 'Item A', quantity: 1 }]);
    await toInspected(r.id);
    const shipped = await t.api.post(`/api/v1/returns/${r.id}/actions/ship_replacement`);
    expect(shipped.status).toBe(200);
    expect((await t.api.post(`/api/v1/returns/${r.id}/actions/refund`)).body.status).toBe('refunded');
    expect((await t.api.post(`/api/v1/returns/${r.id}/actions/close`)).body.status).toBe('closed');
    const money = (await t.api.get(`/api/v1/orders/${o.id}`)).body.payment;
    expect(money.refundedAmount).toBe(0);
  });

  it('refuses an exchange without items and a resolution the shop does not offer', async () => {
    const o = await order();
    const noItems = await t.api.post('/api/v1/returns', {
      orderId: o.id,
      resolution: 'exchange',
      lines: [{ orderLineId: o.lines[0].id, quantity: 1, reasonCode: 'wrong_size' }],
    });
    expect(noItems.status).toBe(422);
    expect(noItems.body.error.code).toBe('exchange_items_required');
    const repair = await t.api.post('/api/v1/returns', {
      orderId: o.id,
      resolution: 'repair',
      lines: [{ orderLineId: o.lines[0].id, quantity: 1, reasonCode: 'wrong_size' }],
    });
    expect(repair.status).toBe(422);
    expect(repair.body.error.code).toBe('resolution_not_offered');
  });
});

describe('keep the item', () => {
  it('asks an agent when the customer wants to keep an item the policy would want back', async () => {
    const o = await order({ lines: [line('A', 9_000, 1)] });
    const r = await fileReturn({
      orderId: o.id,
      resolution: 'keep_item',
      lines: [{ orderLineId: o.lines[0].id, quantity: 1, reasonCode: 'not_as_described' }],
    });
    expect(r.status).toBe('needs_review');
    expect(r.returnless).toBe(true);
    const approved = await t.api.post(`/api/v1/returns/${r.id}/actions/approve`);
    expect(approved.body.status).toBe('approved');
    const done = await refundAndSettle(r.id);
    expect(done.body.status).toBe('refunded');
  });
});

describe('ledger', () => {
  it('keeps every transfer balanced and the guard row equal to the ledger', async () => {
    const o = await order();
    const r = await fileReturn({
      orderId: o.id,
      lines: [{ orderLineId: o.lines[0].id, quantity: 2, reasonCode: 'wrong_size' }],
    });
    await toInspected(r.id);
    await refundAndSettle(r.id);
    const entries = await t.handle.db
      .selectFrom('ledgerEntries')
      .selectAll()
      .where('orderId', '=', o.id)
      .execute();
    for (const e of entries) {
      expect(e.amount).toBeGreaterThan(0);
      expect(e.debitAccount).not.toBe(e.creditAccount);
    }
    const sum = (kind: string) => entries.filter((e) => e.kind === kind).reduce((a, e) => a + e.amount, 0);
    const pay = await t.handle.db
      .selectFrom('orderPayments')
      .selectAll()
      .where('orderId', '=', o.id)
      .executeTakeFirstOrThrow();
    expect(pay.refundedAmount).toBe(sum('refund_started') - sum('refund_failed'));
    expect(sum('capture')).toBe(o.totalAmount);
    expect(sum('fee_kept')).toBe(r.refundQuote.returnShippingFee + r.refundQuote.restockingFees);
  });
});
