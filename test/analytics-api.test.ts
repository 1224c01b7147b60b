import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffClient, startTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const order = (o: Record<string, unknown>) => ({
  orderNumber: `#${o.orderExternalId}`,
  deliveredAt: null,
  currency: 'USD',
  customerEmail: 'jo@example.com',
  category: 'apparel',
  ...o,
});
const ret = (r: Record<string, unknown>) => ({
  lineExternalId: '1',
  quantity: 1,
  note: null,
  resolvedAt: null,
  refundedAmount: null,
  ...r,
});

/**
 * A small history computed by hand. March 2025: TEE-M sells 3 units (2 + 1), MUG 1, and in EUR
 * CAP 2. Back: 1 TEE-M (refunded 1000 after 48 h), 1 TEE-M rejected, 1 MUG (closed, 500 after
 * 24 h), 1 CAP (refunded 800 EUR after 72 h).
 */
const fixture = {
  orders: [
    order({
      orderExternalId: 'A1',
      placedAt: '2025-03-03T09:00:00Z',
      lineExternalId: '1',
      sku: 'TEE-M',
      title: 'Tee, "classic"',
      quantity: 2,
      unitPrice: 1000,
    }),
    order({
      orderExternalId: 'A1',
      placedAt: '2025-03-03T09:00:00Z',
      lineExternalId: '2',
      sku: 'MUG',
      title: 'Mug',
      category: 'home',
      quantity: 1,
      unitPrice: 500,
    }),
    order({
      orderExternalId: 'A2',
      placedAt: '2025-03-04T09:00:00Z',
      customerEmail: 'al@example.com',
      lineExternalId: '1',
      sku: 'TEE-M',
      title: 'Tee, "classic"',
      quantity: 1,
      unitPrice: 1000,
    }),
    order({
      orderExternalId: 'A3',
      placedAt: '2025-03-05T09:00:00Z',
      currency: 'EUR',
      lineExternalId: '1',
      sku: 'CAP',
      title: 'Cap',
      quantity: 2,
      unitPrice: 400,
    }),
  ],
  returns: [
    ret({
      returnExternalId: 'R1',
      orderExternalId: 'A1',
      reasonCode: 'wrong_size',
      note: 'Too small',
      requestedAt: '2025-03-10T00:00:00Z',
      resolvedAt: '2025-03-12T00:00:00Z',
      status: 'refunded',
      refundedAmount: 1000,
    }),
    ret({
      returnExternalId: 'R2',
      orderExternalId: 'A2',
      reasonCode: 'defective',
      requestedAt: '2025-03-11T00:00:00Z',
      resolvedAt: '2025-03-11T12:00:00Z',
      status: 'rejected',
    }),
    ret({
      returnExternalId: 'R3',
      orderExternalId: 'A1',
      lineExternalId: '2',
      reasonCode: 'damaged',
      note: '快递压坏了',
      requestedAt: '2025-03-10T00:00:00Z',
      resolvedAt: '2025-03-11T00:00:00Z',
      status: 'closed',
      refundedAmount: 500,
    }),
    ret({
      returnExternalId: 'R4',
      orderExternalId: 'A3',
      quantity: 2,
      reasonCode: 'zipper_broke',
      requestedAt: '2025-03-12T00:00:00Z',
      resolvedAt: '2025-03-15T00:00:00Z',
      status: 'refunded',
      refundedAmount: 800,
    }),
  ],
};
const MARCH = 'from=2025-03-01&to=2025-03-31';

