import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody } from './helpers/fixtures.ts';
import { staffClient, startTestApp, type TestApp } from './helpers/test-app.ts';

/**
 * The review's third finding: a staff session (even the lowest role) could re-import an order
 * with higher prices and a higher captured amount, then refund them. Orders come from
 * integrations; once a return exists their money is frozen; every accepted change is logged.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function orderWithReturn() {
  const body = orderBody();
  const order = (await t.api.post('/api/v1/orders', body)).body;
  const ret = await t.api.post('/api/v1/returns', {
    orderId: order.id,
    resolution: 'refund',
    lines: [{ orderLineId: order.lines[0].id, quantity: 1, reasonCode: 'wrong_size' }],
  });
  expect(ret.status, JSON.stringify(ret.body)).toBe(201);
  return { body, order, ret: ret.body };
}

const pricier = (body: ReturnType<typeof orderBody>) => {
  const lines = (body.lines as { unitPrice: number }[]).map((l) => ({ ...l, unitPrice: l.unitPrice * 10 }));
  return { ...body, lines };
};

describe('order import and change', () => {
  it.each(['agent', 'warehouse', 'supervisor', 'admin'] as const)(
    'is for integrations: a %s session is refused and nothing changes',
    async (role) => {
      const staff = await staffClient(t, role);
      const { body, order } = await orderWithReturn();
      const res = await staff.post('/api/v1/orders', pricier(body));
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('api_key_required');
      const created = await staff.post('/api/v1/orders', orderBody());
      expect(created.status).toBe(403);
      expect((await t.api.get(`/api/v1/orders/${order.id}`)).body.lines[0].unitPrice).toBe(
        order.lines[0].unitPrice,
      );
    },
  );

  it('refuses changes to prices or the captured amount once the order has a return, even a cancelled one', async () => {
    const { body, order, ret } = await orderWithReturn();
    const prices = await t.api.post('/api/v1/orders', pricier(body));
    expect(prices.status).toBe(409);
    expect(prices.body.error.code).toBe('order_has_returns');
    expect(prices.body.error.details.changes).toContainEqual({
      field: 'lines[L1].unitPrice',
      before: 3500,
      after: 35_000,
    });
    const captured = await t.api.post('/api/v1/orders', {
      ...body,
      payment: { provider: 'manual', capturedAmount: order.totalAmount - 100 },
    });
    expect(captured.status).toBe(409);

    expect((await t.api.post(`/api/v1/returns/${ret.id}/actions/cancel`, {})).status).toBe(200);
    const afterCancel = await t.api.post('/api/v1/orders', pricier(body));
    expect(afterCancel.status).toBe(409);
    const now = await t.api.get(`/api/v1/orders/${order.id}`);
    expect(now.body.totalAmount).toBe(order.totalAmount);
    expect(now.body.payment.capturedAmount).toBe(order.totalAmount);
    // Dates and customer details may still change.
    const later = await t.api.post('/api/v1/orders', { ...body, deliveredAt: new Date().toISOString() });
    expect(later.status).toBe(200);
    expect((await t.api.get(`/api/v1/orders/${order.id}/events`)).body.data).toEqual([]);
  });

  it('records each accepted change of money before any return: field, before, after, by whom', async () => {
    const body = orderBody();
    const order = (await t.api.post('/api/v1/orders', body)).body;
    const changed = await t.api.post('/api/v1/orders', {
      ...body,
      shippingAmount: 900,
      lines: [{ ...(body.lines as object[])[0]!, unitPrice: 3000 }, (body.lines as object[])[1]],
    });
    expect(changed.status).toBe(200);
    const events = (await t.api.get(`/api/v1/orders/${order.id}/events`)).body.data;
    expect(events).toHaveLength(1);
    expect(events[0].actor.type).toBe('api');
    expect(events[0].actor.id).toMatch(/^key_/);
    expect(events[0].changes).toEqual([
      { field: 'shippingAmount', before: 500, after: 900 },
      { field: 'totalAmount', before: 16_500, after: 15_900 },
      { field: 'lines[L1].unitPrice', before: 3500, after: 3000 },
      { field: 'payment.capturedAmount', before: 16_500, after: 15_900 },
    ]);
    const other = await t.otherTenant();
    expect((await other.api.get(`/api/v1/orders/${order.id}/events`)).status).toBe(404);
  });
});
