import { assertMinorUnits } from '../../platform/money.ts';

/** The amounts of an order that make up what the customer paid, in minor units. */
export type PricedOrder = {
  shippingAmount: number;
  /** Order-level discount, on top of the line discounts. */
  discountAmount: number;
  /** Order-level tax that is not on any line. */
  taxAmount: number;
  lines: readonly {
    id: string;
    quantity: number;
    unitPrice: number;
    discountAmount: number;
    taxAmount: number;
  }[];
  /** Itemised charges paid on top of the goods (a purchasing agent's fees). */
  charges?: readonly { amount: number }[];
};

/** What one line's units cost before discounts and tax. */
export function lineGross(line: PricedOrder['lines'][number]): number {
  return assertMinorUnits(line.unitPrice * line.quantity, `line ${line.id} gross`);
}

/** What the customer paid for the whole order. */
export function orderTotal(order: PricedOrder): number {
  let total = 0;
  for (const line of order.lines) {
    total += lineGross(line) - line.discountAmount + line.taxAmount;
  }
  for (const c of order.charges ?? []) total += c.amount;
  return assertMinorUnits(
    total - order.discountAmount + order.shippingAmount + order.taxAmount,
    'order total',
  );
}