describe('history import and metrics', () => {
  it('imports once, and a second import of the same rows changes nothing', async () => {
    const first = await t.api.post('/api/v1/analytics/import', fixture);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toEqual({ orders: 3, lines: 4, returns: 4, created: 7, unchanged: 0 });
    const before = await t.api.get(`/api/v1/analytics/return-rate?${MARCH}`);
    const again = await t.api.post('/api/v1/analytics/import', fixture);
    expect(again.body).toEqual({ orders: 3, lines: 4, returns: 4, created: 0, unchanged: 7 });
    expect((await t.api.get(`/api/v1/analytics/return-rate?${MARCH}`)).body).toEqual(before.body);
  });

  it('keeps the historical dates and states of imported returns', async () => {
    const list = await t.api.get('/api/v1/returns?limit=10');
    const r1 = list.body.data.find((r: { createdAt: string; status: string }) =>
      r.createdAt.startsWith('2025-03-11'),
    );
    expect(r1).toMatchObject({ status: 'rejected', refundTotal: 0 });
    const closed = list.body.data.find((r: { status: string }) => r.status === 'closed');
    expect(closed).toMatchObject({ refundTotal: 500, createdAt: '2025-03-10T00:00:00.000Z' });
    const events = await t.api.get(`/api/v1/returns/${closed.id}/events`);
    expect(
      events.body.data.map((e: { action: string; createdAt: string }) => [e.action, e.createdAt]),
    ).toEqual([
      ['request', '2025-03-10T00:00:00.000Z'],
      ['refund_succeeded', '2025-03-11T00:00:00.000Z'],
      ['close', '2025-03-11T00:00:00.000Z'],
    ]);
    // An imported return reads like any other: its page and its public tracking view.
    const one = await t.api.get(`/api/v1/returns/${closed.id}`);
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect(one.body).toMatchObject({ status: 'closed', refundTotal: 500, currency: 'USD' });
    expect(one.body.trackingToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const tracked = await t.anon.get(`/api/v1/track/${one.body.trackingToken}`);
    expect(tracked.status, JSON.stringify(tracked.body)).toBe(200);
    expect(tracked.body.refund.total).toBe(500);
  });

  it('answers return rates by SKU, category and period as computed by hand', async () => {
    const bySku = await t.api.get(`/api/v1/analytics/return-rate?${MARCH}&groupBy=sku`);
    expect(bySku.status).toBe(200);
    const rate = (rows: { key: string; returnRate: number }[], key: string) =>
      rows.find((r) => r.key === key);
    expect(rate(bySku.body.data, 'TEE-M')).toEqual({
      key: 'TEE-M',
      unitsSold: 3,
      unitsReturned: 1,
      returnLines: 2,
      returnRate: 1 / 3,
    });
    expect(rate(bySku.body.data, 'MUG')).toMatchObject({ unitsSold: 1, unitsReturned: 1, returnRate: 1 });
    expect(rate(bySku.body.data, 'CAP')).toMatchObject({ unitsSold: 2, unitsReturned: 2, returnRate: 1 });

    const byCategory = await t.api.get(`/api/v1/analytics/return-rate?${MARCH}&groupBy=category`);
    expect(rate(byCategory.body.data, 'apparel')).toMatchObject({
      unitsSold: 5,
      unitsReturned: 3,
      returnRate: 3 / 5,
    });
    expect(rate(byCategory.body.data, 'home')).toMatchObject({ unitsSold: 1, unitsReturned: 1 });

    const byProduct = await t.api.get(`/api/v1/analytics/return-rate?${MARCH}&groupBy=product`);
    expect(rate(byProduct.body.data, 'Tee, "classic"')).toMatchObject({ unitsSold: 3 });

    const byMonth = await t.api.get(
      `/api/v1/analytics/return-rate?from=2025-02-01&to=2025-03-31&groupBy=month`,
    );
    expect(byMonth.body.data).toEqual([
      { key: '2025-03', unitsSold: 6, unitsReturned: 4, returnLines: 4, returnRate: 4 / 6 },
    ]);

    const filtered = await t.api.get(`/api/v1/analytics/return-rate?${MARCH}&groupBy=sku&category=home`);
    expect(filtered.body.data.map((r: { key: string }) => r.key)).toEqual(['MUG']);
    const byReason = await t.api.get(`/api/v1/analytics/return-rate?${MARCH}&groupBy=sku&reason=wrong_size`);
    expect(rate(byReason.body.data, 'TEE-M')).toMatchObject({
      unitsSold: 3,
      unitsReturned: 1,
      returnLines: 1,
    });

    // One SKU's trend by period (the alert page draws it); other SKUs' sales and returns stay out.
    const oneSku = await t.api.get(`/api/v1/analytics/return-rate?${MARCH}&groupBy=month&sku=TEE-M`);
    expect(oneSku.body.data).toEqual([
      { key: '2025-03', unitsSold: 3, unitsReturned: 1, returnLines: 2, returnRate: 1 / 3 },
    ]);
    const capReasons = await t.api.get(`/api/v1/analytics/reasons?${MARCH}&sku=CAP`);
    expect(capReasons.body.data).toEqual([
      { reasonCode: 'zipper_broke', returnLines: 1, units: 2, share: 1 },
    ]);

    const outside = await t.api.get('/api/v1/analytics/return-rate?from=2025-04-01&to=2025-04-30');
    expect(outside.body.data).toEqual([]);
  });

  it('answers reason mix, refund cost per currency, cycle times and automation', async () => {
    const reasons = await t.api.get(`/api/v1/analytics/reasons?${MARCH}`);
    expect(reasons.body.data).toEqual([
      { reasonCode: 'zipper_broke', returnLines: 1, units: 2, share: 2 / 5 },
      { reasonCode: 'damaged', returnLines: 1, units: 1, share: 1 / 5 },
      { reasonCode: 'defective', returnLines: 1, units: 1, share: 1 / 5 },
      { reasonCode: 'wrong_size', returnLines: 1, units: 1, share: 1 / 5 },
    ]);
    const cost = await t.api.get(`/api/v1/analytics/refund-cost?${MARCH}`);
    expect(cost.body.data).toEqual([
      { currency: 'EUR', refundAmount: 800, feesRecovered: 0, returnLines: 1 },
      { currency: 'USD', refundAmount: 1500, feesRecovered: 0, returnLines: 3 },
    ]);
    const cycle = await t.api.get(`/api/v1/analytics/cycle-times?${MARCH}`);
    // Refunds after 48 h, 24 h and 72 h; the rejection is a decision after 12 h.
    expect(cycle.body.data).toEqual([
      { stage: 'request_to_decision', count: 1, p50Hours: 12, p90Hours: 12 },
      { stage: 'request_to_received', count: 0, p50Hours: null, p90Hours: null },
      { stage: 'request_to_refunded', count: 3, p50Hours: 48, p90Hours: 72 },
    ]);
    const automation = await t.api.get(`/api/v1/analytics/automation?${MARCH}`);
    // Imported history carries no decision record: neither automatic nor by people.
    expect(automation.body.data).toEqual([{ autoDecided: 0, peopleDecided: 0, automationRate: null }]);
    const sla = await t.api.get(`/api/v1/analytics/sla?${MARCH}`);
    expect(sla.body.data[0]).toMatchObject({ sla: 'review', targetHours: 24, total: 0, compliance: null });
  });

  it('drills down to the returns behind a number, page by page', async () => {
    const first = await t.api.get(`/api/v1/analytics/returns?${MARCH}&sku=TEE-M&limit=1`);
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(1);
    expect(first.body.data[0]).toMatchObject({ sku: 'TEE-M', reasonCode: 'defective', status: 'rejected' });
    const second = await t.api.get(
      `/api/v1/analytics/returns?${MARCH}&sku=TEE-M&limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.data[0]).toMatchObject({ sku: 'TEE-M', reasonCode: 'wrong_size', refundAmount: 1000 });
    expect(second.body.nextCursor).toBeNull();
    const byReason = await t.api.get(`/api/v1/analytics/returns?${MARCH}&reason=damaged`);
    expect(byReason.body.data.map((r: { sku: string }) => r.sku)).toEqual(['MUG']);
    expect((await t.api.get('/api/v1/analytics/returns?cursor=bogus')).status).toBe(400);
  });

  it('exports every table as CSV, quoted properly', async () => {
    const csv = await t.api.get(`/api/v1/analytics/return-rate?${MARCH}&groupBy=product&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toContain('return-rate.csv');
    const lines = (csv.body as string)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('key,unitsSold,unitsReturned,returnLines,returnRate');
    expect(lines).toContain('"Tee, ""classic""",3,1,2,0.3333333333333333');
    for (const path of ['reasons', 'refund-cost', 'automation', 'cycle-times', 'sla', 'returns']) {
      const res = await t.api.get(`/api/v1/analytics/${path}?${MARCH}`, { accept: 'text/csv' });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/^text\/csv/);
      expect(String(res.body).length, path).toBeGreaterThan(10);
    }
    const empty = await t.api.get('/api/v1/analytics/reasons?from=2020-01-01&to=2020-01-31&format=csv');
    expect(
      String(empty.body)
        .replace(/^\uFEFF/, '')
        .trim(),
    ).toBe('reasonCode,returnLines,units,share');
  });

  it('reports bad rows by file, row number and field, and writes nothing', async () => {
    const bad = {
      orders: [
        order({
          orderExternalId: 'B1',
          placedAt: '2025-03-06',
          lineExternalId: '1',
          sku: 'NEW',
          title: 'New',
          quantity: 1,
          unitPrice: 100,
        }),
        order({
          orderExternalId: 'B2',
          placedAt: 'soon',
          lineExternalId: '1',
          sku: 'NEW',
          title: 'New',
          quantity: 0,
          unitPrice: 100,
        }),
      ],
      returns: [
        ret({
          returnExternalId: 'RB1',
          orderExternalId: 'B1',
          reasonCode: 'x',
          requestedAt: '2025-03-08',
          status: 'teleported',
        }),
        ret({
          returnExternalId: 'RB2',
          orderExternalId: 'NOPE',
          reasonCode: 'x',
          requestedAt: '2025-03-08',
          status: 'submitted',
        }),
        ret({
          returnExternalId: 'RB3',
          orderExternalId: 'B1',
          quantity: 5,
          reasonCode: 'x',
          requestedAt: '2025-03-08',
          status: 'submitted',
        }),
      ],
    };
    const res = await t.api.post('/api/v1/analytics/import', bad);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('import_invalid');
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        { file: 'orders', row: 2, field: 'placed_at', message: expect.any(String) },
        { file: 'orders', row: 2, field: 'quantity', message: 'must be a whole number above 0' },
        {
          file: 'returns',
          row: 1,
          field: 'status',
          message: expect.stringContaining('"teleported" is not a return status'),
        },
      ]),
    );
    // Row checks come first; the cross-file checks run once every row is well-formed.
    const fixed = { orders: [bad.orders[0]], returns: bad.returns.slice(1) };
    const res2 = await t.api.post('/api/v1/analytics/import', fixed);
    expect(res2.status).toBe(422);
    expect(res2.body.error.details).toEqual([
      {
        file: 'returns',
        row: 1,
        field: 'order_external_id',
        message: 'no order "NOPE" in the orders file or imported before',
      },
      {
        file: 'returns',
        row: 2,
        field: 'quantity',
        message: expect.stringContaining('more than the 1 bought'),
      },
    ]);
    const sales = await t.api.get('/api/v1/analytics/return-rate?from=2025-03-06&to=2025-03-06');
    expect(sales.body.data).toEqual([]);
    const rows = await t.services.db
      .selectFrom('orders')
      .select('externalId')
      .where('tenantId', '=', t.tenant.tenantId)
      .execute();
    expect(rows.map((r) => r.externalId).sort()).toEqual(['A1', 'A2', 'A3']);
  });

  it('imports CSV files through the API, one file per request, in any column order', async () => {
    const orders =
      'sku,quantity,unit_price,ignored,order_external_id,order_number,placed_at,delivered_at,currency,customer_email,line_external_id,title,category\n' +
      'SCARF,4,1200,zzz,C1,#C1,2025-03-20,2025-03-22,USD,cs@example.com,1,"Scarf, wool",accessories\n';
    const returns =
      'return_external_id,order_external_id,line_external_id,quantity,reason_code,note,requested_at,resolved_at,status,refunded_amount\n' +
      'RC1,C1,1,1,changed_mind,"Nope, ""not for me""",2025-03-25,2025-03-27,refunded,1200\n';
    const csv = { 'content-type': 'text/csv' };
    expect((await t.api.raw('POST', '/api/v1/analytics/import', returns, csv)).status).toBe(400);
    const a = await t.api.raw('POST', '/api/v1/analytics/import?file=orders', orders, csv);
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body).toMatchObject({ orders: 1, lines: 1, created: 1 });
    const b = await t.api.raw('POST', '/api/v1/analytics/import?file=returns', returns, csv);
    expect(b.body).toMatchObject({ returns: 1, created: 1 });
    const rate = await t.api.get(
      '/api/v1/analytics/return-rate?from=2025-03-20&to=2025-03-31&groupBy=category',
    );
    expect(rate.body.data).toEqual([
      { key: 'accessories', unitsSold: 4, unitsReturned: 1, returnLines: 1, returnRate: 0.25 },
    ]);
    const broken = await t.api.raw(
      'POST',
      '/api/v1/analytics/import?file=orders',
      orders.replace('2025-03-20', 'March 20'),
      csv,
    );
    expect(broken.status).toBe(422);
    expect(broken.body.error.details).toEqual([
      { file: 'orders', row: 2, field: 'placed_at', message: expect.any(String) },
    ]);
  });
});

