import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody } from './helpers/fixtures.ts';
import { apiClient, customerSession, startTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

// The smallest valid PNG (1×1, transparent).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** A customer's browser: keeps the session cookie between calls. */
const customer = () => ({ call: customerSession(t.baseUrl) });

async function order(overrides: Record<string, unknown> = {}) {
  return (await t.api.post('/api/v1/orders', orderBody(overrides))).body;
}

describe('customer portal', () => {
  it('finds an order by number and email, and answers a wrong one of the two the same way', async () => {
    const o = await order({
      lines: [
        {
          externalId: 'L1',
          sku: 'TEE',
          title: 'T-shirt',
          category: 'tops',
          quantity: 2,
          unitPrice: 3500,
          discountAmount: 0,
          taxAmount: 0,
        },
        {
          externalId: 'L2',
          sku: 'UW',
          title: 'Boxer briefs',
          category: 'underwear',
          quantity: 1,
          unitPrice: 1500,
          discountAmount: 0,
          taxAmount: 0,
        },
      ],
    });
    const c = customer();
    const wrongEmail = await c.call('POST', '/api/v1/portal/lookup', {
      shop: t.tenant.handle,
      orderNumber: o.orderNumber,
      email: 'someone@else.example',
    });
    const wrongNumber = await c.call('POST', '/api/v1/portal/lookup', {
      shop: t.tenant.handle,
      orderNumber: '#999999',
      email: o.customer.email,
    });
    expect(wrongEmail.status).toBe(404);
    expect(wrongNumber.status).toBe(404);
    expect(wrongEmail.body).toEqual(wrongNumber.body);
    const found = await c.call('POST', '/api/v1/portal/lookup', {
      shop: t.tenant.handle,
      orderNumber: o.orderNumber.replace('#', ''),
      email: o.customer.email.toUpperCase(),
    });
    expect(found.status).toBe(200);
    expect(found.body.order.id).toBe(o.id);
    const [tee, briefs] = found.body.order.lines;
    expect(tee).toMatchObject({ eligible: true, returnableQuantity: 2 });
    expect(briefs).toMatchObject({ eligible: false, code: 'not_returnable' });
    expect(briefs.reason).toContain('not returnable');
    expect(found.body.reasons.find((r: { code: string }) => r.code === 'damaged').evidenceRequired).toBe(
      true,
    );
    expect((await c.call('GET', '/api/v1/portal/order')).body.order.id).toBe(o.id);
  });

  it('finds an order whatever the case of its number, in the portal and for staff', async () => {
    const o = (await t.api.post('/api/v1/orders', orderBody({ orderNumber: `DG-${Date.now() % 1_000_000}` })))
      .body;
    const found = await customer().call('POST', '/api/v1/portal/lookup', {
      shop: t.tenant.handle,
      orderNumber: ` ${o.orderNumber.toLowerCase()} `,
      email: o.customer.email,
    });
    expect(found.status).toBe(200);
    expect(found.body.order.id).toBe(o.id);
    const staff = await t.api.get(
      `/api/v1/orders/by-number/${encodeURIComponent(o.orderNumber.toLowerCase())}`,
    );
    expect(staff.status).toBe(200);
    expect(staff.body.id).toBe(o.id);
    // Another shop's order is not found by any spelling.
    const other = await t.otherTenant();
    expect((await other.api.get(`/api/v1/orders/by-number/${o.orderNumber.toLowerCase()}`)).status).toBe(404);
  });

  it('needs a session for everything but the lookup', async () => {
    const c = customer();
    expect((await c.call('GET', '/api/v1/portal/order')).status).toBe(404);
    expect((await c.call('POST', '/api/v1/portal/quote', { lines: [] })).status).toBeGreaterThanOrEqual(400);
    expect(
      (await c.call('POST', '/api/v1/portal/evidence', PNG, { 'content-type': 'image/png' })).status,
    ).toBe(404);
  });

  it('files a return with a photo, which lets the policy approve a damaged item at once', async () => {
    const o = await order();
    const c = customer();
    await c.call('POST', '/api/v1/portal/lookup', {
      shop: t.tenant.handle,
      orderNumber: o.orderNumber,
      email: o.customer.email,
    });
    const line = o.lines[1].id;
    const without = await c.call('POST', '/api/v1/portal/quote', {
      resolution: 'refund',
      lines: [{ orderLineId: line, quantity: 1, reasonCode: 'damaged' }],
    });
    expect(without.body.decision.outcome).toBe('needs_review');
    const photo = await c.call('POST', '/api/v1/portal/evidence', PNG, { 'content-type': 'image/png' });
    expect(photo.status).toBe(201);
    expect(photo.body).toMatchObject({ contentType: 'image/png', size: PNG.length });
    const lines = [{ orderLineId: line, quantity: 1, reasonCode: 'damaged', evidenceIds: [photo.body.id] }];
    const quote = await c.call('POST', '/api/v1/portal/quote', { resolution: 'refund', lines });
    expect(quote.body.decision.outcome).toBe('approved');
    const filed = await c.call('POST', '/api/v1/portal/returns', { resolution: 'refund', lines });
    expect(filed.status).toBe(201);
    expect(filed.body.trackingUrl).toContain('/t/');
    expect(filed.body).not.toHaveProperty('customerId');

    const staffView = await t.api.get(`/api/v1/returns/${filed.body.id}`);
    expect(staffView.body.evidence).toHaveLength(1);
    const file = await t.api.bytes(staffView.body.evidence[0].url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.body.equals(PNG)).toBe(true);

    const other = await t.otherTenant();
    expect((await other.api.get(staffView.body.evidence[0].url)).status).toBe(404);
    // A photo is used once.
    const again = await c.call('POST', '/api/v1/portal/returns', {
      resolution: 'refund',
      lines: [
        { orderLineId: o.lines[0].id, quantity: 1, reasonCode: 'damaged', evidenceIds: [photo.body.id] },
      ],
    });
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe('invalid_evidence');
  });

  it('refuses files that are not photos, photos that lie about their type, and oversized ones', async () => {
    const o = await order();
    const c = customer();
    await c.call('POST', '/api/v1/portal/lookup', {
      shop: t.tenant.handle,
      orderNumber: o.orderNumber,
      email: o.customer.email,
    });
    const svg = await c.call('POST', '/api/v1/portal/evidence', Buffer.from('<svg onload="alert(1)"/>'), {
      'content-type': 'image/png',
    });
    expect(svg.status).toBe(415);
    const lying = await c.call('POST', '/api/v1/portal/evidence', PNG, { 'content-type': 'image/jpeg' });
    expect(lying.status).toBe(415);
    expect(lying.body.error.code).toBe('file_type_mismatch');
    const html = await c.call('POST', '/api/v1/portal/evidence', Buffer.from('<html></html>'), {
      'content-type': 'text/html',
    });
    expect(html.status).toBe(415);
    const big = Buffer.concat([PNG, Buffer.alloc(9 * 1024 * 1024)]);
    const tooBig = await c.call('POST', '/api/v1/portal/evidence', big, { 'content-type': 'image/png' });
    expect(tooBig.status).toBe(413);
  });

  it("searches only the shop whose portal it is: another shop's copy of an order cannot take over its customer", async () => {
    const mine = await order();
    const other = await t.otherTenant();
    // The other tenant imports an order with this shop's number and this customer's email, newer.
    const copy = (
      await other.api.post(
        '/api/v1/orders',
        orderBody({
          orderNumber: mine.orderNumber,
          customer: { email: mine.customer.email, name: 'Not Me' },
        }),
      )
    ).body;
    expect(copy.orderNumber).toBe(mine.orderNumber);
    const ask = (shop: string | undefined) =>
      customer().call('POST', '/api/v1/portal/lookup', {
        ...(shop === undefined ? {} : { shop }),
        orderNumber: mine.orderNumber,
        email: mine.customer.email,
      });

    const here = await ask(t.tenant.handle);
    expect(here.status).toBe(200);
    expect(here.body.order.id).toBe(mine.id);
    expect(here.body.shop).toEqual({ name: 'Test Shop', handle: t.tenant.handle, kind: 'merchant' });
    const there = await ask(other.tenant.handle);
    expect(there.body.order.id).toBe(copy.id);

    const without = await ask(undefined);
    expect(without.status).toBe(400);
    expect(without.body.error.code).toBe('shop_required');
    const nowhere = await ask('no-such-shop');
    expect(nowhere.status).toBe(404);
    expect(nowhere.body.error.code).toBe('order_not_found');
    // The old way of naming a tenant is gone, not ignored.
    const byId = await customer().call('POST', '/api/v1/portal/lookup', {
      tenantId: t.tenant.tenantId,
      orderNumber: mine.orderNumber,
      email: mine.customer.email,
    });
    expect(byId.status).toBe(400);
  });

  it('names the shop of a portal address, and nothing for an unknown one', async () => {
    const shop = await t.anon.get(`/api/v1/portal/shops/${t.tenant.handle}`);
    expect(shop.status).toBe(200);
    expect(shop.body).toEqual({ name: 'Test Shop', handle: t.tenant.handle, kind: 'merchant' });
    for (const handle of ['no-such-shop', 'BAD', 'x'.repeat(60)]) {
      const res = await t.anon.get(`/api/v1/portal/shops/${handle}`);
      expect(res.status, handle).toBe(404);
      expect(res.body.error.code).toBe('shop_not_found');
    }
    const nul = await t.anon.get('/api/v1/portal/shops/%00');
    expect(nul.status).toBe(400);
    expect(nul.body.error.code).toBe('invalid_characters');
  });

  it("gives the shop's own reason labels, per language, to the portal", async () => {
    const { tenant, api } = await t.otherTenant();
    const { policy } = (await api.get('/api/v1/policy')).body;
    const reasons = policy.reasons.map((r: { code: string }) =>
      r.code === 'defective' ? { ...r, label: 'Defective', labels: { es: 'Defectuoso' } } : r,
    );
    const saved = await api.put('/api/v1/policy', { ...policy, reasons });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const bad = await api.put('/api/v1/policy', {
      ...policy,
      reasons: reasons.map((r: object) => ({ ...r, labels: { fr: 'Défectueux' } })),
    });
    expect(bad.status).toBe(400);
    const o = (await api.post('/api/v1/orders', orderBody())).body;
    const view = await customer().call('POST', '/api/v1/portal/lookup', {
      shop: tenant.handle,
      orderNumber: o.orderNumber,
      email: o.customer.email,
    });
    expect(view.body.reasons.find((r: { code: string }) => r.code === 'defective')).toMatchObject({
      label: 'Defective',
      labels: { es: 'Defectuoso' },
    });
  });

  it("only reaches the session's own order", async () => {
    const mine = await order();
    const theirs = await order();
    const c = customer();
    await c.call('POST', '/api/v1/portal/lookup', {
      shop: t.tenant.handle,
      orderNumber: mine.orderNumber,
      email: mine.customer.email,
    });
    const res = await c.call('POST', '/api/v1/portal/quote', {
      resolution: 'refund',
      lines: [{ orderLineId: theirs.lines[0].id, quantity: 1, reasonCode: 'wrong_size' }],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details.lines[0].code).toBe('unknown_order_line');
  });

  it('lets integrators upload photos for an order too', async () => {
    const o = await order();
    const res = await fetch(`${t.baseUrl}/api/v1/orders/${o.id}/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.tenant.apiKey}`, 'content-type': 'image/png' },
      body: PNG,
    });
    expect(res.status).toBe(201);
    const other = await t.otherTenant();
    const foreign = await fetch(`${t.baseUrl}/api/v1/orders/${o.id}/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${other.tenant.apiKey}`, 'content-type': 'image/png' },
      body: PNG,
    });
    expect(foreign.status).toBe(404);
  });
});

