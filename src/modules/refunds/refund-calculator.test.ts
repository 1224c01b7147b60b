import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate } from '../../platform/money.ts';
import { orderTotal } from '../orders/order-total.ts';
import {
  type CalcOrder,
  type CalcReturnLine,
  calculateRefundQuote,
  linePaidComponents,
  type RefundQuote,
} from './refund-calculator.ts';

function line(id: string, quantity: number, unitPrice: number, discountAmount = 0, taxAmount = 0) {
  return { id, quantity, unitPrice, discountAmount, taxAmount, returnedQuantity: 0 };
}

function ret(orderLineId: string, quantity: number, feePercent = 0, refundShipping = false): CalcReturnLine {
  return { orderLineId, quantity, feePercent, refundShipping };
}

describe('calculateRefundQuote examples', () => {
  // USD: 2 x 25.00 shirt, 1 x 40.00 jacket with 5.00 off, 4 x 2.50 socks; $10 order discount,
  // 7.99 shipping, 8% tax on the lines. Nets are 5000, 3500, 1000 (total 9500).
  const usd: CalcOrder = {
    currency: 'USD',
    shippingAmount: 799,
    discountAmount: 1000,
    taxAmount: 0,
    lines: [line('shirt', 2, 2500, 0, 400), line('jacket', 1, 4000, 500, 280), line('socks', 4, 250, 0, 80)],
  };

  it('shares the order discount and shipping by line net, summing exactly', () => {
    // 1000 * 5000/9500 = 526.3, * 3500/9500 = 368.4, * 1000/9500 = 105.3 -> 526, 368, 105 + 1
    // to the largest remainder (.42 for the jacket).
    // Shipping 799: 420.5, 294.4, 84.1 -> 420, 294, 84 + 1 to shirt (.53).
    const c = linePaidComponents(usd);
    expect(c.get('shirt')).toMatchObject({ item: 5000, discount: 526, tax: 400, shipping: 421 });
    expect(c.get('jacket')).toMatchObject({ item: 4000, discount: 500 + 369, tax: 280, shipping: 294 });
    expect(c.get('socks')).toMatchObject({ item: 1000, discount: 105, tax: 80, shipping: 84 });
    expect(orderTotal(usd)).toBe(5000 + 3500 + 1000 + 760 - 1000 + 799);
  });

  it('prices one shirt, then the second one, with the remainder cent on the second', () => {
    const first = calculateRefundQuote({ order: usd, lines: [ret('shirt', 1)], fees: [] });
    expect(first.lines[0]).toEqual({
      orderLineId: 'shirt',
      quantity: 1,
      itemAmount: 2500,
      discount: 263,
      tax: 200,
      shipping: 0,
      restockingFee: 0,
      total: 2437,
    });
    const after = {
      ...usd,
      lines: usd.lines.map((l) => (l.id === 'shirt' ? { ...l, returnedQuantity: 1 } : l)),
    };
    const second = calculateRefundQuote({ order: after, lines: [ret('shirt', 1, 0, true)], fees: [] });
    expect(second.lines[0]).toMatchObject({
      discount: 263,
      tax: 200,
      shipping: 421 - 210,
      total: 2500 - 263 + 200 + 211,
    });
  });

  it('takes a 12.5% restocking fee off the net price only, rounding down', () => {
    // jacket net after all discounts: 4000 - 869 = 3131; 12.5% = 391.375 -> 391.
    const q = calculateRefundQuote({ order: usd, lines: [ret('jacket', 1, 12.5)], fees: [] });
    expect(q.lines[0]).toMatchObject({ restockingFee: 391, total: 3131 + 280 - 391 });
    expect(q.restockingFees).toBe(391);
    expect(q.subtotal).toBe(3020);
  });

  it('deducts return shipping and caps fees at the subtotal, in order', () => {
    const q = calculateRefundQuote({
      order: usd,
      lines: [ret('socks', 1)],
      fees: [
        { code: 'return_shipping', label: 'Return shipping', amount: 200 },
        { code: 'rule:handling', label: 'Handling', amount: 500 },
      ],
    });
    // one pair of socks: 250 - floor(105*1/4)=26 + 20 tax = 244
    expect(q.subtotal).toBe(244);
    expect(q.fees).toEqual([
      { code: 'return_shipping', label: 'Return shipping', amount: 200 },
      { code: 'rule:handling', label: 'Handling', amount: 44 },
    ]);
    expect(q.returnShippingFee).toBe(200);
    expect(q.total).toBe(0);
  });

  it('handles JPY, which has no minor unit', () => {
    const jpy: CalcOrder = {
      currency: 'JPY',
      shippingAmount: 800,
      discountAmount: 500,
      taxAmount: 0,
      lines: [line('tea', 3, 1200, 0, 360), line('cup', 1, 2000, 0, 200)],
    };
    // nets 3600 / 2000: discount 321.4 / 178.6 -> 321 / 179; shipping 514.3 / 285.7 -> 514 / 286
    const q = calculateRefundQuote({ order: jpy, lines: [ret('tea', 2, 0, true), ret('cup', 1)], fees: [] });
    expect(q.lines).toEqual([
      {
        orderLineId: 'tea',
        quantity: 2,
        itemAmount: 2400,
        discount: 214,
        tax: 240,
        shipping: 342,
        restockingFee: 0,
        total: 2768,
      },
      {
        orderLineId: 'cup',
        quantity: 1,
        itemAmount: 2000,
        discount: 179,
        tax: 200,
        shipping: 0,
        restockingFee: 0,
        total: 2021,
      },
    ]);
    expect(q.total).toBe(4789);
  });

  it('handles KWD, which has three decimals, and order-level tax', () => {
    const kwd: CalcOrder = {
      currency: 'KWD',
      shippingAmount: 1500,
      discountAmount: 0,
      taxAmount: 1001,
      lines: [line('a', 1, 12_345), line('b', 2, 5_000, 1_000)],
    };
    // nets 12345 / 9000 (21345): tax 578.9 / 422.06 -> 579 / 422
    const q = calculateRefundQuote({
      order: kwd,
      lines: [ret('a', 1, 0, true), ret('b', 2, 0, true)],
      fees: [],
    });
    expect(q.lines.map((l) => l.tax)).toEqual([579, 422]);
    expect(q.total).toBe(orderTotal(kwd));
    expect(orderTotal(kwd)).toBe(12_345 + 9_000 + 1_001 + 1_500);
  });

  it('slices the same line twice in one request without pricing a unit twice', () => {
    const q = calculateRefundQuote({ order: usd, lines: [ret('socks', 1), ret('socks', 3)], fees: [] });
    expect(q.lines.map((l) => l.discount)).toEqual([26, 79]);
  });

  it('throws RangeError on an unknown line or too many units', () => {
    expect(() => calculateRefundQuote({ order: usd, lines: [ret('nope', 1)], fees: [] })).toThrow(RangeError);
    expect(() => calculateRefundQuote({ order: usd, lines: [ret('shirt', 3)], fees: [] })).toThrow(
      RangeError,
    );
    expect(() =>
      calculateRefundQuote({ order: usd, lines: [ret('shirt', 2), ret('shirt', 1)], fees: [] }),
    ).toThrow(RangeError);
    expect(() => calculateRefundQuote({ order: usd, lines: [ret('shirt', 0)], fees: [] })).toThrow(
      RangeError,
    );
    expect(() => calculateRefundQuote({ order: usd, lines: [ret('shirt', 1, 101)], fees: [] })).toThrow(
      RangeError,
    );
  });
});

