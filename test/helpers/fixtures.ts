import { sampleOrder } from '../../src/testing/fixtures.ts';

let seq = 0;

/** An order body with sensible defaults; every call gets fresh external ids. */
export function orderBody(overrides: Record<string, unknown> = {}) {
  seq += 1;
  const key = `${Date.now().toString(36)}-${seq}-${Math.random().toString(36).slice(2, 8)}`;
  const placedAt = new Date(Date.now() - 10 * 86_400_000).toISOString();
  const deliveredAt = new Date(Date.now() - 7 * 86_400_000).toISOString();
  return { ...sampleOrder({ key, number: 1000 + seq, placedAt, deliveredAt }), ...overrides };
}

type Api = { post: (path: string, body?: unknown) => Promise<{ status: number; body: any }> };

/**
 * A "damaged" return without a photo, which the default policy sends to a person: the case a
 * console test starts from. Throws (rather than asserting) so it works outside a test body too.
 */
export async function returnNeedingReview(api: Api, customer?: { email: string; name: string }) {
  const order = await api.post('/api/v1/orders', orderBody(customer ? { customer } : {}));
  if (order.status !== 201) throw new Error(`order: ${order.status} ${JSON.stringify(order.body)}`);
  const ret = await api.post('/api/v1/returns', {
    orderId: order.body.id,
    resolution: 'refund',
    lines: [{ orderLineId: order.body.lines[0].id, quantity: 1, reasonCode: 'damaged' }],
  });
  if (ret.status !== 201 || ret.body.status !== 'needs_review') {
    throw new Error(`return: ${ret.status} ${ret.body.status ?? JSON.stringify(ret.body)}`);
  }
  return {
    id: ret.body.id as string,
    rma: ret.body.rmaNumber as string,
    token: ret.body.trackingToken as string,
  };
}
