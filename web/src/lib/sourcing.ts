import { LINE_STAGES } from '@contract/sourcing.ts';
import type { MessageKey } from './i18n/en.ts';

/**
 * Purchasing agents (docs/purchasing-agents.md): the shapes the quote, the tracking view and
 * the console share, and their message keys. Shared by tracking, portal and console.
 */

/** One row of `sourcing.itemised`: the goods, a fee kind or a deduction (negative `refunded`). */
export type ItemisedRow = { code: string; paid: number; refunded: number; reason?: string };

/** The refund converted to the customer's display currency, with the rate used and its date. */
export type Conversion = {
  base: string;
  quote: string;
  rate: string;
  rateDate: string;
  amount: number;
  converted: number;
} | null;

export type RefundTo = 'wallet' | 'original_payment';

const CODES = [
  'goods',
  'domestic_shipping',
  'service_fee',
  'international_shipping',
  'insurance',
  'payment_fee',
  'domestic_return_shipping',
  'over_quota',
] as const;

const REASONS = ['nothing_spent', 'unspent', 'seller_fault', 'insured', 'always', 'spent', 'never'] as const;

const known = (list: readonly string[], value: string) => list.includes(value);

export const stageKey = (stage: string): MessageKey =>
  `sourcing.stage.${known(LINE_STAGES, stage) ? stage : 'unknown'}` as MessageKey;

export const itemisedCodeKey = (code: string): MessageKey =>
  `itemised.code.${known(CODES, code) ? code : 'unknown'}` as MessageKey;

/** The plain-words reason of a refunded or kept fee; null for a reason we do not know. */
export const itemisedReasonKey = (reason: string | undefined): MessageKey | null =>
  reason && known(REASONS, reason) ? (`itemised.reason.${reason}` as MessageKey) : null;

export type Countdown =
  | { kind: 'closed' }
  | { kind: 'days'; count: number }
  | { kind: 'hours'; count: number }
  | { kind: 'minutes' };

/** How long until `deadline`: whole days while a day or more is left, then hours, then "closed". */
export function countdown(deadline: string, now: number): Countdown {
  const left = Date.parse(deadline) - now;
  if (Number.isNaN(left) || left <= 0) return { kind: 'closed' };
  const days = Math.floor(left / 86_400_000);
  if (days >= 1) return { kind: 'days', count: days };
  const hours = Math.floor(left / 3_600_000);
  return hours >= 1 ? { kind: 'hours', count: hours } : { kind: 'minutes' };
}

/** The message key and values of a countdown. */
export function countdownText(c: Countdown): { key: MessageKey; values?: { count: number } } {
  if (c.kind === 'closed') return { key: 'sourcing.countdown.closed' };
  if (c.kind === 'minutes') return { key: 'sourcing.countdown.hour' };
  if (c.kind === 'days')
    return c.count === 1
      ? { key: 'sourcing.countdown.day' }
      : { key: 'sourcing.countdown.days', values: { count: c.count } };
  return { key: 'sourcing.countdown.hours', values: { count: c.count } };
}
