import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Stripe's refund API over real HTTP: bearer auth, form bodies with
 * bracket keys, Stripe's error objects and codes, Stripe's idempotency layer (replay with
 * `Idempotent-Replayed: true`, 400 on reuse with other params, 409 while the first request is
 * still running), and scripted faults. Amounts are in Stripe's units, currencies lower-case.
 *
 * It signs webhooks on its own (not with the adapter's helper) so a signing bug in the
 * adapter cannot hide behind the same bug here.
 */

export type FakeStripeBehaviour =
  /** Answer this status before the idempotency layer, as a rate limiter or proxy would; nothing executes. */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /** Hold the request `ms` while it holds its idempotency key, then carry on as usual. */
  | { kind: 'hang'; ms: number }
  /** 402 card_error with `decline_code: code`. */
  | { kind: 'decline'; code: string }
  /** Create the refund with status 'pending'. */
  | { kind: 'pending' }
  /** Create the refund and save the success under the key, but answer 500. */
  | { kind: 'process-then-500' };

export type FakeStripeRefund = {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  status: 'succeeded' | 'pending' | 'failed' | 'canceled';
  payment_intent: string | null;
  charge: string;
  failure_reason: string | null;
  metadata: Record<string, string>;
  created: number;
};

export type FakeStripeRequest = {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  /** The form body as received, keys still bracketed: `{ 'metadata[returnId]': 'r_1' }`. */
  params: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Filled in when the answer goes out. */
  status?: number;
  replayed?: boolean;
};

type Charge = {
  id: string;
  paymentIntent: string | null;
  amount: number;
  currency: string;
  refunded: number;
  createdRefunds: number;
};

type Saved = { fingerprint: string; status: number; body: string };

const STRIPE_ZERO_DECIMAL = new Set(
  'bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf'.split(' '),
);
const STRIPE_THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

export async function startFakeStripe({ apiKey, webhookSecret }: { apiKey: string; webhookSecret: string }) {
  const refunds = new Map<string, FakeStripeRefund>();
  const charges = new Map<string, Charge>();
  const requests: FakeStripeRequest[] = [];
  const behaviours: FakeStripeBehaviour[] = [];
  const saved = new Map<string, Saved>();
  const inFlight = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, stripeError('api_error', `Fake Stripe crashed: ${String(e)}`));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const params = Object.fromEntries(new URLSearchParams(raw));
    const key = header(req, 'idempotency-key');
    const entry: FakeStripeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      idempotencyKey: key,
      params,
      headers: req.headers,
    };
    requests.push(entry);
    const reply = (status: number, body: string, headers: Record<string, string> = {}) => {
      entry.status = status;
      entry.replayed = headers['Idempotent-Replayed'] === 'true';
      send(res, status, body, headers);
    };

    const auth = header(req, 'authorization');
    if (!auth) {
      return reply(
        401,
        stripeError(
          'invalid_request_error',
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
        ),
      );
    }
    if (auth !== `Bearer ${apiKey}`) {
      const given = auth.replace(/^Bearer\s+/i, '');
      return reply(
        401,
        stripeError(
          'invalid_request_error',
          `Invalid API Key provided: ${given.slice(0, 8)}***${given.slice(-4)}`,
        ),
      );
    }

    const behaviour = behaviours.shift();
    if (behaviour?.kind === 'status') {
      return reply(behaviour.status, behaviour.body ?? statusBody(behaviour.status), behaviour.headers ?? {});
    }

    const refundPath = url.pathname.match(/^\/v1\/refunds\/([^/]+)$/);
    if (req.method === 'GET' && refundPath) {
      if (behaviour?.kind === 'hang') await sleep(behaviour.ms);
      const id = decodeURIComponent(refundPath[1]!);
      const refund = refunds.get(id);
      if (!refund) {
        return reply(
          404,
          stripeError('invalid_request_error', `No such refund: '${id}'`, 'resource_missing', 'id'),
        );
      }
      return reply(200, JSON.stringify(refund));
    }
    if (req.method !== 'POST' || url.pathname !== '/v1/refunds') {
      return reply(
        404,
        stripeError('invalid_request_error', `Unrecognized request URL (${req.method}: ${url.pathname}).`),
      );
    }

    // Stripe's idempotency layer: compares the parameters, replays what it saved, refuses a
    // second request while the first one with the same key still runs.
    const fingerprint = JSON.stringify(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1)));
    if (key !== undefined) {
      const prior = saved.get(key);
      if (prior && prior.fingerprint !== fingerprint) {
        return reply(
          400,
          stripeError(
            'idempotency_error',
            `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          ),
        );
      }
      if (prior) return reply(prior.status, prior.body, { 'Idempotent-Replayed': 'true' });
      if (inFlight.has(key)) {
        return reply(
          409,
          stripeError(
            'idempotency_error',
            `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
          ),
        );
      }
      inFlight.add(key);
    }
    try {
      if (behaviour?.kind === 'hang') await sleep(behaviour.ms);
      const { status, body, answerStatus } = createRefund(params, behaviour);
      if (key !== undefined) saved.set(key, { fingerprint, status, body });
      if (answerStatus !== status) return reply(answerStatus, statusBody(answerStatus));
      return reply(status, body);
    } finally {
      if (key !== undefined) inFlight.delete(key);
    }
  }

  function createRefund(
    params: Record<string, string>,
    behaviour: FakeStripeBehaviour | undefined,
  ): { status: number; body: string; answerStatus: number } {
    const answer = (status: number, body: string) => ({
      status,
      body,
      answerStatus: behaviour?.kind === 'process-then-500' && status === 200 ? 500 : status,
    });
    const ref = params.payment_intent ?? params.charge;
    const param = params.payment_intent !== undefined ? 'payment_intent' : 'charge';
    if (ref === undefined) {
      return answer(
        400,
        stripeError(
          'invalid_request_error',
          'One of the following params should be provided for this request: payment_intent or charge.',
          'parameter_missing',
        ),
      );
    }
    const charge = charges.get(ref);
    if (!charge || (param === 'payment_intent') !== ref.startsWith('pi_')) {
      return answer(
        400,
        stripeError('invalid_request_error', `No such ${param}: '${ref}'`, 'resource_missing', param),
      );
    }
    const remaining = charge.amount - charge.refunded;
    const amount = params.amount === undefined ? remaining : Number(params.amount);
    if (params.amount !== undefined && !/^\d+$/.test(params.amount)) {
      return answer(
        400,
        stripeError(
          'invalid_request_error',
          `Invalid integer: ${params.amount}`,
          'parameter_invalid_integer',
          'amount',
        ),
      );
    }
    if (remaining === 0) {
      return answer(
        400,
        stripeError(
          'invalid_request_error',
          `Charge ${charge.id} has already been refunded.`,
          'charge_already_refunded',
        ),
      );
    }
    if (amount > remaining) {
      return answer(
        400,
        stripeError(
          'invalid_request_error',
          `Refund amount (${display(amount, charge.currency)}) is greater than unrefunded amount on charge (${display(remaining, charge.currency)})`,
          'amount_too_large',
          'amount',
        ),
      );
    }
    if (behaviour?.kind === 'decline') {
      return answer(
        402,
        JSON.stringify({
          error: {
            type: 'card_error',
            code: 'card_declined',
            decline_code: behaviour.code,
            message: 'The refund was declined by the card issuer.',
            charge: charge.id,
          },
        }),
      );
    }
    const metadata: Record<string, string> = {};
    for (const [k, v] of Object.entries(params)) {
      const m = k.match(/^metadata\[(.+)\]$/);
      if (m) metadata[m[1]!] = v;
    }
    const refund: FakeStripeRefund = {
      id: `re_${randomBytes(12).toString('hex')}`,
      object: 'refund',
      amount,
      currency: charge.currency,
      status: behaviour?.kind === 'pending' ? 'pending' : 'succeeded',
      payment_intent: charge.paymentIntent,
      charge: charge.id,
      failure_reason: null,
      metadata,
      created: Math.floor(Date.now() / 1000),
    };
    refunds.set(refund.id, refund);
    // Stripe counts pending refunds against the charge too.
    charge.refunded += amount;
    charge.createdRefunds += 1;
    return answer(200, JSON.stringify(refund));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    refunds,
    requests,

    /** Queues behaviours for the next requests, one each, in order (after auth). */
    script(...next: FakeStripeBehaviour[]): void {
      behaviours.push(...next);
    },

    /** A payment to refund: `pi_…` gets a charge of its own, `ch_…` is the charge. Amount in Stripe units. */
    setCharge(paymentRef: string, { amount, currency }: { amount: number; currency: string }): void {
      const isIntent = paymentRef.startsWith('pi_');
      const charge: Charge = {
        id: isIntent ? `ch_${paymentRef.slice(3)}` : paymentRef,
        paymentIntent: isIntent ? paymentRef : null,
        amount,
        currency: currency.toLowerCase(),
        refunded: 0,
        createdRefunds: 0,
      };
      charges.set(paymentRef, charge);
      if (isIntent) charges.set(charge.id, charge);
    },

    /** How many refunds were actually created against this payment (replays do not count). */
    createdCount(paymentRef: string): number {
      return charges.get(paymentRef)?.createdRefunds ?? 0;
    },

    /** Moves a pending refund to its final state, as the card network would. */
    settle(refundId: string, status: 'succeeded' | 'failed'): FakeStripeRefund {
      const refund = refunds.get(refundId);
      if (!refund) throw new Error(`fake Stripe has no refund ${refundId}`);
      refund.status = status;
      if (status === 'failed') {
        refund.failure_reason = 'expired_or_canceled_card';
        // A failed refund gives the amount back to the charge's refundable balance.
        const charge = charges.get(refund.charge);
        if (charge) charge.refunded -= refund.amount;
      }
      return { ...refund };
    },

    /** A signed webhook delivery for `refund`, as Stripe would POST it to our endpoint. */
    webhookPayload(
      refund: FakeStripeRefund,
      opts: { type?: string; t?: number; secret?: string } = {},
    ): { body: string; headers: Record<string, string> } {
      const t = opts.t ?? Math.floor(Date.now() / 1000);
      const body = JSON.stringify({
        id: `evt_${randomBytes(12).toString('hex')}`,
        object: 'event',
        api_version: '2024-06-20',
        created: t,
        livemode: false,
        type: opts.type ?? (refund.status === 'failed' ? 'refund.failed' : 'refund.updated'),
        data: { object: refund },
      });
      const v1 = createHmac('sha256', opts.secret ?? webhookSecret)
        .update(`${t}.${body}`)
        .digest('hex');
      return { body, headers: { 'stripe-signature': `t=${t},v1=${v1}` } };
    },

    /** Stops the server, dropping hung requests and keep-alive connections. */
    async close(): Promise<void> {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

export type FakeStripe = Awaited<ReturnType<typeof startFakeStripe>>;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Request-Id': `req_${randomBytes(7).toString('hex')}`,
    ...headers,
  });
  res.end(body);
}

function stripeError(type: string, message: string, code?: string, param?: string): string {
  return JSON.stringify({ error: { type, message, ...(code && { code }), ...(param && { param }) } });
}

function statusBody(status: number): string {
  if (status === 429) {
    return stripeError(
      'invalid_request_error',
      'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
      'rate_limit',
    );
  }
  if (status === 409) {
    return stripeError(
      'invalid_request_error',
      'This object cannot be accessed right now because another API request or Stripe process is currently accessing it.',
      'lock_timeout',
    );
  }
  return stripeError('api_error', 'An unknown error occurred');
}

/** "$12.00" / "KWD 1.230" in the way Stripe words amounts in its messages. */
function display(amount: number, currency: string): string {
  const exp = STRIPE_ZERO_DECIMAL.has(currency) ? 0 : STRIPE_THREE_DECIMAL.has(currency) ? 3 : 2;
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: currency.toUpperCase(),
    minimumFractionDigits: exp,
    maximumFractionDigits: exp,
  }).format(amount / 10 ** exp);
}
