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

async function orderWithReturn() {
  const order = (await t.api.post('/api/v1/orders', orderBody())).body;
  const ret = await t.api.post('/api/v1/returns', {
    orderId: order.id,
    lines: [{ orderLineId: order.lines[1].id, quantity: 1, reasonCode: 'wrong_size' }],
  });
  expect(ret.status).toBe(201);
  return { order, ret: ret.body };
}

describe('authentication', () => {
  it('refuses requests without a key, with a malformed key and with an unknown key', async () => {
    for (const header of [
      undefined,
      'Bearer nope',
      `Bearer rf_${'a'.repeat(12)}_${'b'.repeat(43)}`,
      'Basic abc',
    ]) {
      const res = await t.anon.get('/api/v1/returns', header ? { authorization: header } : {});
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    }
  });

  it('refuses a key whose secret part is wrong even when the prefix is right', async () => {
    const [, prefix] = t.tenant.apiKey.split('_');
    const forged = `rf_${prefix}_${'x'.repeat(43)}`;
    const res = await t.anon.get('/api/v1/returns', { authorization: `Bearer ${forged}` });
    expect(res.status).toBe(401);
  });

  it('stores only a hash of the key', async () => {
    const rows = await t.handle.db
      .selectFrom('apiKeys')
      .selectAll()
      .where('tenantId', '=', t.tenant.tenantId)
      .execute();
    const secret = t.tenant.apiKey.split('_').slice(2).join('_');
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  it('stores the admin password as a scrypt hash', async () => {
    const user = await t.handle.db
      .selectFrom('users')
      .selectAll()
      .where('tenantId', '=', t.tenant.tenantId)
      .executeTakeFirstOrThrow();
    expect(user.passwordHash).toMatch(/^scrypt\$/);
    expect(user.passwordHash).not.toContain(t.tenant.adminPassword);
  });
});

describe('tenant isolation', () => {
  it("answers 404 for another tenant's order and return, and lets it change nothing", async () => {
    const { order, ret } = await orderWithReturn();
    const other = await t.otherTenant();
    expect((await other.api.get(`/api/v1/orders/${order.id}`)).status).toBe(404);
    expect((await other.api.get(`/api/v1/returns/${ret.id}`)).status).toBe(404);
    expect((await other.api.get(`/api/v1/returns/${ret.id}/events`)).status).toBe(404);
    const act = await other.api.post(`/api/v1/returns/${ret.id}/actions/cancel`);
    expect(act.status).toBe(404);
    const quote = await other.api.post('/api/v1/returns/quote', {
      orderId: order.id,
      lines: [{ orderLineId: order.lines[0].id, quantity: 1, reasonCode: 'wrong_size' }],
    });
    expect(quote.status).toBe(404);
    const steal = await other.api.post('/api/v1/returns', {
      orderId: order.id,
      lines: [{ orderLineId: order.lines[0].id, quantity: 1, reasonCode: 'wrong_size' }],
    });
    expect(steal.status).toBe(404);
    const list = await other.api.get('/api/v1/returns?limit=100');
    expect(list.body.data).toEqual([]);
    expect((await t.api.get(`/api/v1/returns/${ret.id}`)).body.status).toBe('awaiting_shipment');
  });

  it("cannot return another tenant's order line through its own order", async () => {
    const { order } = await orderWithReturn();
    const other = await t.otherTenant();
    const own = (await other.api.post('/api/v1/orders', orderBody())).body;
    const res = await other.api.post('/api/v1/returns', {
      orderId: own.id,
      lines: [{ orderLineId: order.lines[0].id, quantity: 1, reasonCode: 'wrong_size' }],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details.lines[0].code).toBe('unknown_order_line');
  });

  it('keeps the same external order id apart between tenants', async () => {
    const body = orderBody();
    const other = await t.otherTenant();
    const a = await t.api.post('/api/v1/orders', body);
    const b = await other.api.post('/api/v1/orders', body);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body.id).not.toBe(b.body.id);
  });
});

describe('bad input', () => {
  it('answers malformed JSON with 400 invalid_json', async () => {
    const res = await t.api.raw('POST', '/api/v1/orders', '{"externalId": ', {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json');
  });

  it('answers wrong types, missing and unknown fields with 400 and the path', async () => {
    const body = orderBody();
    const wrongType = await t.api.post('/api/v1/orders', {
      ...body,
      lines: [{ ...body.lines[0], quantity: '2' }],
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.code).toBe('validation_failed');
    expect(
      wrongType.body.error.details.some((d: { path: string }) => d.path === 'body/lines/0/quantity'),
    ).toBe(true);
    const { currency: _c, ...missing } = body;
    const noCurrency = await t.api.post('/api/v1/orders', missing);
    expect(noCurrency.status).toBe(400);
    expect(noCurrency.body.error.message).toContain('currency');
    const unknown = await t.api.post('/api/v1/orders', { ...body, surprise: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('surprise');
    const float = await t.api.post('/api/v1/orders', { ...body, shippingAmount: 5.5 });
    expect(float.status).toBe(400);
    const negative = await t.api.post('/api/v1/returns', {
      orderId: 'x',
      lines: [{ orderLineId: 'y', quantity: -1, reasonCode: 'z' }],
    });
    expect(negative.status).toBe(400);
  });

  it('answers a body over 1 MB with 413', async () => {
    const big = JSON.stringify({ ...orderBody(), padding: 'x'.repeat(1_100_000) });
    const res = await t.api.raw('POST', '/api/v1/orders', big, { 'content-type': 'application/json' });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('answers another content type with 415 and an unknown route with 404, in the error shape', async () => {
    const res = await t.api.raw('POST', '/api/v1/orders', 'a=b', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
    const nf = await t.anon.get('/api/nothing-here');
    expect(nf.status).toBe(404);
    expect(nf.body.error.code).toBe('not_found');
  });

  it('answers a bad cursor and a bad status filter with 400', async () => {
    expect((await t.api.get('/api/v1/returns?cursor=%%%')).status).toBe(400);
    expect((await t.api.get('/api/v1/returns?status=lost')).status).toBe(400);
    expect((await t.api.get('/api/v1/returns?limit=0')).status).toBe(400);
  });

  it('never answers 500 to a burst of hostile bodies', async () => {
    const bodies = [
      null,
      [],
      'str',
      42,
      { orderId: {} },
      { orderId: 'a', lines: 'x' },
      { orderId: 'a', lines: [null] },
      { lines: [{}] },
    ];
    for (const b of bodies) {
      for (const path of ['/api/v1/orders', '/api/v1/returns', '/api/v1/returns/quote']) {
        const res = await t.api.raw('POST', path, JSON.stringify(b), { 'content-type': 'application/json' });
        expect(res.status, `${path} ${JSON.stringify(b)}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${path} ${JSON.stringify(b)}`).toBeLessThan(500);
        expect(res.body.error.code).toBeTypeOf('string');
      }
    }
  });
});

describe('idempotency', () => {
  it('replays the first answer for the same key and body, and creates one return', async () => {
    const order = (await t.api.post('/api/v1/orders', orderBody())).body;
    const body = {
      orderId: order.id,
      lines: [{ orderLineId: order.lines[1].id, quantity: 1, reasonCode: 'wrong_size' }],
    };
    const key = `k-${Math.random()}`;
    const first = await t.api.post('/api/v1/returns', body, { 'idempotency-key': key });
    const again = await t.api.post('/api/v1/returns', body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const ord = await t.api.get(`/api/v1/orders/${order.id}`);
    expect(ord.body.lines[1].returnedQuantity).toBe(1);
  });

  it('refuses the same key with a different body with 422', async () => {
    const order = (await t.api.post('/api/v1/orders', orderBody())).body;
    const key = `k-${Math.random()}`;
    const line = order.lines[0].id;
    await t.api.post(
      '/api/v1/returns',
      { orderId: order.id, lines: [{ orderLineId: line, quantity: 1, reasonCode: 'wrong_size' }] },
      { 'idempotency-key': key },
    );
    const res = await t.api.post(
      '/api/v1/returns',
      { orderId: order.id, lines: [{ orderLineId: line, quantity: 2, reasonCode: 'wrong_size' }] },
      { 'idempotency-key': key },
    );
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('idempotency_key_reused');
  });

  it('runs concurrent requests with one key once', async () => {
    const order = (await t.api.post('/api/v1/orders', orderBody())).body;
    const body = {
      orderId: order.id,
      lines: [{ orderLineId: order.lines[0].id, quantity: 1, reasonCode: 'wrong_size' }],
    };
    const key = `k-${Math.random()}`;
    const results = await Promise.all(
      Array.from({ length: 8 }, () => t.api.post('/api/v1/returns', body, { 'idempotency-key': key })),
    );
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    for (const r of results) expect([201, 409]).toContain(r.status);
    const ord = await t.api.get(`/api/v1/orders/${order.id}`);
    expect(ord.body.lines[0].returnedQuantity).toBe(1);
  });

  it('keeps keys apart between tenants', async () => {
    const other = await t.otherTenant();
    const key = `shared-${Math.random()}`;
    const a = await t.api.post('/api/v1/orders', orderBody(), { 'idempotency-key': key });
    const b = await other.api.post('/api/v1/orders', orderBody(), { 'idempotency-key': key });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
  });
});

describe('concurrency', () => {
  it('lets exactly one of 20 parallel returns take the last returnable unit', async () => {
    const order = (
      await t.api.post(
        '/api/v1/orders',
        orderBody({
          lines: [
            {
              externalId: 'L1',
              sku: 'ONE',
              title: 'Lamp',
              category: 'home',
              quantity: 3,
              unitPrice: 5000,
              discountAmount: 0,
              taxAmount: 0,
            },
          ],
        }),
      )
    ).body;
    const line = order.lines[0].id;
    const first = await t.api.post('/api/v1/returns', {
      orderId: order.id,
      lines: [{ orderLineId: line, quantity: 2, reasonCode: 'wrong_size' }],
    });
    expect(first.status).toBe(201);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.api.post('/api/v1/returns', {
          orderId: order.id,
          lines: [{ orderLineId: line, quantity: 1, reasonCode: 'wrong_size' }],
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) {
      expect(r.status).toBe(422);
      expect(r.body.error.details.lines[0].code).toBe('quantity_exceeds_remaining');
    }
    const ord = await t.api.get(`/api/v1/orders/${order.id}`);
    expect(ord.body.lines[0].returnedQuantity).toBe(3);
  });

  it('lets exactly one of 20 parallel refund calls refund a return', async () => {
    const { ret } = await orderWithReturn();
    for (const a of ['receive', 'inspect'])
      expect((await t.api.post(`/api/v1/returns/${ret.id}/actions/${a}`)).status).toBe(200);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => t.api.post(`/api/v1/returns/${ret.id}/actions/refund`)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) expect(r.status).toBe(409);
    const refunds = await t.handle.db
      .selectFrom('refunds')
      .selectAll()
      .where('returnId', '=', ret.id)
      .execute();
    expect(refunds).toHaveLength(1);
  });

  it('refuses a stale action when expectedVersion no longer matches', async () => {
    const { ret } = await orderWithReturn();
    const res = await t.api.post(`/api/v1/returns/${ret.id}/actions/ship`, {
      expectedVersion: ret.version + 5,
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('stale_return');
    const ok = await t.api.post(`/api/v1/returns/${ret.id}/actions/ship`, { expectedVersion: ret.version });
    expect(ok.status).toBe(200);
  });

  it('the database itself refuses a returned quantity above the bought quantity', async () => {
    const { order } = await orderWithReturn();
    await expect(
      t.handle.db
        .updateTable('orderLines')
        .set({ returnedQuantity: 99 })
        .where('id', '=', order.lines[0].id)
        .execute(),
    ).rejects.toThrow();
  });
});

describe('returnless refunds', () => {
  it('lets the customer keep a cheap item, charges no return shipping, and refunds from approved', async () => {
    const order = (
      await t.api.post(
        '/api/v1/orders',
        orderBody({
          lines: [
            {
              externalId: 'L1',
              sku: 'SOCK',
              title: 'Socks',
              category: 'accessories',
              quantity: 1,
              unitPrice: 900,
              discountAmount: 0,
              taxAmount: 0,
            },
          ],
        }),
      )
    ).body;
    const ret = await t.api.post('/api/v1/returns', {
      orderId: order.id,
      lines: [{ orderLineId: order.lines[0].id, quantity: 1, reasonCode: 'changed_mind' }],
    });
    expect(ret.status).toBe(201);
    expect(ret.body.status).toBe('approved');
    expect(ret.body.returnless).toBe(true);
    expect(ret.body.refundQuote.returnShippingFee).toBe(0);
    expect(ret.body.refundQuote.total).toBe(900);
    expect(ret.body.decision.explanation.join(' ')).toContain('keep');
    expect(ret.body.allowedActions).toContain('refund');
    const refunding = await t.api.post(`/api/v1/returns/${ret.body.id}/actions/refund`);
    expect(refunding.body.status).toBe('refund_pending');
    await t.eventually(
      () => t.api.get(`/api/v1/returns/${ret.body.id}`),
      (r) => r.body.status === 'refunded',
    );
  });
});

describe('rate limits', () => {
  it('answers 429 in the error shape once a client passes the public limit', async () => {
    const limited = await startTestApp({ publicRateLimit: 3 });
    try {
      const statuses: number[] = [];
      let last: { status: number; body: any; headers: Headers } | null = null;
      for (let i = 0; i < 5; i++) {
        last = await limited.anon.get(`/api/v1/track/${'A'.repeat(43)}`);
        statuses.push(last.status);
      }
      expect(statuses).toEqual([404, 404, 404, 429, 429]);
      expect(last!.body.error.code).toBe('rate_limited');
      expect(last!.headers.get('retry-after')).toBeTruthy();
    } finally {
      await limited.close();
    }
  });
});
