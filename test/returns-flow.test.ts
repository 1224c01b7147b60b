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

async function createOrder(overrides: Record<string, unknown> = {}) {
  const res = await t.api.post('/api/v1/orders', orderBody(overrides));
  expect(res.status).toBe(201);
  return res.body;
}

describe('orders', () => {
  it('imports an order and answers ids for the order and each line', async () => {
    const body = orderBody();
    const res = await t.api.post('/api/v1/orders', body);
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^ord_/);
    expect(res.body.lines).toHaveLength(2);
    expect(res.body.lines[0]).toMatchObject({
      externalId: 'L1',
      quantity: 2,
      returnedQuantity: 0,
      returnableQuantity: 2,
    });
    expect(res.body.totalAmount).toBe(2 * 3500 + 9000 + 500);
  });

  it('answers a replay with the same order and changes nothing', async () => {
    const body = orderBody();
    const first = await t.api.post('/api/v1/orders', body);
    const again = await t.api.post('/api/v1/orders', body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
  });

  it('updates the delivery date when the same order comes back with one', async () => {
    const body = orderBody({ deliveredAt: null });
    const first = await t.api.post('/api/v1/orders', body);
    const delivered = new Date().toISOString();
    const again = await t.api.post('/api/v1/orders', { ...body, deliveredAt: delivered });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.deliveredAt).toBe(delivered);
    expect(again.body.lines.map((l: { id: string }) => l.id)).toEqual(
      first.body.lines.map((l: { id: string }) => l.id),
    );
  });

  it('refuses an unknown currency and a discount larger than the line', async () => {
    const bad = await t.api.post('/api/v1/orders', orderBody({ currency: 'XYZ' }));
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('invalid_order');
    const body = orderBody();
    body.lines[0]!.discountAmount = 999_999;
    const res = await t.api.post('/api/v1/orders', body);
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].path).toBe('lines/0/discountAmount');
  });
});

