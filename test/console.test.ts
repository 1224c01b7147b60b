import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody } from './helpers/fixtures.ts';
import { openSse } from './helpers/sse-client.ts';
import { apiClient, staffClient, startTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function file(reasonCode = 'damaged') {
  const order = (await t.api.post('/api/v1/orders', orderBody())).body;
  const ret = (
    await t.api.post('/api/v1/returns', {
      orderId: order.id,
      lines: [{ orderLineId: order.lines[1].id, quantity: 1, reasonCode }],
    })
  ).body;
  return { order, ret };
}

describe('queues and search', () => {
  it('counts and lists the review queue, oldest first, with SLA and customer', async () => {
    const a = await file();
    const b = await file();
    const queues = (await t.api.get('/api/v1/console/queues')).body;
    expect(queues.needs_review).toBeGreaterThanOrEqual(2);
    const list = (await t.api.get('/api/v1/console/returns?queue=needs_review&limit=100')).body.data;
    const ids = list.map((r: { id: string }) => r.id);
    expect(ids.indexOf(a.ret.id)).toBeLessThan(ids.indexOf(b.ret.id));
    const row = list.find((r: { id: string }) => r.id === a.ret.id);
    expect(row).toMatchObject({
      rmaNumber: a.ret.rmaNumber,
      customerEmail: a.order.customer.email,
      orderNumber: a.order.orderNumber,
    });
    expect(row.sla).toMatchObject({ state: 'ok' });
  });

  it('finds a return by RMA number, order number and customer email', async () => {
    const { order, ret } = await file('wrong_size');
    for (const q of [ret.rmaNumber, ret.rmaNumber.toLowerCase(), order.orderNumber, order.customer.email]) {
      const found = (await t.api.get(`/api/v1/console/returns?q=${encodeURIComponent(q)}`)).body.data;
      expect(
        found.map((r: { id: string }) => r.id),
        q,
      ).toContain(ret.id);
    }
  });

  it('exports a queue or a search as CSV for supervisors, in the list order, never to agents or other shops', async () => {
    const a = await file();
    const b = await file();
    const res = await t.api.get('/api/v1/console/returns.csv?queue=needs_review');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(
      /attachment; filename="returns-needs_review-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    expect(res.headers.get('returnflow-truncated')).toBe('false');
    // A BOM first, so spreadsheet programs read UTF-8 names right (fetch's text() drops it).
    const raw = (await t.api.bytes('/api/v1/console/returns.csv')).body;
    expect([...raw.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(res.body as string, { columns: true }) as Record<string, string>[];
    const list = (await t.api.get('/api/v1/console/returns?queue=needs_review&limit=100')).body.data;
    expect(rows.map((r) => r.rmaNumber)).toEqual(list.map((r: { rmaNumber: string }) => r.rmaNumber));
    const row = rows.find((r) => r.rmaNumber === a.ret.rmaNumber)!;
    expect(row).toMatchObject({
      status: 'needs_review',
      orderNumber: a.order.orderNumber,
      customerEmail: a.order.customer.email,
      currency: a.ret.currency,
      slaState: 'ok',
    });
    // Money as a decimal of the currency, exactly the minor units the API holds.
    expect(Math.round(Number(row.refund) * 100)).toBe(a.ret.refundTotal);
    expect(row.refund).toMatch(/^\d+\.\d{2}$/);

    const search = await t.api.get(
      `/api/v1/console/returns.csv?q=${encodeURIComponent(b.order.customer.email)}`,
    );
    expect(
      (parse(search.body as string, { columns: true }) as { rmaNumber: string }[]).map((r) => r.rmaNumber),
    ).toEqual([b.ret.rmaNumber]);

    const agent = await staffClient(t, 'agent');
    expect((await agent.get('/api/v1/console/returns?queue=needs_review')).status).toBe(200);
    expect((await agent.get('/api/v1/console/returns.csv?queue=needs_review')).status).toBe(403);

    const other = await t.otherTenant();
    const theirs = await other.api.get(
      `/api/v1/console/returns.csv?q=${encodeURIComponent(a.order.customer.email)}`,
    );
    expect(theirs.status).toBe(200);
    expect(parse(theirs.body as string, { columns: true })).toEqual([]);
    expect((await t.api.get('/api/v1/console/returns.csv?queue=nope')).status).toBe(400);
  });

  it('shows a case with order, money, customer history and timeline; notes stay internal', async () => {
    const { ret } = await file();
    await t.api.post(`/api/v1/returns/${ret.id}/notes`, { note: 'Photo looks staged; ask for another.' });
    const c = (await t.api.get(`/api/v1/console/returns/${ret.id}`)).body;
    expect(c.return.id).toBe(ret.id);
    expect(c.order.payment.capturedAmount).toBeGreaterThan(0);
    expect(c.customer.history.returns.length).toBeGreaterThanOrEqual(1);
    expect(
      c.events.some(
        (e: { action: string; visibility: string }) => e.action === 'note' && e.visibility === 'internal',
      ),
    ).toBe(true);
    const track = await t.anon.get(`/api/v1/track/${ret.trackingToken}`);
    expect(JSON.stringify(track.body)).not.toContain('staged');
  });

  it("explains the policy's decision in the agent's language when asked, English otherwise", async () => {
    const { ret } = await file();
    const english = (await t.api.get(`/api/v1/console/returns/${ret.id}`)).body.return.decision.explanation;
    expect(english).toEqual(ret.decision.explanation);
    const zh = (await t.api.get(`/api/v1/console/returns/${ret.id}?lang=zh-CN`)).body.return.decision
      .explanation;
    const es = (await t.api.get(`/api/v1/console/returns/${ret.id}?lang=es`)).body.return.decision
      .explanation;
    // The same sentences, one for one, in the other languages (the track page renders the same keys).
    const trackZh = (await t.anon.get(`/api/v1/track/${ret.trackingToken}?lang=zh-CN`)).body;
    expect(zh).toHaveLength(english.length);
    expect(zh.join(' ')).toMatch(/[\u4e00-\u9fff]/);
    expect(es).toHaveLength(english.length);
    expect(es).not.toEqual(english);
    expect(JSON.stringify(trackZh)).toContain(zh[0]);
  });
});

describe('bulk and macros', () => {
  it('approves several returns at once and reports each one', async () => {
    const a = await file();
    const b = await file();
    const c = await file('wrong_size');
    const res = await t.api.post('/api/v1/returns/bulk', {
      ids: [a.ret.id, b.ret.id, c.ret.id, 'ret_nope'],
      action: 'approve',
    });
    const byId = Object.fromEntries(res.body.results.map((r: { id: string }) => [r.id, r]));
    expect(byId[a.ret.id]).toMatchObject({ ok: true, status: 'awaiting_shipment' });
    expect(byId[b.ret.id].ok).toBe(true);
    expect(byId[c.ret.id]).toMatchObject({ ok: false, error: { code: 'illegal_transition' } });
    expect(byId.ret_nope).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('rejects in bulk only with the reason the customers will read', async () => {
    const a = await file();
    const b = await file();
    const bare = await t.api.post('/api/v1/returns/bulk', { ids: [a.ret.id, b.ret.id], action: 'reject' });
    expect(bare.status).toBe(422);
    expect(bare.body.error.code).toBe('reason_required');
    const blank = await t.api.post('/api/v1/returns/bulk', {
      ids: [a.ret.id],
      action: 'reject',
      note: '   ',
    });
    expect(blank.status).toBe(422);
    // Nothing was decided by the refused calls.
    expect((await t.api.get(`/api/v1/returns/${a.ret.id}`)).body.status).toBe('needs_review');
    const res = await t.api.post('/api/v1/returns/bulk', {
      ids: [a.ret.id, b.ret.id],
      action: 'reject',
      note: 'These were worn: we cannot take them back.',
    });
    expect(res.body.results.map((r: { ok: boolean }) => r.ok)).toEqual([true, true]);
    const track = await t.anon.get(`/api/v1/track/${a.ret.trackingToken}`);
    expect(track.body.status).toBe('rejected');
    expect(JSON.stringify(track.body.timeline)).toContain('These were worn');
  });

  it('previews a macro filled in for the case without deciding, and sends the edited text', async () => {
    const macro = (
      await t.api.post('/api/v1/macros', {
        name: `Decline ${Date.now()}`,
        body: 'Hi {{customerName}}, {{rmaNumber}} is outside our policy.',
        action: 'reject',
      })
    ).body;
    const { ret } = await file();
    const preview = await t.api.post(`/api/v1/returns/${ret.id}/macro-preview`, { macroId: macro.id });
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      message: `Hi Test Buyer, ${ret.rmaNumber} is outside our policy.`,
      action: 'reject',
      allowed: true,
    });
    expect((await t.api.get(`/api/v1/returns/${ret.id}`)).body.status).toBe('needs_review');
    const missing = await t.api.post(`/api/v1/returns/${ret.id}/macro-preview`, { macroId: 'mac_nope' });
    expect(missing.status).toBe(404);
    const other = await t.otherTenant();
    expect(
      (await other.api.post(`/api/v1/returns/${ret.id}/macro-preview`, { macroId: macro.id })).status,
    ).toBe(404);

    const edited = 'Hi, we looked again: this one is outside our policy, sorry.';
    const applied = await t.api.post(`/api/v1/returns/${ret.id}/apply-macro`, {
      macroId: macro.id,
      expectedVersion: ret.version,
      message: edited,
    });
    expect(applied.status).toBe(200);
    expect(applied.body.status).toBe('rejected');
    const events = (await t.api.get(`/api/v1/returns/${ret.id}/events`)).body.data;
    expect(
      events
        .filter((e: { action: string }) => e.action === 'staff_message')
        .map((e: { note: string }) => e.note),
    ).toEqual([edited]);
    // A decided return: the preview says the decision is no longer possible.
    const after = await t.api.post(`/api/v1/returns/${ret.id}/macro-preview`, { macroId: macro.id });
    expect(after.body.allowed).toBe(false);
  });

  it('applies a macro: its decision, then the message with the values filled in', async () => {
    const bad = await t.api.post('/api/v1/macros', { name: 'Broken', body: 'Hi {{nickname}}' });
    expect(bad.status).toBe(422);
    const macro = (
      await t.api.post('/api/v1/macros', {
        name: `Approve damaged ${Date.now()}`,
        body: 'Hi {{customerName}}, we approved {{rmaNumber}}: {{refundAmount}} is on its way once it is back.',
        action: 'approve',
      })
    ).body;
    const { ret } = await file();
    const stale = await t.api.post(`/api/v1/returns/${ret.id}/apply-macro`, {
      macroId: macro.id,
      expectedVersion: ret.version + 3,
    });
    expect(stale.status).toBe(409);
    const applied = await t.api.post(`/api/v1/returns/${ret.id}/apply-macro`, {
      macroId: macro.id,
      expectedVersion: ret.version,
    });
    expect(applied.status).toBe(200);
    expect(applied.body.status).toBe('awaiting_shipment');
    const events = (await t.api.get(`/api/v1/returns/${ret.id}/events`)).body.data;
    const message = events.find((e: { action: string }) => e.action === 'staff_message');
    // Damaged is our fault: the item plus its share of shipping comes back.
    const amount = `$${(applied.body.refundTotal / 100).toFixed(2)}`;
    expect(message.note).toBe(
      `Hi Test Buyer, we approved ${ret.rmaNumber}: ${amount} is on its way once it is back.`,
    );
  });
});

describe('presence', () => {
  it('shows who else is on a case to staff, never on the customer’s tracking stream', async () => {
    const { ret } = await file();
    const staff = await openSse(`${t.baseUrl}/api/v1/console/returns/${ret.id}/stream`, {
      authorization: `Bearer ${t.tenant.apiKey}`,
    });
    const customer = await openSse(`${t.baseUrl}/api/v1/track/${ret.trackingToken}/stream`);
    try {
      expect((await t.api.post(`/api/v1/returns/${ret.id}/presence`, { state: 'viewing' })).status).toBe(204);
      const seen = await staff.next((e) => e.event === 'presence', 3_000);
      expect(seen.json).toMatchObject({ returnId: ret.id, state: 'viewing' });
      await new Promise((r) => setTimeout(r, 200));
      expect(customer.events.some((e) => e.event === 'presence')).toBe(false);
    } finally {
      staff.close();
      customer.close();
    }
  });
});

describe('admin', () => {
  it('manages users and roles, and keeps at least one admin', async () => {
    const { api } = await t.otherTenant();
    const created = await api.post('/api/v1/users', {
      email: `new-${Date.now()}@shop.example`,
      name: 'New Agent',
      role: 'agent',
      password: 'long enough password',
    });
    expect(created.status).toBe(201);
    const promoted = await api.put(`/api/v1/users/${created.body.id}`, { role: 'supervisor' });
    expect(promoted.body.role).toBe('supervisor');
    const users = (await api.get('/api/v1/users')).body.data;
    const admin = users.find((u: { role: string }) => u.role === 'admin');
    const demote = await api.put(`/api/v1/users/${admin.id}`, { role: 'agent' });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe('last_admin');
    expect((await api.delete(`/api/v1/users/${created.body.id}`)).status).toBe(204);
  });

  it('creates an API key shown once, and revokes it at once', async () => {
    const { api, tenant } = await t.otherTenant();
    const key = (await api.post('/api/v1/api-keys', { name: 'Shopify sync' })).body;
    expect(key.apiKey).toMatch(/^rf_/);
    const listed = (await api.get('/api/v1/api-keys')).body.data;
    expect(JSON.stringify(listed)).not.toContain(key.apiKey);
    const client = apiClient(t.baseUrl, key.apiKey);
    expect((await client.get('/api/v1/returns')).status).toBe(200);
    expect((await api.delete(`/api/v1/api-keys/${key.id}`)).status).toBe(204);
    expect((await client.get('/api/v1/returns')).status).toBe(401);
    expect(tenant.tenantId).toBeTruthy();
  });

  it('previews what a policy change would do to the last 90 days of returns', async () => {
    const { api } = await t.otherTenant();
    const orders = [];
    for (let i = 0; i < 3; i++) orders.push((await api.post('/api/v1/orders', orderBody())).body);
    for (const o of orders) {
      await api.post('/api/v1/returns', {
        orderId: o.id,
        lines: [{ orderLineId: o.lines[1].id, quantity: 1, reasonCode: 'wrong_size' }],
      });
    }
    const current = (await api.get('/api/v1/policy')).body.policy;
    const stricter = {
      ...current,
      rules: [
        ...current.rules,
        {
          id: 'outerwear-review',
          when: { field: 'line.category', op: 'eq', value: 'outerwear' },
          action: 'review',
          message: 'Coats are checked by a person.',
        },
      ],
    };
    const res = await api.post('/api/v1/policy/preview', stricter);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.evaluated).toBe(3);
    expect(res.body.changed).toBe(3);
    expect(res.body.transitions).toEqual([{ from: 'approved', to: 'needs_review', count: 3 }]);
    expect((await api.get('/api/v1/policy')).body.version).toBe(1);
  });

  it('previews a bonus-only change: same decisions, what each customer gets changes, said in words', async () => {
    const { api } = await t.otherTenant();
    const current = (await api.get('/api/v1/policy')).body.policy;
    await api.put('/api/v1/policy', { ...current, storeCreditBonusPercent: 10 });
    const o = (await api.post('/api/v1/orders', orderBody())).body;
    const credit = await api.post('/api/v1/returns', {
      orderId: o.id,
      resolution: 'store_credit',
      lines: [{ orderLineId: o.lines[1].id, quantity: 1, reasonCode: 'wrong_size' }],
    });
    const value = credit.body.refundQuote.total;
    expect(credit.body.refundQuote.bonus).toBe(Math.floor(value / 10));
    const exchange = await api.post('/api/v1/returns', {
      orderId: o.id,
      resolution: 'exchange',
      exchange: { items: [{ sku: 'TEE-2', title: 'T-shirt, M', unitPrice: 3500, quantity: 1 }] },
      lines: [{ orderLineId: o.lines[0].id, quantity: 1, reasonCode: 'wrong_size' }],
    });
    expect(exchange.status).toBe(201);
    const now = (await api.get('/api/v1/policy')).body.policy;
    const res = await api.post('/api/v1/policy/preview', { ...now, storeCreditBonusPercent: 15 });
    expect(res.body).toMatchObject({ evaluated: 2, changed: 1, amountOnly: 1, transitions: [] });
    expect(res.body.samples).toEqual([
      expect.objectContaining({
        rmaNumber: credit.body.rmaNumber,
        before: 'approved',
        after: 'approved',
        beforeTotal: value + Math.floor(value / 10),
        afterTotal: value + Math.floor((value * 15) / 100),
        changes: ['amount'],
      }),
    ]);
  });
});
