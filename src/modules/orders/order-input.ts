import { unprocessable } from '../../platform/errors.ts';
import { isCurrency } from '../../platform/money.ts';
import { orderTotal } from './order-total.ts';
import type { OrderInput } from './schemas.ts';

/** An input line as its `orderLines` row stores it (category normalised, defaults filled). */
export function lineValues(l: OrderInput['lines'][number]) {
  return {
    externalId: l.externalId,
    sku: l.sku,
    title: l.title,
    category: (l.category ?? 'general').trim().toLowerCase() || 'general',
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    discountAmount: l.discountAmount ?? 0,
    taxAmount: l.taxAmount ?? 0,
    seller: l.seller ?? null,
    sellerOrderRef: l.sellerOrderRef ?? null,
  };
}

/** The total of an input order: lines, shipping, discount, tax and fees. */
export function totalOf(input: OrderInput): number {
  return orderTotal({
    shippingAmount: input.shippingAmount ?? 0,
    discountAmount: input.discountAmount ?? 0,
    taxAmount: input.taxAmount ?? 0,
    lines: input.lines.map((l) => ({
      id: l.externalId,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discountAmount: l.discountAmount ?? 0,
      taxAmount: l.taxAmount ?? 0,
    })),
    charges: input.fees ?? [],
  });
}

/** Business checks that a JSON schema cannot express; all problems are reported at once. */
export function validateOrder(input: OrderInput): void {
  const problems: { path: string; message: string }[] = [];
  if (!isCurrency(input.currency))
    problems.push({ path: 'currency', message: `"${input.currency}" is not an ISO-4217 currency` });
  if (input.deliveredAt && new Date(input.deliveredAt) < new Date(input.placedAt)) {
    problems.push({ path: 'deliveredAt', message: 'is before placedAt' });
  }
  const seen = new Set<string>();
  let net = 0;
  input.lines.forEach((l, i) => {
    if (seen.has(l.externalId))
      problems.push({ path: `lines/${i}/externalId`, message: `"${l.externalId}" appears twice` });
    seen.add(l.externalId);
    const gross = l.unitPrice * l.quantity;
    if (!Number.isSafeInteger(gross))
      problems.push({ path: `lines/${i}`, message: 'unitPrice × quantity is too large' });
    if ((l.discountAmount ?? 0) > gross)
      problems.push({ path: `lines/${i}/discountAmount`, message: 'is more than the line is worth' });
    net += Math.max(0, gross - (l.discountAmount ?? 0));
  });
  if ((input.discountAmount ?? 0) > net)
    problems.push({
      path: 'discountAmount',
      message: 'is more than the lines are worth after their discounts',
    });
  (input.fees ?? []).forEach((f, i) => {
    if (f.lineExternalId && !seen.has(f.lineExternalId))
      problems.push({
        path: `fees/${i}/lineExternalId`,
        message: `no line "${f.lineExternalId}" in this order`,
      });
  });
  const feesTotal = (input.fees ?? []).reduce((a, f) => a + f.amount, 0);
  if (!Number.isSafeInteger(net + (input.shippingAmount ?? 0) + (input.taxAmount ?? 0) + feesTotal)) {
    problems.push({ path: 'lines', message: 'the order total is too large' });
  }
  if (problems.length) {
    throw unprocessable(
      'invalid_order',
      `The order is not consistent: ${problems[0]!.path} ${problems[0]!.message}.`,
      problems,
    );
  }
}
