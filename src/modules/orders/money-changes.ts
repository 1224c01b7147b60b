/**
 * What changed in an order's money between what is stored and a re-import: the amounts, the
 * lines' quantities and prices, the fees and the payment. Pure; the service refuses these changes
 * on an order with returns and records the accepted ones as an order event.
 */
export type MoneyChange = { field: string; before: number | string | null; after: number | string | null };

export type OrderMoney = {
  currency: string;
  shippingAmount: number;
  discountAmount: number;
  taxAmount: number;
  totalAmount: number;
  lines: {
    externalId: string;
    quantity: number;
    unitPrice: number;
    discountAmount: number;
    taxAmount: number;
  }[];
  /** Fee kind with its line's external id (absent: shared), and amount. */
  fees: { kind: string; lineExternalId: string | null; amount: number }[];
  payment: { provider: string; reference: string | null; capturedAmount: number } | null;
};

const HEADER = ['currency', 'shippingAmount', 'discountAmount', 'taxAmount', 'totalAmount'] as const;
const LINE = ['quantity', 'unitPrice', 'discountAmount', 'taxAmount'] as const;

export function moneyChanges(before: OrderMoney, after: OrderMoney): MoneyChange[] {
  const out: MoneyChange[] = [];
  const push = (field: string, b: MoneyChange['before'], a: MoneyChange['after']) => {
    if (b !== a) out.push({ field, before: b, after: a });
  };
  for (const f of HEADER) push(f, before[f], after[f]);
  const old = new Map(before.lines.map((l) => [l.externalId, l]));
  const next = new Map(after.lines.map((l) => [l.externalId, l]));
  for (const [id, l] of old) {
    const n = next.get(id);
    if (!n) push(`lines[${id}]`, 'present', null);
    else for (const f of LINE) push(`lines[${id}].${f}`, l[f], n[f]);
  }
  for (const id of next.keys()) if (!old.has(id)) push(`lines[${id}]`, null, 'present');
  const feeKey = (f: OrderMoney['fees'][number]) =>
    `${f.kind}${f.lineExternalId ? `:${f.lineExternalId}` : ''}`;
  const sum = (fees: OrderMoney['fees']) => {
    const m = new Map<string, number>();
    for (const f of fees) m.set(feeKey(f), (m.get(feeKey(f)) ?? 0) + f.amount);
    return m;
  };
  const oldFees = sum(before.fees);
  const newFees = sum(after.fees);
  for (const k of new Set([...oldFees.keys(), ...newFees.keys()])) {
    push(`fees[${k}]`, oldFees.get(k) ?? null, newFees.get(k) ?? null);
  }
  if (before.payment && after.payment) {
    push('payment.provider', before.payment.provider, after.payment.provider);
    push('payment.reference', before.payment.reference, after.payment.reference);
    push('payment.capturedAmount', before.payment.capturedAmount, after.payment.capturedAmount);
  }
  return out;
}
