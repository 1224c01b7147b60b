import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Clock, systemClock } from '../../../platform/clock.ts';
import { headerValue, parseRetryAfter } from '../../../platform/http-headers.ts';
import { currencyExponent, isCurrency } from '../../../platform/money.ts';
import {
  type PaymentProvider,
  type ProviderRefundResult,
  WebhookSignatureError,
} from './payment-provider.ts';

/**
 * Pinned so that a change of the account's default version in the Stripe dashboard cannot
 * change the shapes we parse. Webhook payloads follow the endpoint's version instead; the
 * refund fields we read there (id, status, failure_reason) have been stable across versions.
 */
export const STRIPE_API_VERSION = '2024-06-20';

export type StripeProviderOptions = {
  apiKey: string;
  baseUrl?: string;
  webhookSecret: string;
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  /** Used for the webhook timestamp tolerance and for Retry-After dates. */
  clock?: Clock;
  webhookToleranceSec?: number;
};

type StripeRefund = {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  status: string;
  failure_reason?: string | null;
};

type StripeError = { type?: string; code?: string; decline_code?: string; message?: string };

type HttpAnswer =
  | { ok: true; status: number; headers: Headers; json: unknown }
  | { ok: false; result: RetryResult };

type RetryResult = Extract<ProviderRefundResult, { status: 'retry' }>;
type FailedResult = Extract<ProviderRefundResult, { status: 'failed' }>;

const REFUND_EVENTS = new Set(['refund.updated', 'refund.failed', 'charge.refund.updated']);

