import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { QuoteLine, RefundQuote } from '../refunds/refund-calculator.ts';
import { resolveQuote } from '../refunds/resolution-quote.ts';
import { inspectReturn } from './inspect-return.ts';

const agent = { type: 'staff' as const, id: 'usr_1' };
const at = '2026-12-04T10:00:00.000Z';

function quoteOf(lines: { quantity: number; unit: number; tax: number }[], returnShipping = 0) {
  const qLines: QuoteLine[] = lines.map((l, i) => ({
    orderLineId: `ol_${i}`,
    quantity: l.quantity,
    itemAmount: l.unit * l.quantity,
    discount: 0,
    tax: l.tax,
    shipping: 0,
    restockingFee: 0,
    total: l.unit * l.quantity + l.tax,
  }));
  const subtotal = qLines.reduce((a, l) => a + l.total, 0);
  const fee = Math.min(returnShipping, subtotal);
  const quote: RefundQuote = {
    currency: 'USD',
    lines: qLines,
    subtotal,
    restockingFees: 0,
    returnShippingFee: fee,
    fees: fee ? [{ code: 'return_shipping', label: 'Return shipping', amount: fee }] : [],
    total: subtotal - fee,
  };
  const returned = lines.map((l, i) => ({ id: `rl_${i}`, orderLineId: `ol_${i}`, quantity: l.quantity }));
  return { returned, resolved: resolveQuote(quote, { resolution: 'refund', bonusPercent: 0 }) };
}

describe('inspectReturn', () => {
  it('keeps the quoted refund when every unit is accepted', () => {
    const { returned, resolved } = quoteOf([{ quantity: 2, unit: 1999, tax: 320 }], 500);
    const out = inspectReturn(returned, resolved, {}, agent, at);
    expect(out.payout).toBe(resolved.payout.amount);
    expect(out.lines).toEqual([
      { returnLineId: 'rl_0', acceptedQuantity: 2, condition: 'new', refundAmount: 4318 },
    ]);
  });

  it('never pays more than the quote, and the accepted lines and fees add up to the payout', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            quantity: fc.integer({ min: 1, max: 9 }),
            unit: fc.integer({ min: 0, max: 100_000 }),
            tax: fc.integer({ min: 0, max: 20_000 }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.integer({ min: 0, max: 3_000 }),
        fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
        (lines, shipping, picks) => {
          const { returned, resolved } = quoteOf(lines, shipping);
          const body = {
            lines: returned.map((l, i) => ({
              returnLineId: l.id,
              acceptedQuantity: picks[i]! % (l.quantity + 1),
              condition: 'damaged' as const,
            })),
          };
          const out = inspectReturn(returned, resolved, body, agent, at);
          expect(out.payout).toBeLessThanOrEqual(resolved.payout.amount);
          expect(out.payout).toBeGreaterThanOrEqual(0);
          const accepted = out.lines.reduce((a, l) => a + l.refundAmount, 0);
          const fees = Math.min(shipping, accepted);
          expect(out.payout).toBe(accepted - fees);
        },
      ),
    );
  });

  it('refuses a line that is not on the return, and more units than came back', () => {
    const { returned, resolved } = quoteOf([{ quantity: 1, unit: 1000, tax: 0 }]);
    expect(() =>
      inspectReturn(
        returned,
        resolved,
        { lines: [{ returnLineId: 'rl_x', acceptedQuantity: 1 }] },
        agent,
        at,
      ),
    ).toThrow(expect.objectContaining({ status: 422, code: 'unknown_return_line' }));
    expect(() =>
      inspectReturn(
        returned,
        resolved,
        { lines: [{ returnLineId: 'rl_0', acceptedQuantity: 2 }] },
        agent,
        at,
      ),
    ).toThrow(expect.objectContaining({ status: 422, code: 'accepted_exceeds_returned' }));
  });

  it('takes a partial refund only with a reason and never above what inspection allows', () => {
    const { returned, resolved } = quoteOf([{ quantity: 1, unit: 1000, tax: 0 }]);
    expect(() => inspectReturn(returned, resolved, { refundAmount: 500 }, agent, at)).toThrow(
      expect.objectContaining({ code: 'reason_required' }),
    );
    expect(() =>
      inspectReturn(returned, resolved, { refundAmount: 1001, reason: 'Scratched' }, agent, at),
    ).toThrow(expect.objectContaining({ code: 'refund_above_inspection' }));
    const out = inspectReturn(returned, resolved, { refundAmount: 600, reason: 'Scratched' }, agent, at);
    expect(out.payout).toBe(600);
    expect(out.adjustment).toEqual({ amount: 600, reason: 'Scratched', by: 'staff:usr_1', at });
  });
});