// --- properties ---------------------------------------------------------------------------

const orderArb: fc.Arbitrary<CalcOrder> = fc
  .record({
    currency: fc.constantFrom('JPY', 'USD', 'KWD'),
    lines: fc.array(
      fc
        .record({
          quantity: fc.integer({ min: 1, max: 20 }),
          unitPrice: fc.integer({ min: 0, max: 1e9 }),
          discountFraction: fc.double({ min: 0, max: 1, noNaN: true }),
          taxAmount: fc.integer({ min: 0, max: 1e8 }),
        })
        .map((l) => {
          const gross = l.unitPrice * l.quantity;
          return line('', l.quantity, l.unitPrice, Math.floor(gross * l.discountFraction), l.taxAmount);
        }),
      { minLength: 1, maxLength: 6 },
    ),
    orderDiscountFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    shippingAmount: fc.integer({ min: 0, max: 1e7 }),
    taxAmount: fc.integer({ min: 0, max: 1e8 }),
  })
  .map((o) => {
    const nets = o.lines.reduce((s, l) => s + l.unitPrice * l.quantity - l.discountAmount, 0);
    return {
      currency: o.currency,
      shippingAmount: o.shippingAmount,
      taxAmount: o.taxAmount,
      discountAmount: Math.floor(nets * o.orderDiscountFraction),
      lines: o.lines.map((l, i) => ({ ...l, id: `l${i}` })),
    };
  });

