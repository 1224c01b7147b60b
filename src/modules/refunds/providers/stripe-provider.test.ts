import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeStripe, startFakeStripe } from '../../../../test/fakes/fake-stripe.ts';
import { fixedClock } from '../../../platform/clock.ts';
import { type ProviderRefundRequest, WebhookSignatureError } from './payment-provider.ts';
import {
  createStripeProvider,
  encodeForm,
  STRIPE_API_VERSION,
  type StripeProviderOptions,
  signStripePayload,
} from './stripe-provider.ts';

const API_KEY = 'sk_test_returnflow_4242';
const WEBHOOK_SECRET = 'whsec_returnflow_test';

let fake: FakeStripe;

beforeEach(async () => {
  fake = await startFakeStripe({ apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET });
});

afterEach(async () => {
  await fake.close();
});

function stripe(overrides: Partial<StripeProviderOptions> = {}) {
  return createStripeProvider({
    apiKey: API_KEY,
    baseUrl: fake.url,
    webhookSecret: WEBHOOK_SECRET,
    timeoutMs: 2_000,
    ...overrides,
  });
}

/** A payment of 100.00 USD at the fake and a request refunding 15.00 of it, fresh ids each time. */
function paidIntent(
  overrides: Partial<ProviderRefundRequest> = {},
  charge = { amount: 10_000, currency: 'usd' },
) {
  const paymentRef = overrides.paymentRef ?? `pi_${randomUUID().replaceAll('-', '')}`;
  fake.setCharge(paymentRef, charge);
  const req: ProviderRefundRequest = {
    paymentRef,
    amount: 1_500,
    currency: 'USD',
    idempotencyKey: `refund:${randomUUID()}`,
    metadata: { returnId: 'ret_123', tenantId: 'ten_1' },
    ...overrides,
  };
  return req;
}

const refundPosts = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/refunds');