describe('OpenAPI', () => {
  it('documents every analytics route with its schemas', async () => {
    const doc = (await t.anon.get('/api/openapi.json')).body;
    for (const path of [
      'return-rate',
      'reasons',
      'refund-cost',
      'automation',
      'cycle-times',
      'sla',
      'returns',
      'import',
    ]) {
      const op = doc.paths[`/api/v1/analytics/${path}`];
      expect(op, path).toBeDefined();
      const method = op.get ?? op.post;
      expect(method.responses['200'], path).toBeDefined();
    }
    expect(
      Object.keys(
        doc.paths['/api/v1/analytics/reasons'].get.responses['200'].content['application/json'].schema
          .properties,
      ),
    ).toEqual(['from', 'to', 'data']);
  });
});

describe('who may see analytics', () => {
  it('answers 403 to agents and lets supervisors read', async () => {
    const agent = await staffClient(t, 'agent');
    expect((await agent.get(`/api/v1/analytics/return-rate?${MARCH}`)).status).toBe(403);
    expect((await agent.get(`/api/v1/analytics/returns?${MARCH}`)).status).toBe(403);
    const supervisor = await staffClient(t, 'supervisor');
    const ok = await supervisor.get(`/api/v1/analytics/return-rate?${MARCH}`);
    expect(ok.status).toBe(200);
    expect(ok.body.data.length).toBeGreaterThan(0);
    const importDenied = await supervisor.post('/api/v1/analytics/import', fixture);
    expect(importDenied.status).toBe(403);
  });

  it("never shows another tenant's numbers or returns", async () => {
    const other = await t.otherTenant();
    const rate = await other.api.get(`/api/v1/analytics/return-rate?${MARCH}`);
    expect(rate.status).toBe(200);
    expect(rate.body.data).toEqual([]);
    expect((await other.api.get(`/api/v1/analytics/returns?${MARCH}&sku=TEE-M`)).body.data).toEqual([]);
    expect((await other.api.get(`/api/v1/analytics/refund-cost?${MARCH}`)).body.data).toEqual([]);
    // The same external ids in another tenant are other orders: imported again there, not "unchanged".
    const imported = await other.api.post('/api/v1/analytics/import', fixture);
    expect(imported.body).toMatchObject({ created: 7, unchanged: 0 });
  });
});