/** An order plus a plan: every unit of every line, cut into chunks, spread over returns. */
const planArb = orderArb.chain((order) =>
  fc
    .tuple(
      ...order.lines.map((l) =>
        fc
          .array(fc.integer({ min: 1, max: l.quantity }), { minLength: 1, maxLength: l.quantity })
          .map((cuts) => {
            const chunks: number[] = [];
            let left = l.quantity;
            for (const c of cuts) {
              if (left === 0) break;
              const take = Math.min(c, left);
              chunks.push(take);
              left -= take;
            }
            if (left > 0) chunks.push(left);
            return chunks.map((quantity) => ({ orderLineId: l.id, quantity }));
          }),
      ),
    )
    .chain((perLine) => {
      const chunks = perLine.flat();
      return fc
        .tuple(
          fc.shuffledSubarray(chunks, { minLength: chunks.length, maxLength: chunks.length }),
          fc.array(fc.integer({ min: 1, max: 4 }), { minLength: chunks.length, maxLength: chunks.length }),
        )
        .map(([shuffled, sizes]) => {
          const returns: { orderLineId: string; quantity: number }[][] = [];
          let i = 0;
          for (const size of sizes) {
            if (i >= shuffled.length) break;
            returns.push(shuffled.slice(i, i + size));
            i += size;
          }
          return { order, returns };
        });
    }),
);

/** Runs the returns one after another, as the service would, and collects the quotes. */
function runPlan(
  order: CalcOrder,
  returns: { orderLineId: string; quantity: number }[][],
  refundShipping: boolean,
  refundCharges: readonly string[] = [],
): RefundQuote[] {
  const returned = new Map<string, number>();
  return returns.map((r) => {
    const current = {
      ...order,
      lines: order.lines.map((l) => ({ ...l, returnedQuantity: returned.get(l.id) ?? 0 })),
    };
    const quote = calculateRefundQuote({
      order: current,
      lines: r.map((x) => ({ ...x, feePercent: 0, refundShipping, refundCharges })),
      fees: [],
    });
    for (const x of r) returned.set(x.orderLineId, (returned.get(x.orderLineId) ?? 0) + x.quantity);
    return quote;
  });
}

