import { AppError } from '../../platform/errors.ts';
import { formatMoney, unitSlice } from '../../platform/money.ts';
import { type ResolvedQuote, resolveQuote } from '../refunds/resolution-quote.ts';
import type { ReturnChanges } from './repo.ts';
import type { ActionBody } from './schemas.ts';
import type { Actor } from './service.ts';

type ReturnedLine = { id: string; orderLineId: string; quantity: number };
type InspectedLine = {
  returnLineId: string;
  acceptedQuantity: number;
  condition: string;
  refundAmount: number;
};
type Adjustment = { amount: number; reason: string; by: string; at: string };

export type Inspection = {
  /** What each returned line is now worth, to store on the line. */
  lines: InspectedLine[];
  payout: number;
  adjustment: Adjustment | null;
  changes: ReturnChanges;
  data: { lines: InspectedLine[]; refundTotal: number; adjustment: Adjustment | null };
};

/**
 * Inspection, as a pure function of the returned lines, the quote and the agent's verdict:
 * accepted units and condition per line, the quote re-priced for what was accepted, and an
 * agent's partial refund (never above what inspection allows, always with a reason). Throws the
 * 422 the agent sees for a line that is not on the return, more units than were returned, or a
 * partial refund without a reason or above the inspected amount.
 */
export function inspectReturn(
  returned: readonly ReturnedLine[],
  quote: ResolvedQuote,
  body: ActionBody,
  actor: Actor,
  at: string,
): Inspection {
  const byId = new Map((body.lines ?? []).map((l) => [l.returnLineId, l]));
  for (const id of byId.keys()) {
    if (!returned.some((l) => l.id === id))
      throw new AppError(422, 'unknown_return_line', `Return line ${id} is not part of this return.`);
  }
  const lines: InspectedLine[] = [];
  const repriced: ResolvedQuote['lines'] = [];
  for (const l of returned) {
    const given = byId.get(l.id);
    const accepted = given?.acceptedQuantity ?? l.quantity;
    if (accepted > l.quantity) {
      throw new AppError(
        422,
        'accepted_exceeds_returned',
        `Line ${l.id}: ${accepted} accepted but only ${l.quantity} returned.`,
      );
    }
    const q = quote.lines.find((x) => x.orderLineId === l.orderLineId);
    // Units not accepted go back to the customer: their share of every component drops out exactly.
    const slice = (v: number) => unitSlice(v, l.quantity, 0, accepted);
    const line = q
      ? {
          ...q,
          quantity: accepted,
          itemAmount: slice(q.itemAmount),
          discount: slice(q.discount),
          tax: slice(q.tax),
          shipping: slice(q.shipping),
          restockingFee: slice(q.restockingFee),
          total: slice(q.total),
        }
      : null;
    if (line) repriced.push(line);
    lines.push({
      returnLineId: l.id,
      acceptedQuantity: accepted,
      condition: given?.condition ?? 'new',
      refundAmount: line?.total ?? 0,
    });
  }
  const subtotal = repriced.reduce((a, l) => a + l.total, 0);
  let left = subtotal;
  const fees = quote.fees.map((f) => {
    const amount = Math.min(f.amount, left);
    left -= amount;
    return { ...f, amount };
  });
  const base = {
    currency: quote.currency,
    lines: repriced,
    subtotal,
    restockingFees: repriced.reduce((a, l) => a + l.restockingFee, 0),
    returnShippingFee: fees.filter((f) => f.code === 'return_shipping').reduce((a, f) => a + f.amount, 0),
    fees,
    total: left,
  };
  let resolved = resolveQuote(base, {
    resolution: quote.resolution ?? 'refund',
    bonusPercent: quote.bonusPercent ?? 0,
    ...(quote.exchange ? { exchangeItems: quote.exchange.items } : {}),
  });

  let adjustment: Adjustment | null = null;
  if (body.refundAmount !== undefined) {
    if (!body.reason)
      throw new AppError(422, 'reason_required', 'A partial refund needs a reason the customer can read.');
    if (body.refundAmount > resolved.payout.amount) {
      throw new AppError(
        422,
        'refund_above_inspection',
        `The refund cannot be more than the ${formatMoney(resolved.payout.amount, quote.currency)} inspection allows.`,
      );
    }
    adjustment = {
      amount: body.refundAmount,
      reason: body.reason,
      by: `${actor.type}:${actor.id ?? ''}`,
      at,
    };
    resolved = { ...resolved, payout: { ...resolved.payout, amount: body.refundAmount } };
  }
  return {
    lines,
    payout: resolved.payout.amount,
    adjustment,
    changes: {
      refundTotal: resolved.payout.amount,
      refundQuote: JSON.stringify(resolved),
      ...(adjustment ? { adjustment: JSON.stringify(adjustment) } : {}),
    },
    data: { lines, refundTotal: resolved.payout.amount, adjustment },
  };
}
