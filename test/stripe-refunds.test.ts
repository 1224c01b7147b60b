import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeStripe, startFakeStripe } from './fakes/fake-stripe.ts';
import { orderBody } from './helpers/fixtures.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

const STRIPE_KEY = 'sk_test_returnflow_0001';
const WEBHOOK_SECRET = 'whsec_returnflow_test_0001';

let t: TestApp;
let stripe: FakeStripe;
let webhookUrl: string;

beforeAll(async () => {
  stripe = await startFakeStripe({ apiKey: STRIPE_KEY, webhookSecret: WEBHOOK_SECRET });
  t = await startTestApp({ worker: { maxAttempts: 6, baseDelayMs: 150 } });
  const res = await t.api.put('/api/v1/payment-providers/stripe', {
    apiKey: STRIPE_KEY,
    webhookSecret: WEBHOOK_SECRET,
    baseUrl: stripe.url,
  });
  expect(res.status).toBe(200);
  webhookUrl = res.body.webhookUrl;
});
afterAll(async () => {
  await t?.close();
  await stripe?.close();
});

let seq = 0;
/** An order paid through Stripe, returned and inspected: ready for the refund action. */
async function inspectedReturn() {
  seq += 1;
  const pi = `pi_test_${Date.now()}_${seq}`;
  const order = (
    await t.api.post(
      '/api/v1/orders',
      orderBody({ payment: { provider: 'stripe', reference: pi }, shippingAmount: 0 }),
    )
  ).body;
  stripe.setCharge(pi, { amount: order.totalAmount, currency: 'USD' });
  const ret = (
    await t.api.post('/api/v1/returns', {
      orderId: order.id,
      lines: [{ orderLineId: order.lines[1].id, quantity: 1, reasonCode: 'not_as_described' }],
    })
  ).body;
  for (const a of ['receive', 'inspect'])
    expect((await t.api.post(`/api/v1/returns/${ret.id}/actions/${a}`)).status).toBe(200);
  return { pi, order, ret };
}

const settled = (id: string) =>
  t.eventually(
    () => t.api.get(`/api/v1/returns/${id}`),
    (r) => r.body.status === 'refunded' || r.body.status === 'inspected',
  );