describe('stripe provider: refund', () => {
  it('creates the refund with Stripe form encoding, auth, version and idempotency headers', async () => {
    const req = paidIntent();
    const result = await stripe().refund(req);

    expect(result).toEqual({ status: 'succeeded', providerRefundId: expect.stringMatching(/^re_/) });
    const [sent] = refundPosts();
    expect(sent).toMatchObject({
      idempotencyKey: req.idempotencyKey,
      params: {
        payment_intent: req.paymentRef,
        amount: '1500',
        'metadata[returnId]': 'ret_123',
        'metadata[tenantId]': 'ten_1',
      },
    });
    expect(Object.keys(sent!.params)).not.toContain('currency');
    expect(sent!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(sent!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent!.headers['stripe-version']).toBe(STRIPE_API_VERSION);
    const stored = fake.refunds.get((result as { providerRefundId: string }).providerRefundId);
    expect(stored).toMatchObject({ amount: 1500, currency: 'usd', metadata: { returnId: 'ret_123' } });
  });

  it('sends `charge` for a charge reference', async () => {
    const req = paidIntent({ paymentRef: 'ch_3Pabc' });
    expect((await stripe().refund(req)).status).toBe('succeeded');
    expect(refundPosts()[0]!.params).toMatchObject({ charge: 'ch_3Pabc', amount: '1500' });
    expect(refundPosts()[0]!.params).not.toHaveProperty('payment_intent');
  });

  it('replays the first answer for the same key and creates nothing more', async () => {
    const req = paidIntent();
    const provider = stripe();
    const first = await provider.refund(req);
    const second = await provider.refund(req);

    expect(second).toEqual(first);
    expect(fake.createdCount(req.paymentRef)).toBe(1);
    expect(refundPosts().map((r) => r.replayed)).toEqual([false, true]);
  });

  it('fails with idempotency_error when the same key comes back with another amount', async () => {
    const req = paidIntent();
    const provider = stripe();
    await provider.refund(req);
    const result = await provider.refund({ ...req, amount: 2_000 });

    expect(result).toMatchObject({ status: 'failed', code: 'idempotency_error' });
    expect(fake.createdCount(req.paymentRef)).toBe(1);
  });

  it('fails with the issuer decline code on a card decline', async () => {
    fake.script({ kind: 'decline', code: 'expired_or_canceled_card' });
    const req = paidIntent();
    const result = await stripe().refund(req);

    expect(result).toEqual({
      status: 'failed',
      code: 'expired_or_canceled_card',
      message: expect.stringContaining('declined'),
    });
    expect(fake.createdCount(req.paymentRef)).toBe(0);
  });

  it('fails with amount_too_large when the refund exceeds what is left on the charge', async () => {
    const req = paidIntent({ amount: 1_200 }, { amount: 1_000, currency: 'usd' });
    const result = await stripe().refund(req);

    expect(result).toEqual({
      status: 'failed',
      code: 'amount_too_large',
      message: 'Refund amount ($12.00) is greater than unrefunded amount on charge ($10.00)',
    });
    expect(fake.createdCount(req.paymentRef)).toBe(0);
  });

  it('fails with charge_already_refunded once the charge is fully refunded', async () => {
    const first = paidIntent({ amount: 1_000 }, { amount: 1_000, currency: 'usd' });
    const provider = stripe();
    expect((await provider.refund(first)).status).toBe('succeeded');
    const result = await provider.refund({ ...first, amount: 100, idempotencyKey: `refund:${randomUUID()}` });

    expect(result).toMatchObject({ status: 'failed', code: 'charge_already_refunded' });
    expect(fake.createdCount(first.paymentRef)).toBe(1);
  });

  it('fails with resource_missing for a payment Stripe does not know', async () => {
    const result = await stripe().refund({ ...paidIntent(), paymentRef: 'pi_unknown' });
    expect(result).toMatchObject({ status: 'failed', code: 'resource_missing' });
  });

  it('fails without calling Stripe for a reference that is not a PaymentIntent or charge', async () => {
    const result = await stripe().refund({ ...paidIntent(), paymentRef: 'order-42' });
    expect(result).toMatchObject({ status: 'failed', code: 'invalid_payment_ref' });
    expect(fake.requests).toHaveLength(0);
  });

  it('fails with authentication_failed on a wrong API key', async () => {
    const result = await stripe({ apiKey: 'sk_test_wrong_0000' }).refund(paidIntent());
    expect(result).toMatchObject({
      status: 'failed',
      code: 'authentication_failed',
      message: expect.stringContaining('Invalid API Key provided'),
    });
  });

  it('rejects a non-integer amount or a lower-case currency before sending anything', async () => {
    await expect(stripe().refund({ ...paidIntent(), amount: 15.5 })).rejects.toThrow(RangeError);
    await expect(stripe().refund({ ...paidIntent(), currency: 'usd' })).rejects.toThrow(RangeError);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('stripe provider: retryable and ambiguous outcomes', () => {
  it.each([
    { status: 500, code: 'api_error' },
    { status: 429, code: 'rate_limit' },
    { status: 409, code: 'lock_timeout' },
  ])('answers retry on HTTP $status, honouring Retry-After', async ({ status, code }) => {
    fake.script({ kind: 'status', status, headers: { 'Retry-After': '2' } });
    const req = paidIntent();
    const result = await stripe().refund(req);

    expect(result).toMatchObject({ status: 'retry', code, retryAfterMs: 2_000 });
    expect(fake.createdCount(req.paymentRef)).toBe(0);
  });

  it('reads a Retry-After given as an HTTP date against the clock', async () => {
    const clock = fixedClock('2025-03-01T12:00:00Z');
    fake.script({ kind: 'status', status: 429, headers: { 'Retry-After': 'Sat, 01 Mar 2025 12:00:30 GMT' } });
    const result = await stripe({ clock }).refund(paidIntent());
    expect(result).toMatchObject({ status: 'retry', retryAfterMs: 30_000 });
  });

  it('answers retry without retryAfterMs when Stripe gives no Retry-After', async () => {
    fake.script({ kind: 'status', status: 500 });
    const result = await stripe().refund(paidIntent());
    expect(result).toEqual({ status: 'retry', code: 'api_error', message: 'An unknown error occurred' });
  });

  it('answers retry when the body is not JSON (a proxy answered)', async () => {
    fake.script({ kind: 'status', status: 502, body: '<html>Bad Gateway</html>' });
    const result = await stripe().refund(paidIntent());
    expect(result).toMatchObject({ status: 'retry', code: 'bad_response' });
  });

  it('answers retry on a timeout; the same key is refused while Stripe still runs it, then replays it', async () => {
    const req = paidIntent();
    const provider = stripe({ timeoutMs: 100 });
    fake.script({ kind: 'hang', ms: 400 });

    expect(await provider.refund(req)).toMatchObject({ status: 'retry', code: 'timeout' });
    // The first request still holds the key at the fake: Stripe answers 409.
    expect(await provider.refund(req)).toMatchObject({ status: 'retry', code: 'idempotency_error' });
    await new Promise((resolve) => setTimeout(resolve, 450));
    const settled = await provider.refund(req);

    expect(settled).toMatchObject({ status: 'succeeded' });
    expect(fake.createdCount(req.paymentRef)).toBe(1);
    expect(refundPosts().at(-1)!.replayed).toBe(true);
  });

  it('answers retry on a network error', async () => {
    const req = paidIntent();
    await fake.close();
    const result = await stripe().refund(req);
    expect(result).toMatchObject({ status: 'retry', code: 'network_error' });
    fake = await startFakeStripe({ apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET }); // for afterEach
  });

  it('after process-then-500, a retry with the same key succeeds with the same refund, created once', async () => {
    fake.script({ kind: 'process-then-500' });
    const req = paidIntent();
    const provider = stripe();

    const first = await provider.refund(req);
    expect(first).toMatchObject({ status: 'retry', code: 'api_error' });
    const second = await provider.refund(req);

    expect(second).toEqual({ status: 'succeeded', providerRefundId: [...fake.refunds.keys()][0] });
    expect(fake.refunds.size).toBe(1);
    expect(fake.createdCount(req.paymentRef)).toBe(1);
  });

  it('Stripe-Should-Retry: true turns a 400 into retry', async () => {
    fake.script({ kind: 'status', status: 400, headers: { 'Stripe-Should-Retry': 'true' } });
    const result = await stripe().refund(paidIntent());
    expect(result).toMatchObject({ status: 'retry' });
  });

  it('Stripe-Should-Retry: false turns a 429 into failed, since nothing executed', async () => {
    fake.script({ kind: 'status', status: 429, headers: { 'Stripe-Should-Retry': 'false' } });
    const result = await stripe().refund(paidIntent());
    expect(result).toMatchObject({ status: 'failed', code: 'rate_limit' });
  });

  // Deliberately not `failed`: Stripe v1 saves and replays a 5xx once execution began, so the
  // refund may exist; "do not retry" only says a retry will not tell us more.
  it('Stripe-Should-Retry: false on a 500 stays retry with code outcome_unknown', async () => {
    fake.script({ kind: 'status', status: 500, headers: { 'Stripe-Should-Retry': 'false' } });
    const result = await stripe().refund(paidIntent());
    expect(result).toMatchObject({ status: 'retry', code: 'outcome_unknown' });
  });

  it('fails with provider_mismatch when Stripe refunds in another currency than asked', async () => {
    const req = paidIntent({ currency: 'EUR' });
    const result = await stripe().refund(req);
    expect(result).toMatchObject({ status: 'failed', code: 'provider_mismatch' });
    expect(result.status === 'failed' && result.message).toContain([...fake.refunds.keys()][0]);
  });

  it('fails with provider_mismatch when Stripe answers another amount than asked', async () => {
    // Stands in for a misbehaving proxy or API: the fake itself always refunds what it is asked.
    const offByOne: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const body = (await res.json()) as { amount: number };
      return new Response(JSON.stringify({ ...body, amount: body.amount - 1 }), {
        status: res.status,
        headers: res.headers,
      });
    };
    const result = await stripe({ fetch: offByOne }).refund(paidIntent());
    expect(result).toMatchObject({ status: 'failed', code: 'provider_mismatch' });
  });
});

describe('stripe provider: currencies', () => {
  it.each([
    { currency: 'JPY', amount: 1_200, charge: 5_000, wire: '1200' },
    { currency: 'KWD', amount: 12_340, charge: 50_000, wire: '12340' },
    { currency: 'USD', amount: 1_999, charge: 5_000, wire: '1999' },
  ])('passes $currency amounts through unchanged', async ({ currency, amount, charge, wire }) => {
    const req = paidIntent({ currency, amount }, { amount: charge, currency: currency.toLowerCase() });
    expect((await stripe().refund(req)).status).toBe('succeeded');
    expect(refundPosts()[0]!.params.amount).toBe(wire);
  });

  it('sends ISK in hundredths, as Stripe keeps it two-decimal', async () => {
    const req = paidIntent({ currency: 'ISK', amount: 500 }, { amount: 100_000, currency: 'isk' });
    expect((await stripe().refund(req)).status).toBe('succeeded');
    expect(refundPosts()[0]!.params.amount).toBe('50000');
  });

  it('fails without calling Stripe for a three-decimal amount whose last digit is not 0', async () => {
    const req = paidIntent({ currency: 'KWD', amount: 12_345 }, { amount: 50_000, currency: 'kwd' });
    expect(await stripe().refund(req)).toMatchObject({ status: 'failed', code: 'amount_not_representable' });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('stripe provider: pending refunds, webhooks and getRefund', () => {
  async function pendingRefund() {
    fake.script({ kind: 'pending' });
    const result = await stripe().refund(paidIntent());
    expect(result).toEqual({ status: 'pending', providerRefundId: expect.stringMatching(/^re_/) });
    return (result as { providerRefundId: string }).providerRefundId;
  }

  it('settles a pending refund through a signed refund.updated webhook', async () => {
    const id = await pendingRefund();
    const { body, headers } = fake.webhookPayload(fake.settle(id, 'succeeded'));
    const event = stripe().parseWebhook(body, headers);

    expect(event).toEqual({ providerRefundId: id, status: 'succeeded', eventId: JSON.parse(body).id });
  });

  it('reports a failed refund from refund.failed with the failure reason', async () => {
    const id = await pendingRefund();
    const { body, headers } = fake.webhookPayload(fake.settle(id, 'failed'));

    expect(stripe().parseWebhook(body, headers)).toEqual({
      providerRefundId: id,
      status: 'failed',
      message: expect.stringContaining('expired_or_canceled_card'),
      eventId: expect.stringMatching(/^evt_/),
    });
  });

  it('reads the legacy charge.refund.updated event and ignores other event types', async () => {
    const id = await pendingRefund();
    const refund = fake.settle(id, 'succeeded');
    const legacy = fake.webhookPayload(refund, { type: 'charge.refund.updated' });
    const other = fake.webhookPayload(refund, { type: 'charge.succeeded' });

    expect(stripe().parseWebhook(legacy.body, legacy.headers)).toMatchObject({ status: 'succeeded' });
    expect(stripe().parseWebhook(other.body, other.headers)).toBeNull();
  });

  it('rejects a tampered body, a wrong secret, a stale or future timestamp, and a missing header', async () => {
    const id = await pendingRefund();
    const refund = fake.settle(id, 'succeeded');
    const now = Math.floor(Date.now() / 1000);
    const good = fake.webhookPayload(refund);
    const tampered = good.body.replace('"succeeded"', '"failed"');
    const wrongSecret = fake.webhookPayload(refund, { secret: 'whsec_someone_else' });
    // Well past the 300 s tolerance either way, so a slow run crossing a second cannot land on the edge.
    const stale = fake.webhookPayload(refund, { t: now - 360 });
    const future = fake.webhookPayload(refund, { t: now + 360 });
    const provider = stripe();

    expect(tampered).not.toBe(good.body);
    expect(() => provider.parseWebhook(tampered, good.headers)).toThrow(WebhookSignatureError);
    expect(() => provider.parseWebhook(wrongSecret.body, wrongSecret.headers)).toThrow(WebhookSignatureError);
    expect(() => provider.parseWebhook(stale.body, stale.headers)).toThrow(WebhookSignatureError);
    expect(() => provider.parseWebhook(future.body, future.headers)).toThrow(WebhookSignatureError);
    expect(() => provider.parseWebhook(good.body, {})).toThrow(WebhookSignatureError);
    expect(() => provider.parseWebhook(good.body, { 'stripe-signature': 'garbage' })).toThrow(
      WebhookSignatureError,
    );
  });

  it('applies the 300 s tolerance against the injected clock', async () => {
    const id = await pendingRefund();
    const t = 1_740_830_400; // 2025-03-01T12:00:00Z
    const { body, headers } = fake.webhookPayload(fake.settle(id, 'succeeded'), { t });

    expect(stripe({ clock: fixedClock('2025-03-01T12:05:00Z') }).parseWebhook(body, headers)).not.toBeNull();
    expect(() => stripe({ clock: fixedClock('2025-03-01T12:05:01Z') }).parseWebhook(body, headers)).toThrow(
      WebhookSignatureError,
    );
  });

  it('accepts any matching v1 signature while a secret is being rolled', async () => {
    const id = await pendingRefund();
    const { body, headers } = fake.webhookPayload(fake.settle(id, 'succeeded'));
    const [t, v1] = headers['stripe-signature']!.split(',');
    const rolled = { 'Stripe-Signature': [`${t},v1=${'0'.repeat(64)},${v1}`] };

    expect(stripe().parseWebhook(body, rolled)).toMatchObject({ providerRefundId: id });
  });

  it('getRefund reads the settled state', async () => {
    const id = await pendingRefund();
    const provider = stripe();
    expect(await provider.getRefund(id)).toEqual({ status: 'pending', providerRefundId: id });
    fake.settle(id, 'succeeded');
    expect(await provider.getRefund(id)).toEqual({ status: 'succeeded', providerRefundId: id });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: `/v1/refunds/${id}` });
  });

  it('getRefund reports a failed refund, and a lookup error as retry rather than failed', async () => {
    const id = await pendingRefund();
    fake.settle(id, 'failed');
    const provider = stripe();

    expect(await provider.getRefund(id)).toMatchObject({
      status: 'failed',
      code: 'expired_or_canceled_card',
    });
    expect(await provider.getRefund('re_missing')).toMatchObject({
      status: 'retry',
      code: 'resource_missing',
    });
  });
});

describe('encodeForm and signStripePayload', () => {
  it('encodes nested objects and arrays with literal brackets, skipping undefined', () => {
    expect(
      encodeForm({
        amount: 500,
        metadata: { returnId: 'ret 1', note: 'a&b=c' },
        expand: ['charge', 'payment_intent'],
        reason: undefined,
      }),
    ).toBe(
      'amount=500&metadata[returnId]=ret%201&metadata[note]=a%26b%3Dc&expand[0]=charge&expand[1]=payment_intent',
    );
  });

  it('round-trips any metadata through a form parser', () => {
    const key = fc.string({ minLength: 1, maxLength: 40 }).filter((k) => !/[[\]]/.test(k));
    fc.assert(
      fc.property(fc.dictionary(key, fc.string({ maxLength: 500 })), (metadata) => {
        const parsed = new URLSearchParams(encodeForm({ metadata }));
        for (const [k, v] of Object.entries(metadata)) expect(parsed.get(`metadata[${k}]`)).toBe(v);
      }),
    );
  });

  it('signs as Stripe does: the header verifies in parseWebhook', () => {
    const clock = fixedClock('2025-03-01T12:00:00Z');
    const t = clock.now().getTime() / 1000;
    const body = JSON.stringify({
      id: 'evt_1',
      type: 'refund.updated',
      data: { object: { id: 're_1', object: 'refund', amount: 100, currency: 'usd', status: 'succeeded' } },
    });
    const header = signStripePayload(WEBHOOK_SECRET, body, t);

    expect(header).toMatch(/^t=1740830400,v1=[0-9a-f]{64}$/);
    expect(stripe({ clock }).parseWebhook(body, { 'stripe-signature': header })).toEqual({
      providerRefundId: 're_1',
      status: 'succeeded',
      eventId: 'evt_1',
    });
  });
});