describe('returns', () => {
  it('quotes without writing anything', async () => {
    const order = await createOrder();
    const res = await t.api.post('/api/v1/returns/quote', {
      orderId: order.id,
      resolution: 'refund',
      lines: [{ orderLineId: order.lines[0].id, quantity: 1, reasonCode: 'wrong_size' }],
    });
    expect(res.status).toBe(200);
    expect(res.body.eligible).toBe(true);
    expect(res.body.refundQuote.lines[0]).toMatchObject({ quantity: 1, itemAmount: 3500 });
    expect(res.body.decision.outcome).toBe('approved');
    const after = await t.api.get(`/api/v1/orders/${order.id}`);
    expect(after.body.lines[0].returnedQuantity).toBe(0);
  });

  it('files a return that the policy approves, with explanation, quote and tracking link', async () => {
    const order = await createOrder();
    const res = await t.api.post('/api/v1/returns', {
      orderId: order.id,
      resolution: 'refund',
      customerNote: 'Too small',
      lines: [{ orderLineId: order.lines[0].id, quantity: 2, reasonCode: 'wrong_size', note: 'size M fits' }],
    });
    expect(res.status).toBe(201);
    expect(res.body.rmaNumber).toMatch(/^RMA-\d{6}$/);
    expect(res.body.status).toBe('awaiting_shipment');
    expect(res.body.decision.outcome).toBe('approved');
    expect(res.body.decision.automatic).toBe(true);
    expect(res.body.decision.explanation.length).toBeGreaterThan(0);
    expect(res.body.trackingToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.body.trackingUrl).toContain(`/t/${res.body.trackingToken}`);
    const q = res.body.refundQuote;
    expect(q.currency).toBe('USD');
    // 2 x 35.00, no merchant fault: return shipping fee of 5.95 deducted, shipping not refunded.
    expect(q.lines[0]).toMatchObject({ itemAmount: 7000, shipping: 0 });
    expect(q.returnShippingFee).toBe(595);
    expect(q.total).toBe(7000 - 595);
    const ord = await t.api.get(`/api/v1/orders/${order.id}`);
    expect(ord.body.lines[0].returnedQuantity).toBe(2);
  });

  it('refuses more than is still returnable, an unknown reason and a foreign line with 422 and stores nothing', async () => {
    const order = await createOrder();
    const before = await t.api.get('/api/v1/returns?limit=100');
    const tooMany = await t.api.post('/api/v1/returns', {
      orderId: order.id,
      lines: [{ orderLineId: order.lines[0].id, quantity: 3, reasonCode: 'wrong_size' }],
    });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.code).toBe('return_not_eligible');
    expect(tooMany.body.error.details.lines[0]).toMatchObject({
      orderLineId: order.lines[0].id,
      code: 'quantity_exceeds_remaining',
    });
    const unknownReason = await t.api.post('/api/v1/returns', {
      orderId: order.id,
      lines: [{ orderLineId: order.lines[0].id, quantity: 1, reasonCode: 'bored' }],
    });
    expect(unknownReason.status).toBe(422);
    expect(unknownReason.body.error.details.lines[0].code).toBe('unknown_reason');
    const foreignLine = await t.api.post('/api/v1/returns', {
      orderId: order.id,
      lines: [{ orderLineId: 'oli_nope', quantity: 1, reasonCode: 'wrong_size' }],
    });
    expect(foreignLine.status).toBe(422);
    const after = await t.api.get('/api/v1/returns?limit=100');
    expect(after.body.data.length).toBe(before.body.data.length);
    const ord = await t.api.get(`/api/v1/orders/${order.id}`);
    expect(ord.body.lines[0].returnedQuantity).toBe(0);
  });

  it('refuses a return outside the window', async () => {
    const old = new Date(Date.now() - 120 * 86_400_000).toISOString();
    const order = await createOrder({ placedAt: old, deliveredAt: old });
    const res = await t.api.post('/api/v1/returns', {
      orderId: order.id,
      lines: [{ orderLineId: order.lines[0].id, quantity: 1, reasonCode: 'wrong_size' }],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details.lines[0].code).toBe('return_window_closed');
  });

  it('walks a return from request to closed, one event per transition', async () => {
    const order = await createOrder();
    const created = await t.api.post('/api/v1/returns', {
      orderId: order.id,
      lines: [{ orderLineId: order.lines[1].id, quantity: 1, reasonCode: 'not_as_described' }],
    });
    const id = created.body.id;
    const ship = await t.api.post(`/api/v1/returns/${id}/actions/ship`, {
      carrier: 'UPS',
      trackingNumber: '1Z999',
    });
    expect(ship.status).toBe(200);
    expect(ship.body.status).toBe('in_transit');
    expect(ship.body.shipment).toMatchObject({ carrier: 'UPS', trackingNumber: '1Z999' });
    expect((await t.api.post(`/api/v1/returns/${id}/actions/receive`)).body.status).toBe('received');
    expect((await t.api.post(`/api/v1/returns/${id}/actions/inspect`)).body.status).toBe('inspected');
    const refunding = await t.api.post(`/api/v1/returns/${id}/actions/refund`);
    expect(refunding.status).toBe(200);
    expect(refunding.body.status).toBe('refund_pending');
    expect(refunding.body.refund).toMatchObject({
      status: 'pending',
      provider: 'manual',
      method: 'original_payment',
    });
    // The outbox worker pays it out through the manual provider and settles the return.
    const refunded = await t.eventually(
      () => t.api.get(`/api/v1/returns/${id}`),
      (r) => r.body.status === 'refunded',
    );
    expect(refunded.body.refund.status).toBe('succeeded');
    const closed = await t.api.post(`/api/v1/returns/${id}/actions/close`);
    expect(closed.body.status).toBe('closed');
    expect(closed.body.allowedActions).toEqual([]);

    const all = await t.api.get(`/api/v1/returns/${id}/events`);
    // Notification deliveries share the internal timeline; the transitions are the rest.
    const events = {
      body: { data: all.body.data.filter((e: { action: string }) => !e.action.startsWith('notify_')) },
    };
    expect(events.body.data.map((e: { toStatus: string }) => e.toStatus)).toEqual([
      'submitted',
      'approved',
      'awaiting_shipment',
      'in_transit',
      'received',
      'inspected',
      'refund_pending',
      'refunded',
      'closed',
    ]);
    for (const [i, e] of events.body.data.entries()) {
      if (i > 0) expect(e.fromStatus).toBe(events.body.data[i - 1].toStatus);
    }
  });

  it('answers an illegal action with 409 and the allowed actions', async () => {
    const order = await createOrder();
    const created = await t.api.post('/api/v1/returns', {
      orderId: order.id,
      lines: [{ orderLineId: order.lines[0].id, quantity: 1, reasonCode: 'wrong_size' }],
    });
    const res = await t.api.post(`/api/v1/returns/${created.body.id}/actions/refund`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('illegal_transition');
    expect(res.body.error.details.allowedActions).toEqual(['cancel', 'ship', 'receive']);
  });

  it('gives units back when a return is cancelled', async () => {
    const order = await createOrder();
    const line = order.lines[0];
    const created = await t.api.post('/api/v1/returns', {
      orderId: order.id,
      lines: [{ orderLineId: line.id, quantity: 2, reasonCode: 'wrong_size' }],
    });
    const cancelled = await t.api.post(`/api/v1/returns/${created.body.id}/actions/cancel`, {
      note: 'Kept them after all',
    });
    expect(cancelled.body.status).toBe('cancelled');
    const ord = await t.api.get(`/api/v1/orders/${order.id}`);
    expect(ord.body.lines[0].returnedQuantity).toBe(0);
  });

  it('tracks a return publicly without personal data', async () => {
    const order = await createOrder();
    const created = await t.api.post('/api/v1/returns', {
      orderId: order.id,
      customerNote: 'private words',
      lines: [{ orderLineId: order.lines[0].id, quantity: 1, reasonCode: 'wrong_size' }],
    });
    await t.api.post(`/api/v1/returns/${created.body.id}/actions/ship`, {
      note: 'internal only',
      internal: true,
    });
    const res = await t.anon.get(`/api/v1/track/${created.body.trackingToken}`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('in_transit');
    expect(res.body.items).toEqual([{ title: 'T-shirt', quantity: 1 }]);
    expect(res.body.refund.total).toBe(created.body.refundQuote.total);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(order.customer.email);
    expect(text).not.toContain('Test Buyer');
    expect(text).not.toContain('internal only');
    expect(text).not.toContain('private words');
    expect(res.body.upcoming).toEqual(['received', 'inspected', 'refund_pending', 'refunded', 'closed']);
    expect((await t.anon.get('/api/v1/track/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
  });

  it('paginates newest first with a cursor', async () => {
    const order = await createOrder({
      lines: [
        {
          externalId: 'L1',
          sku: 'S',
          title: 'Sock',
          category: 'accessories',
          quantity: 5,
          unitPrice: 500,
          discountAmount: 0,
          taxAmount: 0,
        },
      ],
    });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await t.api.post('/api/v1/returns', {
        orderId: order.id,
        lines: [{ orderLineId: order.lines[0].id, quantity: 1, reasonCode: 'changed_mind' }],
      });
      ids.push(r.body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { id: string }[]; nextCursor: string | null } } = await t.api.get(
        `/api/v1/returns?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.data.map((r) => r.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const mine = seen.filter((id) => ids.includes(id));
    expect(mine).toEqual([...ids].reverse());
    expect(new Set(seen).size).toBe(seen.length);
  });
});
