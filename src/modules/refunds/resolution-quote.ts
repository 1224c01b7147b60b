import type { FxConversion } from '../../platform/fx.ts';
import { mulDivFloor } from '../../platform/money.ts';
import type { FeeKind } from '../orders/fees.ts';
import type { Resolution } from '../policy/policy-schema.ts';
import type { FeeReason, StageRoute } from '../policy/purchasing-agent-policy.ts';
import type { RefundQuote } from './refund-calculator.ts';

export type ExchangeItem = { sku: string; title: string; unitPrice: number; quantity: number };

/** Where the money of a return goes. */
export type Payout = { method: 'original_payment' | 'store_credit' | 'none'; amount: number };

export type ResolvedQuote = RefundQuote & {
  resolution: Resolution;
  /** The policy's bonus percent when the return was filed, kept so re-pricing later agrees. */
  bonusPercent: number;
  /** Bonus credit granted for choosing store credit (0 for every other resolution). */
  bonus: number;
  /** Money paid out: to the original payment, as store credit (plus the bonus), or none. */
  payout: Payout;
  exchange: { items: ExchangeItem[]; itemsTotal: number; amountDue: number } | null;
  /** Purchasing agents: each line's stage and clocks, the refund itemised, and its conversion. */
  sourcing?: QuoteStages;
};

/** What the stage rules (returns/stage-rules.ts) add to a quote. */
export type QuoteStages = {
  stages: StageSummary[];
  itemised: ItemisedRow[];
  refundTo: 'wallet' | 'original_payment';
  /** The payout in the customer's display currency, with the rate and its date. */
  display: FxConversion | null;
};

/** One row of the itemised refund: what was paid for the returned units and what comes back. */
export type ItemisedRow = {
  code: 'goods' | FeeKind | string;
  paid: number;
  refunded: number;
  /** For fees: why it is refunded or kept. */
  reason?: FeeReason;
};

export type StageSummary = {
  orderLineId: string;
  stage: string;
  route: StageRoute | null;
  sellerDeadline: string | null;
  customerDeadline: string | null;
  sellerFault: boolean;
};

/**
 * Turns a priced return into what the customer receives for the chosen resolution. Pure.
 * - refund / keep_item: the total back to the original payment;
 * - store_credit: the total as credit, plus a bonus of `bonusPercent` (credit only, never cash);
 * - exchange: the total pays for the new items; what is left is refunded, and what is missing is
 *   due from the customer. No bonus: a bonus is for choosing store credit, and on an exchange it
 *   would come back as cash whenever the new items cost no more than the old;
 * - replacement / repair: the same item again or mended; no money moves.
 */
export function resolveQuote(
  quote: RefundQuote,
  input: {
    resolution: Resolution;
    bonusPercent: number;
    exchangeItems?: ExchangeItem[];
    /** A refund to the customer's wallet is store credit without a bonus. */
    refundTo?: 'wallet' | 'original_payment';
  },
): ResolvedQuote {
  const bonusFull = mulDivFloor(quote.total, Math.round(input.bonusPercent * 100), 10_000);
  const base = { ...quote, resolution: input.resolution, bonusPercent: input.bonusPercent, exchange: null };
  switch (input.resolution) {
    case 'refund':
    case 'keep_item':
      return {
        ...base,
        bonus: 0,
        payout: {
          method: input.refundTo === 'wallet' ? 'store_credit' : 'original_payment',
          amount: quote.total,
        },
      };
    case 'store_credit':
      return { ...base, bonus: bonusFull, payout: { method: 'store_credit', amount: quote.total } };
    case 'replacement':
    case 'repair':
      return { ...base, bonus: 0, payout: { method: 'none', amount: 0 } };
    case 'exchange': {
      const items = input.exchangeItems ?? [];
      const itemsTotal = items.reduce((sum, i) => sum + i.unitPrice * i.quantity, 0);
      if (!Number.isSafeInteger(itemsTotal)) throw new RangeError('exchange items total is too large');
      const left = quote.total - itemsTotal;
      return {
        ...base,
        bonus: 0,
        payout: { method: left > 0 ? 'original_payment' : 'none', amount: Math.max(0, left) },
        exchange: { items, itemsTotal, amountDue: Math.max(0, -left) },
      };
    }
  }
}
