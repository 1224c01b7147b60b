import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountReceived, customerBreakdown } from './refund-breakdown.ts';
import type { RefundQuote } from './refund-calculator.ts';
import { resolveQuote } from './resolution-quote.ts';

/** A priced return of one line: item, discount, tax and shipping, less a restocking fee. */
const priced = (p: {
  item: number;
  discount: number;
  tax: number;
  shipping: number;
  restocking: number;
  fee: number;
}): RefundQuote => {
  const line = p.item - p.discount + p.tax + p.shipping - p.restocking;
  return {
    currency: 'USD',
    lines: [
      {
        orderLineId: 'oli_1',
        quantity: 1,
        itemAmount: p.item,
        discount: p.discount,
        tax: p.tax,
        shipping: p.shipping,
        restockingFee: p.restocking,
        total: line,
      },
    ],
    subtotal: line,
    restockingFees: p.restocking,
    returnShippingFee: p.fee,
    fees: p.fee ? [{ code: 'return_shipping', label: 'Return shipping', amount: p.fee }] : [],
    total: line - p.fee,
  };
};

describe('customerBreakdown', () => {
  it('counts the store-credit bonus in the total, as a row', () => {
    const q = resolveQuote(
      priced({ item: 10_407, discount: 0, tax: 0, shipping: 0, restocking: 0, fee: 0 }),
      {
        resolution: 'store_credit',
        bonusPercent: 10,
      },
    );
    const b = customerBreakdown(q);
    expect(b.rows).toEqual([
      { code: 'items', label: 'Items', amount: 10_407 },
      { code: 'bonus', label: 'Bonus credit', amount: 1_040 },
    ]);
    expect(b.total).toBe(11_447);
    expect(amountReceived(q)).toBe(11_447);
  });

  it('shows what an inspection took off as its own row', () => {
    const q = resolveQuote(
      priced({ item: 5_000, discount: 500, tax: 400, shipping: 0, restocking: 0, fee: 595 }),
      {
        resolution: 'refund',
        bonusPercent: 0,
      },
    );
    const b = customerBreakdown(q, 2_000);
    expect(b.total).toBe(2_000);
    expect(b.rows.at(-1)).toEqual({
      code: 'adjusted',
      label: 'Adjusted at inspection',
      amount: 2_000 - 4_305,
    });
  });

  it('always adds up: the rows sum to the total, for every resolution and amount', () => {
    const amount = fc.integer({ min: 0, max: 10 ** 7 });
    fc.assert(
      fc.property(
        fc.record({
          item: amount,
          discount: amount,
          tax: amount,
          shipping: amount,
          restocking: amount,
          fee: amount,
        }),
        fc.constantFrom('refund', 'store_credit', 'exchange', 'replacement', 'keep_item'),
        fc.integer({ min: 0, max: 5_000 }).map((bp) => bp / 100),
        fc.integer({ min: 0, max: 3 * 10 ** 7 }),
        (p, resolution, pct, newItems) => {
          fc.pre(p.discount <= p.item && p.restocking <= p.item && p.fee <= p.item - p.discount + p.tax);
          const q = resolveQuote(priced(p), {
            resolution: resolution as never,
            bonusPercent: pct,
            exchangeItems:
              resolution === 'exchange' ? [{ sku: 'N', title: 'N', unitPrice: newItems, quantity: 1 }] : [],
          });
          const b = customerBreakdown(q);
          expect(b.rows.reduce((s, r) => s + r.amount, 0)).toBe(b.total);
          expect(b.total).toBe(amountReceived(q));
          if (resolution !== 'store_credit') expect(b.rows.some((r) => r.code === 'bonus')).toBe(false);
        },
      ),
    );
  });
});