describe('calculateRefundQuote properties', () => {
  it('(a) returning every unit in any sequence of partial returns refunds exactly the order total', () => {
    fc.assert(
      fc.property(planArb, ({ order, returns }) => {
        const quotes = runPlan(order, returns, true);
        expect(quotes.reduce((s, q) => s + q.total, 0)).toBe(orderTotal(order));
      }),
      { numRuns: 300 },
    );
  });

  it('(b) without shipping refunds, the returns add up to the order total less shipping', () => {
    fc.assert(
      fc.property(planArb, ({ order, returns }) => {
        const quotes = runPlan(order, returns, false);
        expect(quotes.reduce((s, q) => s + q.total, 0)).toBe(orderTotal(order) - order.shippingAmount);
      }),
      { numRuns: 300 },
    );
  });

  it('(d) itemised charges (shared and per line) come back exactly, or are listed as kept', () => {
    const withCharges = planArb.chain(({ order, returns }) =>
      fc
        .array(
          fc.record({
            code: fc.constantFrom('service_fee', 'domestic_shipping', 'insurance'),
            amount: fc.integer({ min: 0, max: 1e7 }),
            line: fc.option(fc.integer({ min: 0, max: order.lines.length - 1 })),
          }),
          { maxLength: 5 },
        )
        .map((cs) => ({
          order: {
            ...order,
            charges: cs.map((c) => ({
              code: c.code,
              amount: c.amount,
              lineId: c.line === null ? null : order.lines[c.line]!.id,
            })),
          },
          returns,
        })),
    );
    fc.assert(
      fc.property(withCharges, ({ order, returns }) => {
        const chargesTotal = (order.charges ?? []).reduce((s, c) => s + c.amount, 0);
        const kept = runPlan(order, returns, true, []);
        expect(kept.reduce((s, q) => s + q.total, 0)).toBe(orderTotal(order) - chargesTotal);
        const paid = kept.flatMap((q) => q.lines.flatMap((l) => l.charges ?? []));
        expect(paid.reduce((s, c) => s + c.paid, 0)).toBe(chargesTotal);
        expect(paid.every((c) => c.refunded === 0)).toBe(true);
        const all = runPlan(order, returns, true, ['service_fee', 'domestic_shipping', 'insurance']);
        expect(all.reduce((s, q) => s + q.total, 0)).toBe(orderTotal(order));
      }),
      { numRuns: 300 },
    );
  });

  it('(c) line totals are never negative, fees never push the total below 0, all amounts are safe integers', () => {
    const arb = orderArb.chain((order) =>
      fc.record({
        order: fc.constant(order),
        lines: fc.subarray(order.lines, { minLength: 1 }).chain((ls) =>
          fc.tuple(
            ...ls.map((l) =>
              fc.record({
                orderLineId: fc.constant(l.id),
                quantity: fc.integer({ min: 1, max: l.quantity }),
                feePercent: fc.oneof(
                  fc.constant(0),
                  fc.integer({ min: 0, max: 10_000 }).map((bp) => bp / 100),
                ),
                refundShipping: fc.boolean(),
              }),
            ),
          ),
        ),
        fees: fc.array(
          fc.record({
            code: fc.constantFrom('return_shipping', 'rule:x'),
            label: fc.constant('Fee'),
            amount: fc.integer({ min: 0, max: 1e10 }),
          }),
          { maxLength: 3 },
        ),
      }),
    );
    fc.assert(
      fc.property(arb, ({ order, lines, fees }) => {
        const q = calculateRefundQuote({ order, lines, fees });
        for (const l of q.lines) {
          expect(l.total).toBeGreaterThanOrEqual(0);
          expect(l.restockingFee).toBeLessThanOrEqual(l.itemAmount - l.discount);
          for (const n of Object.values(l))
            if (typeof n === 'number') expect(Number.isSafeInteger(n)).toBe(true);
        }
        expect(q.total).toBeGreaterThanOrEqual(0);
        expect(q.total).toBeLessThanOrEqual(q.subtotal);
        expect(q.total).toBe(q.subtotal - q.fees.reduce((s, f) => s + f.amount, 0));
        for (const n of [
          q.total,
          q.subtotal,
          q.restockingFees,
          q.returnShippingFee,
          ...q.fees.map((f) => f.amount),
        ]) {
          expect(Number.isSafeInteger(n)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('(d) allocate parts sum to the total and each is within 1 of its exact share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.array(fc.integer({ min: 0, max: 2e10 }), { minLength: 1, maxLength: 8 }),
        (total, weights) => {
          const parts = allocate(total, weights);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          const sum = weights.reduce((a, b) => a + BigInt(b), 0n);
          const w = sum === 0n ? weights.map(() => 1n) : weights.map(BigInt);
          const denom = sum === 0n ? BigInt(weights.length) : sum;
          parts.forEach((p, i) => {
            // |part - total*w/denom| < 1  <=>  |part*denom - total*w| < denom
            const diff = BigInt(p) * denom - BigInt(total) * w[i]!;
            expect(diff < 0n ? -diff : diff).toBeLessThan(denom);
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});