/** Stripe refunds through a Stripe-compatible HTTP API, without the SDK. */
export function createStripeProvider(options: StripeProviderOptions): Required<PaymentProvider> {
  const {
    apiKey,
    webhookSecret,
    baseUrl = 'https://api.stripe.com',
    timeoutMs = 10_000,
    fetch: doFetch = globalThis.fetch,
    clock = systemClock,
    webhookToleranceSec = 300,
  } = options;
  const root = baseUrl.replace(/\/+$/, '');

  async function call(method: 'GET' | 'POST', path: string, init: RequestInit = {}): Promise<HttpAnswer> {
    let res: Response;
    let text: string;
    try {
      // The timeout covers the body too: a response that stalls mid-body is as ambiguous as none.
      res = await doFetch(`${root}${path}`, {
        ...init,
        method,
        headers: {
          Authorization: `Bearer ${apiKey}`,
          'Stripe-Version': STRIPE_API_VERSION,
          ...(init.headers as Record<string, string> | undefined),
        },
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (e) {
      const name = (e as Error)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        return { ok: false, result: retry('timeout', `Stripe did not answer within ${timeoutMs} ms.`) };
      }
      return { ok: false, result: retry('network_error', `Could not reach Stripe: ${(e as Error).message}`) };
    }
    try {
      return { ok: true, status: res.status, headers: res.headers, json: JSON.parse(text) };
    } catch {
      // A proxy or load balancer answered (HTML 502…): Stripe may or may not have executed.
      return {
        ok: false,
        result: retry(
          'bad_response',
          `Stripe answered HTTP ${res.status} with a body that is not JSON.`,
          parseRetryAfter(res.headers.get('retry-after'), clock),
        ),
      };
    }
  }

  function errorResult(status: number, headers: Headers, json: unknown): RetryResult | FailedResult {
    const err = isObject(json) && isObject(json.error) ? (json.error as StripeError) : undefined;
    const retryAfterMs = parseRetryAfter(headers.get('retry-after'), clock);
    const shouldRetry = headers.get('stripe-should-retry');
    const message = err?.message ?? `Stripe answered HTTP ${status}.`;
    if (status >= 500 || status < 400 || !err) {
      // Stripe v1 saves a 5xx under the idempotency key once execution began, and replays it:
      // the refund may exist. "Should not retry" only says a retry will not tell us more, so the
      // outcome stays unknown and the caller reconciles; it must not read it as a failure.
      if (shouldRetry === 'false' || headers.get('idempotent-replayed') === 'true') {
        return retry(
          'outcome_unknown',
          `${message} Stripe says a retry will not help; reconcile this refund.`,
        );
      }
      return retry(err?.type ?? `http_${status}`, message, retryAfterMs);
    }
    const code =
      err.type === 'idempotency_error' && status === 400
        ? 'idempotency_error'
        : status === 401
          ? 'authentication_failed'
          : (err.decline_code ?? err.code ?? err.type ?? `http_${status}`);
    if (shouldRetry === 'true') return retry(code, message, retryAfterMs);
    if (shouldRetry === 'false') return { status: 'failed', code, message };
    // 409: another request holds the key or the object (lock_timeout); 429: rate limit, which
    // Stripe applies before its idempotency layer. Neither executed anything.
    if (status === 409 || status === 429) return retry(code, message, retryAfterMs);
    return { status: 'failed', code, message };
  }

  return {
    id: 'stripe',

    async refund(req) {
      if (!Number.isSafeInteger(req.amount) || req.amount <= 0) {
        throw new RangeError(
          `refund amount must be a positive safe integer in minor units, got ${req.amount}`,
        );
      }
      if (!isCurrency(req.currency))
        throw new RangeError(`not an upper-case ISO-4217 currency: ${req.currency}`);
      const target = paymentParam(req.paymentRef);
      if (!target) {
        return {
          status: 'failed',
          code: 'invalid_payment_ref',
          message: `"${req.paymentRef}" is not a Stripe PaymentIntent (pi_) or charge (ch_, py_).`,
        };
      }
      const amount = toStripeAmount(req.amount, req.currency);
      if (amount === null) {
        return {
          status: 'failed',
          code: 'amount_not_representable',
          message: `Stripe cannot refund ${req.amount} minor units of ${req.currency}: it needs whole units for ISK and MGA and a last digit of 0 for three-decimal currencies.`,
        };
      }
      const answer = await call('POST', '/v1/refunds', {
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'Idempotency-Key': req.idempotencyKey,
        },
        body: encodeForm({ [target]: req.paymentRef, amount, metadata: req.metadata }),
      });
      if (!answer.ok) return answer.result;
      if (answer.status < 200 || answer.status >= 300) {
        return errorResult(answer.status, answer.headers, answer.json);
      }
      if (!isRefund(answer.json)) {
        return retry('bad_response', 'Stripe answered 2xx without a refund object.');
      }
      const refund = answer.json;
      if (refund.amount !== amount || refund.currency.toUpperCase() !== req.currency) {
        return {
          status: 'failed',
          code: 'provider_mismatch',
          message: `Stripe created refund ${refund.id} for ${refund.amount} ${refund.currency}, but ${amount} ${req.currency.toLowerCase()} was asked (Stripe units). Check it in the Stripe dashboard before refunding again.`,
        };
      }
      return fromRefundStatus(refund);
    },

    async getRefund(providerRefundId) {
      const answer = await call('GET', `/v1/refunds/${encodeURIComponent(providerRefundId)}`);
      if (!answer.ok) return answer.result;
      // Whatever goes wrong with the lookup says nothing about the refund itself: the caller
      // keeps it pending and asks again, so every error here is `retry`.
      if (answer.status < 200 || answer.status >= 300) {
        const r = errorResult(answer.status, answer.headers, answer.json);
        return r.status === 'retry' ? r : retry(r.code, r.message);
      }
      if (!isRefund(answer.json))
        return retry('bad_response', 'Stripe answered 2xx without a refund object.');
      return fromRefundStatus(answer.json);
    },

    parseWebhook(rawBody, headers) {
      verifySignature(rawBody, headerValue(headers, 'stripe-signature'));
      let event: unknown;
      try {
        event = JSON.parse(rawBody);
      } catch {
        throw new Error('Stripe webhook body is signed but is not JSON.');
      }
      if (!isObject(event) || typeof event.id !== 'string' || typeof event.type !== 'string') return null;
      if (!REFUND_EVENTS.has(event.type)) return null;
      const refund = isObject(event.data) ? event.data.object : undefined;
      if (!isRefund(refund)) return null;
      const mapped = fromRefundStatus(refund);
      if (mapped.status === 'succeeded' || mapped.status === 'pending') {
        return { providerRefundId: refund.id, status: mapped.status, eventId: event.id };
      }
      if (mapped.status === 'failed') {
        return { providerRefundId: refund.id, status: 'failed', message: mapped.message, eventId: event.id };
      }
      return null;
    },
  };

  function verifySignature(rawBody: string, header: string | undefined): void {
    if (!header) throw new WebhookSignatureError('Missing Stripe-Signature header.');
    let t = Number.NaN;
    const v1: string[] = [];
    for (const part of header.split(',')) {
      const i = part.indexOf('=');
      const key = part.slice(0, i).trim();
      const value = part.slice(i + 1).trim();
      if (key === 't' && /^\d+$/.test(value)) t = Number(value);
      // Several v1 entries appear while a webhook secret is being rolled: any one may match.
      if (key === 'v1') v1.push(value);
    }
    if (!Number.isSafeInteger(t) || v1.length === 0) {
      throw new WebhookSignatureError('Malformed Stripe-Signature header.');
    }
    const expected = createHmac('sha256', webhookSecret).update(`${t}.${rawBody}`, 'utf8').digest();
    const matches = v1.some(
      (hex) => /^[0-9a-f]{64}$/i.test(hex) && timingSafeEqual(Buffer.from(hex, 'hex'), expected),
    );
    if (!matches) throw new WebhookSignatureError('Stripe webhook signature does not match.');
    // Both directions: a stale timestamp is a replay, one far in the future is not from Stripe's clock.
    const age = clock.now().getTime() / 1000 - t;
    if (Math.abs(age) > webhookToleranceSec) {
      throw new WebhookSignatureError(`Stripe webhook timestamp is ${Math.round(age)} s away from now.`);
    }
  }
}

/**
 * Encodes nested values the way Stripe reads forms: `metadata[returnId]=r_1`, `expand[0]=x`.
 * Brackets stay literal, as Stripe's own libraries send them; `undefined` and `null` are left out.
 *
 * @example encodeForm({ amount: 500, metadata: { returnId: 'r 1' } }) // 'amount=500&metadata[returnId]=r%201'
 */
export function encodeForm(obj: Record<string, unknown>): string {
  const pairs: string[] = [];
  const walk = (key: string, value: unknown): void => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(`${key}[${i}]`, v);
    } else if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(`${key}[${encodeURIComponent(k)}]`, v);
    } else {
      pairs.push(`${key}=${encodeURIComponent(String(value))}`);
    }
  };
  for (const [k, v] of Object.entries(obj)) walk(encodeURIComponent(k), v);
  return pairs.join('&');
}

