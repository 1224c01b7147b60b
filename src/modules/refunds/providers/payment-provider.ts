/**
 * The contract between the refund engine and a payment provider (Stripe, the manual provider…).
 *
 * - Idempotency: `idempotencyKey` names one attempt at one business refund. The caller passes
 *   the same key every time it retries that attempt, so a provider that already executed it
 *   answers with the first result instead of paying twice. After a definitive `failed`, a new
 *   attempt (the operator fixed something) needs a new key: Stripe replays a saved 4xx for 24 h.
 * - Outcomes: `failed` means the provider did not and will not move the money for this key.
 *   Anything the adapter cannot prove (timeout, dropped connection, 5xx, an unreadable answer)
 *   is `retry`, never `failed`: marking an executed refund as failed invites a second refund.
 *   `failed` with code `provider_mismatch` is the one exception worth an operator: the provider
 *   created something that does not match the request (amount or currency).
 * - Money: `amount` is a positive integer in the currency's minor unit (money.ts). Stripe also
 *   takes the smallest unit, with a lower-case currency on the wire, but its exponent differs
 *   from ISO 4217 for a few currencies (ISK, MGA): adapters convert, callers never do.
 * - `refund` rejects only on programmer errors (an amount that is not a positive safe integer),
 *   before anything is sent.
 */

export type ProviderRefundRequest = {
  /** The provider's payment reference, e.g. a Stripe PaymentIntent `pi_…` or charge `ch_…`. */
  paymentRef: string;
  /** Integer minor units. */
  amount: number;
  /** ISO-4217, upper-case. */
  currency: string;
  idempotencyKey: string;
  metadata?: Record<string, string>;
};

export type ProviderRefundResult =
  | { status: 'succeeded'; providerRefundId: string }
  /** Settles later by webhook (or poll with `getRefund`). */
  | { status: 'pending'; providerRefundId: string }
  /** Final: declined, invalid, already refunded… do not retry with this key. */
  | { status: 'failed'; code: string; message: string }
  /** Timeout, network, 5xx, 429, lock conflict: safe to retry with the SAME idempotency key. */
  | { status: 'retry'; code: string; message: string; retryAfterMs?: number };

export type ProviderWebhookEvent = {
  providerRefundId: string;
  status: 'succeeded' | 'failed' | 'pending';
  message?: string;
  /** The provider's event id: deliveries repeat, so the caller deduplicates on it. */
  eventId: string;
};

export interface PaymentProvider {
  /** 'manual' | 'stripe' */
  readonly id: string;
  refund(req: ProviderRefundRequest): Promise<ProviderRefundResult>;
  /** Verifies and parses a webhook delivery; throws a WebhookSignatureError on a bad signature; null for events we ignore. */
  parseWebhook?(
    rawBody: string,
    headers: Record<string, string | string[] | undefined>,
  ): ProviderWebhookEvent | null;
  /** Optional: fetch the current state of a refund (used to settle pending refunds without a webhook). */
  getRefund?(providerRefundId: string): Promise<ProviderRefundResult>;
}

/** A webhook delivery whose signature, or signature timestamp, does not verify. */
export class WebhookSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookSignatureError';
  }
}
