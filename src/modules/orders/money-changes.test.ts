import { describe, expect, it } from 'vitest';
import { moneyChanges, type OrderMoney } from './money-changes.ts';

const base: OrderMoney = {
  currency: 'USD',
  shippingAmount: 500,
  discountAmount: 0,
  taxAmount: 0,
  totalAmount: 10_500,
  lines: [
    { externalId: 'A', quantity: 1, unitPrice: 6000, discountAmount: 0, taxAmount: 0 },
    { externalId: 'B', quantity: 2, unitPrice: 2000, discountAmount: 0, taxAmount: 0 },
  ],
  fees: [{ kind: 'service_fee', lineExternalId: null, amount: 300 }],
  payment: { provider: 'manual', reference: null, capturedAmount: 10_500 },
};

describe('moneyChanges', () => {
  it('finds nothing when only the money is the same', () => {
    expect(moneyChanges(base, structuredClone(base))).toEqual([]);
  });

  it('names each changed amount with its before and after', () => {
    const next = structuredClone(base);
    next.lines[0]!.unitPrice = 60_000;
    next.totalAmount = 64_500;
    next.payment!.capturedAmount = 64_500;
    next.lines.pop();
    next.lines.push({ externalId: 'C', quantity: 1, unitPrice: 100, discountAmount: 0, taxAmount: 0 });
    next.fees = [];
    expect(moneyChanges(base, next)).toEqual([
      { field: 'totalAmount', before: 10_500, after: 64_500 },
      { field: 'lines[A].unitPrice', before: 6000, after: 60_000 },
      { field: 'lines[B]', before: 'present', after: null },
      { field: 'lines[C]', before: null, after: 'present' },
      { field: 'fees[service_fee]', before: 300, after: null },
      { field: 'payment.capturedAmount', before: 10_500, after: 64_500 },
    ]);
  });
});
