import { allocate, assertMinorUnits, mulDivFloor, unitSlice } from '../../platform/money.ts';
import { lineGross } from '../orders/order-total.ts';

export type CalcOrderLine = {
  id: string;
  quantity: number;
  unitPrice: number;
  discountAmount: number;
  taxAmount: number;
  /** Units already taken by earlier, still-open or refunded returns. */
  returnedQuantity: number;
};

export type CalcOrder = {
  currency: string;
  shippingAmount: number;
  /** Order-level discount, on top of the line discounts. */
  discountAmount: number;
  /** Order-level tax that is not on any line. */
  taxAmount: number;
  lines: CalcOrderLine[];
  /**
   * Itemised charges paid on top of the goods (a purchasing agent's service fee, domestic and
   * international shipping, insurance, payment fees). A charge with `lineId` belongs to that
   * line; one without is shared across the lines like shipping.
   */
  charges?: CalcCharge[];
};

export type CalcCharge = { code: string; amount: number; lineId?: string | null };

export type CalcReturnLine = {
  orderLineId: string;
  quantity: number;
  /** Restocking and rule fees, 0..100, may be fractional (12.5); resolved to basis points. */
  feePercent: number;
  refundShipping: boolean;
  /** Codes of the charges refunded with this line; the others are listed as kept. */
  refundCharges?: readonly string[];
};

/** A line's share of one charge for the returned units, and what of it is refunded. */
export type QuoteCharge = { code: string; paid: number; refunded: number };

/** A return-level fee such as `return_shipping`. */
export type CalcFee = { code: string; label: string; amount: number };

export type QuoteLine = {
  orderLineId: string;
  quantity: number;
  /** unitPrice * quantity */
  itemAmount: number;
  /** Line discount plus the line's share of the order discount. */
  discount: number;
  /** Line tax plus the line's share of the order-level tax. */
  tax: number;
  /** The line's share of the order shipping; 0 unless refundShipping. */
  shipping: number;
  restockingFee: number;
  /** The returned units' share of each itemised charge of the order (absent when it has none). */
  charges?: QuoteCharge[];
  /** itemAmount - discount + tax + shipping - restockingFee + the refunded charges */
  total: number;
};

export type RefundQuote = {
  currency: string;
  lines: QuoteLine[];
  /** Sum of the line totals (restocking fees already taken off). */
  subtotal: number;
  restockingFees: number;
  /** Sum of the charged fees with code `return_shipping`. */
  returnShippingFee: number;
  /**
   * The return-level fees as charged: each is capped so that together they never exceed
   * the subtotal, in the order given; a fee that found nothing left to take is listed with 0.
   */
  fees: CalcFee[];
  /** subtotal minus the charged fees; never below 0. */
  total: number;
};

type LineComponents = {
  item: number;
  discount: number;
  tax: number;
  shipping: number;
  charges: Map<string, number>;
};

/**
 * What each line paid for all of its units: its gross, its discount and tax including its
 * share of the order-level amounts, and its share of shipping. Shares are weighted by the
 * line's net (gross minus line discount) and split by largest remainder, so the shares of
 * every order-level amount add up to it exactly.
 */
export function linePaidComponents(order: CalcOrder): Map<string, LineComponents> {
  assertOrder(order);
  const nets = order.lines.map((l) => Math.max(0, lineGross(l) - l.discountAmount));
  const discounts = allocate(order.discountAmount, nets);
  const taxes = allocate(order.taxAmount, nets);
  const shipping = allocate(order.shippingAmount, nets);
  const out = new Map<string, LineComponents>();
  order.lines.forEach((line, i) => {
    out.set(line.id, {
      item: lineGross(line),
      discount: line.discountAmount + discounts[i]!,
      tax: line.taxAmount + taxes[i]!,
      shipping: shipping[i]!,
      charges: new Map(),
    });
  });
  // Charges in the order given: a line's own charges, then its share of the shared ones.
  for (const c of order.charges ?? []) {
    const shares = c.lineId
      ? order.lines.map((l) => (l.id === c.lineId ? c.amount : 0))
      : allocate(c.amount, nets);
    order.lines.forEach((line, i) => {
      const own = out.get(line.id)!.charges;
      if (shares[i]! > 0 || !own.has(c.code)) own.set(c.code, (own.get(c.code) ?? 0) + shares[i]!);
    });
  }
  return out;
}

/**
 * Prices a return. Each line component is cut per unit by cumulative flooring from the
 * units already returned, so any sequence of partial returns of a line adds up exactly to
 * what the line paid. Throws RangeError on programmer errors (unknown line, too many units):
 * the service validates what the customer asked for before it gets here.
 */
