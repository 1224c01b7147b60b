import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RefundQuote } from './refund-calculator.ts';
import { resolveQuote } from './resolution-quote.ts';

const quote = (total: number): RefundQuote => ({
  currency: 'USD',
  lines: [],
  subtotal: total,
  restockingFees: 0,
  returnShippingFee: 0,
  fees: [],
  total,
});

const item = (unitPrice: number, quantity = 1) => ({ sku: 'X', title: 'X', unitPrice, quantity });

describe('resolveQuote', () => {
  it('refunds the total to the original payment', () => {
    expect(resolveQuote(quote(5000), { resolution: 'refund', bonusPercent: 10 }).payout).toEqual({
      method: 'original_payment',
      amount: 5000,
    });
  });

  it('gives store credit with a bonus, rounded down', () => {
    const r = resolveQuote(quote(5005), { resolution: 'store_credit', bonusPercent: 10 });
    expect(r.payout).toEqual({ method: 'store_credit', amount: 5005 });
    expect(r.bonus).toBe(500);
  });

  it('pays for exchange items with the refund, without a bonus, and refunds what is left', () => {
    const r = resolveQuote(quote(10_000), {
      resolution: 'exchange',
      bonusPercent: 10,
      exchangeItems: [item(8_000)],
    });
    expect(r.bonus).toBe(0);
    expect(r.payout).toEqual({ method: 'original_payment', amount: 2_000 });
    expect(r.exchange).toMatchObject({ itemsTotal: 8_000, amountDue: 0 });
  });

  it('asks the customer for the difference when the new items cost more', () => {
    const r = resolveQuote(quote(10_000), {
      resolution: 'exchange',
      bonusPercent: 10,
      exchangeItems: [item(6_000, 2)],
    });
    expect(r.payout).toEqual({ method: 'none', amount: 0 });
    expect(r.exchange!.amountDue).toBe(2_000);
  });

  it('pays nothing out for a same-price exchange: the bonus is not cash', () => {
    const r = resolveQuote(quote(10_407), {
      resolution: 'exchange',
      bonusPercent: 10,
      exchangeItems: [item(10_407)],
    });
    expect(r).toMatchObject({ bonus: 0, payout: { method: 'none', amount: 0 } });
    expect(r.exchange!.amountDue).toBe(0);
  });

  it('never pays a bonus out in cash', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 9 }),
        fc.integer({ min: 0, max: 10_000 }).map((bp) => bp / 100),
        fc.array(fc.record({ p: fc.integer({ min: 0, max: 10 ** 7 }), q: fc.integer({ min: 1, max: 5 }) }), {
          maxLength: 4,
        }),
        (total, pct, items) => {
          const r = resolveQuote(quote(total), {
            resolution: 'exchange',
            bonusPercent: pct,
            exchangeItems: items.map((i) => item(i.p, i.q)),
          });
          const itemsTotal = r.exchange!.itemsTotal;
          // Value in = value out: refund + items bought = total + amount due, and no bonus.
          expect(r.payout.amount + itemsTotal).toBe(total + r.exchange!.amountDue);
          expect(r.bonus).toBe(0);
          expect(r.payout.amount).toBe(Math.max(0, total - itemsTotal));
          expect(r.payout.amount === 0 || r.exchange!.amountDue === 0).toBe(true);
        },
      ),
    );
  });

  it('moves no money for a replacement', () => {
    expect(resolveQuote(quote(9_000), { resolution: 'replacement', bonusPercent: 10 }).payout).toEqual({
      method: 'none',
      amount: 0,
    });
  });
});