describe('refunds through Stripe', () => {
  it('never shows the secret key again once connected', async () => {
    const list = await t.api.get('/api/v1/payment-providers');
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(STRIPE_KEY);
    expect(text).not.toContain(WEBHOOK_SECRET);
    expect(list.body.data.find((p: { provider: string }) => p.provider === 'stripe').apiKeyHint).toBe(
      '…0001',
    );
    const row = await t.handle.db.selectFrom('providerAccounts').selectAll().executeTakeFirstOrThrow();
    expect(row.sealedConfig).not.toContain(STRIPE_KEY);
  });

  it('sends one form-encoded refund with the idempotency key and settles the return', async () => {
    const { pi, ret } = await inspectedReturn();
    await t.api.post(`/api/v1/returns/${ret.id}/actions/refund`);
    const done = await settled(ret.id);
    expect(done.body.status).toBe('refunded');
    expect(done.body.refund).toMatchObject({
      status: 'succeeded',
      provider: 'stripe',
      providerRef: expect.stringMatching(/^re_/),
    });
    const calls = stripe.requests.filter((r) => r.params.payment_intent === pi);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/v1/refunds' });
    expect(calls[0]!.params.amount).toBe(String(ret.refundTotal));
    expect(calls[0]!.params['metadata[returnId]']).toBe(ret.id);
    expect(calls[0]!.idempotencyKey).toBe(`${done.body.refund.id}-1`);
    expect(stripe.createdCount(pi)).toBe(1);
  });

  it('retries a 500 and a timeout with the same key, and refunds once', async () => {
    const { pi, ret } = await inspectedReturn();
    stripe.script({ kind: 'status', status: 500 }, { kind: 'hang', ms: 1_500 });
    await t.api.post(`/api/v1/returns/${ret.id}/actions/refund`);
    const done = await settled(ret.id);
    expect(done.body.status).toBe('refunded');
    const keys = new Set(
      stripe.requests.filter((r) => r.params.payment_intent === pi).map((r) => r.idempotencyKey),
    );
    expect(keys.size).toBe(1);
    expect(stripe.createdCount(pi)).toBe(1);
  });

  it('replays the refund Stripe made before answering 500, instead of refunding twice', async () => {
    const { pi, ret } = await inspectedReturn();
    stripe.script({ kind: 'process-then-500' });
    await t.api.post(`/api/v1/returns/${ret.id}/actions/refund`);
    const done = await settled(ret.id);
    expect(done.body.status).toBe('refunded');
    expect(stripe.createdCount(pi)).toBe(1);
    expect(stripe.requests.filter((r) => r.params.payment_intent === pi && r.replayed)).toHaveLength(1);
  });

  it('returns a declined refund to the agent with the reason, then refunds on retry with a new key', async () => {
    const { pi, order, ret } = await inspectedReturn();
    stripe.script({ kind: 'decline', code: 'expired_or_canceled_card' });
    await t.api.post(`/api/v1/returns/${ret.id}/actions/refund`);
    const failed = await settled(ret.id);
    expect(failed.body.status).toBe('inspected');
    expect(failed.body.refund).toMatchObject({
      status: 'failed',
      failureCode: 'expired_or_canceled_card',
      attempt: 1,
    });
    expect(failed.body.allowedActions).toContain('refund');
    const events = (await t.api.get(`/api/v1/returns/${ret.id}/events`)).body.data;
    const internal = events.find((e: { action: string }) => e.action === 'refund_failed');
    expect(internal.visibility).toBe('internal');
    expect(internal.note).toContain('expired_or_canceled_card');
    const money = (await t.api.get(`/api/v1/orders/${order.id}`)).body.payment;
    expect(money).toMatchObject({
      refundedAmount: 0,
      pendingRefundAmount: 0,
      refundableAmount: order.totalAmount,
    });

    await t.api.post(`/api/v1/returns/${ret.id}/actions/refund`);
    const done = await settled(ret.id);
    expect(done.body.status).toBe('refunded');
    expect(done.body.refund).toMatchObject({ status: 'succeeded', attempt: 2 });
    const keys = stripe.requests.filter((r) => r.params.payment_intent === pi).map((r) => r.idempotencyKey);
    expect(new Set(keys).size).toBe(2);
    expect(stripe.createdCount(pi)).toBe(1);
  });

  it('waits for the webhook when Stripe answers pending, and refuses a forged one', async () => {
    const { pi, ret } = await inspectedReturn();
    stripe.script({ kind: 'pending' });
    await t.api.post(`/api/v1/returns/${ret.id}/actions/refund`);
    const pending = await t.eventually(
      () => t.api.get(`/api/v1/returns/${ret.id}`),
      (r) => r.body.refund?.providerRef?.startsWith('re_'),
    );
    expect(pending.body.status).toBe('refund_pending');
    const refund = stripe.settle(pending.body.refund.providerRef, 'succeeded');

    const forged = stripe.webhookPayload(refund, { secret: 'whsec_wrong' });
    const bad = await t.anon.raw('POST', new URL(webhookUrl).pathname, forged.body, {
      ...forged.headers,
      'content-type': 'application/json',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_signature');
    expect((await t.api.get(`/api/v1/returns/${ret.id}`)).body.status).toBe('refund_pending');

    const real = stripe.webhookPayload(refund);
    const ok = await t.anon.raw('POST', new URL(webhookUrl).pathname, real.body, {
      ...real.headers,
      'content-type': 'application/json',
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ received: true, settled: true });
    const again = await t.anon.raw('POST', new URL(webhookUrl).pathname, real.body, {
      ...real.headers,
      'content-type': 'application/json',
    });
    expect(again.body).toEqual({ received: true, settled: false });
    const done = await t.api.get(`/api/v1/returns/${ret.id}`);
    expect(done.body.status).toBe('refunded');
    expect(stripe.createdCount(pi)).toBe(1);
  });

  it('answers 404 for a webhook to an unknown endpoint', async () => {
    const res = await t.anon.raw('POST', '/api/v1/webhooks/payments/stripe/not-a-real-token-at-all', '{}', {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(404);
  });

  it('flags a refund for reconciliation when Stripe never gives a definite answer, and a person can retry it', async () => {
    const { pi, ret } = await inspectedReturn();
    stripe.script(...Array.from({ length: 6 }, () => ({ kind: 'status' as const, status: 503 })));
    await t.api.post(`/api/v1/returns/${ret.id}/actions/refund`);
    const stuck = await t.eventually(
      () => t.api.get(`/api/v1/returns/${ret.id}`),
      (r) => r.body.refund?.failureCode === 'needs_reconciliation',
    );
    // Not failed: the money may have moved, so no new attempt with a new key is offered.
    expect(stuck.body.status).toBe('refund_pending');
    expect(stuck.body.refund.status).toBe('pending');
    const events = (await t.api.get(`/api/v1/returns/${ret.id}/events`)).body.data;
    expect(
      events.some(
        (e: { action: string; visibility: string }) =>
          e.action === 'refund_needs_attention' && e.visibility === 'internal',
      ),
    ).toBe(true);
    const retry = await t.api.post(`/api/v1/refunds/${stuck.body.refund.id}/retry`);
    expect(retry.status).toBe(200);
    const done = await settled(ret.id);
    expect(done.body.status).toBe('refunded');
    expect(stripe.createdCount(pi)).toBe(1);
    const keys = new Set(
      stripe.requests.filter((r) => r.params.payment_intent === pi).map((r) => r.idempotencyKey),
    );
    expect(keys.size).toBe(1);
  });

  it('refuses a tenant-chosen base URL unless the server allows it', async () => {
    const strict = await startTestApp({ allowProviderBaseUrl: false });
    try {
      const res = await strict.api.put('/api/v1/payment-providers/stripe', {
        apiKey: STRIPE_KEY,
        webhookSecret: WEBHOOK_SECRET,
        baseUrl: 'http://169.254.169.254/latest',
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('base_url_not_allowed');
      const plain = await strict.api.put('/api/v1/payment-providers/stripe', {
        apiKey: STRIPE_KEY,
        webhookSecret: WEBHOOK_SECRET,
      });
      expect(plain.status).toBe(200);
      expect(plain.body.baseUrl).toBe('https://api.stripe.com');
    } finally {
      await strict.close();
    }
  });
});