describe('portal rate limit', () => {
  it('slows down guessing: the 11th lookup in a minute from one address is refused', async () => {
    const limited = await startTestApp({ publicRateLimit: 1000, lookupRateLimit: 10 });
    try {
      const anon = apiClient(limited.baseUrl);
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        statuses.push(
          (
            await anon.post('/api/v1/portal/lookup', {
              shop: limited.tenant.handle,
              orderNumber: `#${i}`,
              email: 'guess@example.com',
            })
          ).status,
        );
      }
      expect(statuses.slice(0, 10).every((s) => s === 404)).toBe(true);
      expect(statuses[10]).toBe(429);
    } finally {
      await limited.close();
    }
  });
});

describe('explanations in the customer’s language', () => {
  it('tracks and quotes in Spanish or Chinese when asked, English otherwise', async () => {
    const o = await order();
    const ret = (
      await t.api.post('/api/v1/returns', {
        orderId: o.id,
        lines: [{ orderLineId: o.lines[1].id, quantity: 1, reasonCode: 'wrong_size' }],
      })
    ).body;
    const en = (await t.anon.get(`/api/v1/track/${ret.trackingToken}`)).body.explanation;
    const es = (await t.anon.get(`/api/v1/track/${ret.trackingToken}?lang=es`)).body.explanation;
    expect(en[0]).toContain('30-day return window');
    expect(es[0]).toContain('plazo de devolución de 30 días');
    expect(es).toHaveLength(en.length);
    const c = customer();
    await c.call('POST', '/api/v1/portal/lookup?lang=zh-CN', {
      shop: t.tenant.handle,
      orderNumber: o.orderNumber,
      email: o.customer.email,
    });
    const q = await c.call('POST', '/api/v1/portal/quote?lang=zh-CN', {
      resolution: 'refund',
      lines: [{ orderLineId: o.lines[0].id, quantity: 1, reasonCode: 'wrong_size' }],
    });
    expect(q.body.decision.explanation.join('')).toContain('退货期');
  });
});

describe('refusals in the customer’s language', () => {
  it('explains a refused line in Spanish when the return is filed with ?lang=es', async () => {
    const o = await order({
      lines: [
        {
          externalId: 'L1',
          sku: 'UW',
          title: 'Boxer briefs',
          category: 'underwear',
          quantity: 1,
          unitPrice: 1500,
          discountAmount: 0,
          taxAmount: 0,
        },
      ],
    });
    const c = customer();
    await c.call('POST', '/api/v1/portal/lookup', {
      shop: t.tenant.handle,
      orderNumber: o.orderNumber,
      email: o.customer.email,
    });
    const res = await c.call('POST', '/api/v1/portal/returns?lang=es', {
      resolution: 'refund',
      lines: [{ orderLineId: o.lines[0].id, quantity: 1, reasonCode: 'wrong_size' }],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details.lines[0].reason).toContain('no se puede devolver');
  });
});