export function calculateRefundQuote(input: {
  order: CalcOrder;
  lines: CalcReturnLine[];
  fees: CalcFee[];
}): RefundQuote {
  const { order } = input;
  const components = linePaidComponents(order);
  const byId = new Map(order.lines.map((l) => [l.id, l]));
  // The same order line may appear twice in one request; the second slice starts where the
  // first ended so the units are not priced twice.
  const cursor = new Map<string, number>();

  const lines: QuoteLine[] = input.lines.map((rl) => {
    const line = byId.get(rl.orderLineId);
    const paid = components.get(rl.orderLineId);
    if (!line || !paid) throw new RangeError(`unknown order line ${rl.orderLineId}`);
    if (!Number.isSafeInteger(rl.quantity) || rl.quantity < 1) {
      throw new RangeError(`return quantity must be a positive integer, got ${rl.quantity}`);
    }
    const from = cursor.get(line.id) ?? line.returnedQuantity;
    const to = from + rl.quantity;
    if (to > line.quantity) {
      throw new RangeError(
        `line ${line.id}: returning ${rl.quantity} more of ${line.quantity} units, ${from} already taken`,
      );
    }
    cursor.set(line.id, to);

    const itemAmount = unitSlice(paid.item, line.quantity, from, to);
    const discount = unitSlice(paid.discount, line.quantity, from, to);
    const tax = unitSlice(paid.tax, line.quantity, from, to);
    const shipping = rl.refundShipping ? unitSlice(paid.shipping, line.quantity, from, to) : 0;
    // The fee is a share of the net price only: tax and shipping are refunded in full.
    const restockingFee = mulDivFloor(Math.max(0, itemAmount - discount), basisPoints(rl.feePercent), 10_000);
    const charges = [...paid.charges].map(([code, amount]) => {
      const share = unitSlice(amount, line.quantity, from, to);
      return { code, paid: share, refunded: rl.refundCharges?.includes(code) ? share : 0 };
    });
    const total =
      itemAmount - discount + tax + shipping - restockingFee + sum(charges.map((c) => c.refunded));
    return {
      orderLineId: line.id,
      quantity: rl.quantity,
      itemAmount,
      discount,
      tax,
      shipping,
      restockingFee,
      ...(charges.length ? { charges } : {}),
      total,
    };
  });

  const subtotal = sum(lines.map((l) => l.total));
  let left = subtotal;
  const fees = input.fees.map((fee) => {
    assertMinorUnits(fee.amount, `fee ${fee.code}`);
    if (fee.amount < 0) throw new RangeError(`fee ${fee.code} is negative`);
    const amount = Math.min(fee.amount, Math.max(0, left));
    left -= amount;
    return { code: fee.code, label: fee.label, amount };
  });
  const charged = sum(fees.map((f) => f.amount));

  return {
    currency: order.currency,
    lines,
    subtotal,
    restockingFees: sum(lines.map((l) => l.restockingFee)),
    returnShippingFee: sum(fees.filter((f) => f.code === 'return_shipping').map((f) => f.amount)),
    fees,
    total: Math.max(0, subtotal - charged),
  };
}

function basisPoints(percent: number): number {
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new RangeError(`fee percent must be within 0..100, got ${percent}`);
  }
  return Math.round(percent * 100);
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

// Bad order data would make line totals negative or shares nonsensical; it is rejected when
// orders are imported, so meeting it here is a bug.
function assertOrder(order: CalcOrder): void {
  for (const [what, n] of [
    ['shipping', order.shippingAmount],
    ['order discount', order.discountAmount],
    ['order tax', order.taxAmount],
  ] as const) {
    assertMinorUnits(n, what);
    if (n < 0) throw new RangeError(`${what} is negative`);
  }
  let nets = 0;
  const ids = new Set<string>();
  for (const line of order.lines) {
    if (ids.has(line.id)) throw new RangeError(`duplicate order line ${line.id}`);
    ids.add(line.id);
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 0) {
      throw new RangeError(`line ${line.id}: bad quantity ${line.quantity}`);
    }
    if (!Number.isSafeInteger(line.returnedQuantity) || line.returnedQuantity < 0) {
      throw new RangeError(`line ${line.id}: bad returned quantity ${line.returnedQuantity}`);
    }
    for (const n of [line.unitPrice, line.discountAmount, line.taxAmount]) {
      assertMinorUnits(n, `line ${line.id} amount`);
      if (n < 0) throw new RangeError(`line ${line.id}: negative amount`);
    }
    const gross = lineGross(line);
    if (line.discountAmount > gross) throw new RangeError(`line ${line.id}: discount exceeds price`);
    nets += gross - line.discountAmount;
  }
  if (order.discountAmount > nets) throw new RangeError('order discount exceeds the lines it applies to');
  for (const c of order.charges ?? []) {
    assertMinorUnits(c.amount, `charge ${c.code}`);
    if (c.amount < 0) throw new RangeError(`charge ${c.code} is negative`);
    if (c.lineId && !ids.has(c.lineId)) throw new RangeError(`charge ${c.code}: unknown line ${c.lineId}`);
  }
}