/** The `Stripe-Signature` header Stripe would send for `payload` signed at `t` (Unix seconds). */
export function signStripePayload(secret: string, payload: string, t: number): string {
  const v1 = createHmac('sha256', secret).update(`${t}.${payload}`, 'utf8').digest('hex');
  return `t=${t},v1=${v1}`;
}

/** Stripe's exponent where it differs from ISO 4217 (money.ts): ISK stays two-decimal at Stripe, MGA is zero-decimal. */
const STRIPE_EXPONENTS: Record<string, number> = { ISK: 2, MGA: 0 };

/** Our minor units in Stripe's units, or null where Stripe cannot express the amount. */
function toStripeAmount(amount: number, currency: string): number | null {
  const iso = currencyExponent(currency);
  const stripe = STRIPE_EXPONENTS[currency] ?? iso;
  let result = amount;
  if (stripe > iso) result = amount * 10 ** (stripe - iso);
  if (stripe < iso) {
    const factor = 10 ** (iso - stripe);
    if (amount % factor !== 0) return null;
    result = amount / factor;
  }
  // Stripe's acquiring partners take three-decimal currencies (KWD, BHD…) only in tens.
  if (stripe === 3 && result % 10 !== 0) return null;
  return Number.isSafeInteger(result) ? result : null;
}

function paymentParam(ref: string): 'payment_intent' | 'charge' | null {
  if (ref.startsWith('pi_')) return 'payment_intent';
  // py_ is the charge id of non-card payments (SEPA, ACH); Stripe takes it as `charge`.
  if (ref.startsWith('ch_') || ref.startsWith('py_')) return 'charge';
  return null;
}

function fromRefundStatus(refund: StripeRefund): ProviderRefundResult {
  switch (refund.status) {
    case 'succeeded':
      return { status: 'succeeded', providerRefundId: refund.id };
    // requires_action: the customer must supply bank details (some non-card methods); it settles later.
    case 'pending':
    case 'requires_action':
      return { status: 'pending', providerRefundId: refund.id };
    case 'failed':
    case 'canceled':
      return {
        status: 'failed',
        code: refund.failure_reason ?? refund.status,
        message: `Stripe refund ${refund.id} ${refund.status}${refund.failure_reason ? `: ${refund.failure_reason}` : ''}.`,
      };
    default:
      return retry('bad_response', `Stripe refund ${refund.id} has an unknown status "${refund.status}".`);
  }
}

function retry(code: string, message: string, retryAfterMs?: number): RetryResult {
  return retryAfterMs === undefined
    ? { status: 'retry', code, message }
    : { status: 'retry', code, message, retryAfterMs };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isRefund(v: unknown): v is StripeRefund {
  return (
    isObject(v) &&
    v.object === 'refund' &&
    typeof v.id === 'string' &&
    Number.isSafeInteger(v.amount) &&
    typeof v.currency === 'string' &&
    typeof v.status === 'string'
  );
}
