import type { ResolvedQuote } from './resolution-quote.ts';

/**
 * One row of what a customer gets back, for every view that shows it (portal review, tracking
 * page, console, emails, API). `code` names the row for translations: `items`, `discounts`, `tax`,
 * `shipping`, `charge:<kind>` (a purchasing agent's fee that comes back), `restocking`,
 * `fee:<code>` (a policy fee, with the shop's `label`), `new_items`, `bonus`, `adjusted`, `due`.
 */
export type BreakdownRow = { code: string; label: string; amount: number };

/** The codes of the fixed rows; the web app has a translation for each. */
export const BREAKDOWN_CODES = [
  'items',
  'discounts',
  'tax',
  'shipping',
  'restocking',
  'new_items',
  'bonus',
  'due',
  'replaced',
  'adjusted',
] as const;
export type BreakdownCode = (typeof BREAKDOWN_CODES)[number];
type Row = { code: BreakdownCode | `charge:${string}` | `fee:${string}`; label: string; amount: number };

export type Breakdown = {
  rows: BreakdownRow[];
  /** What the customer receives, bonus included: always the sum of the rows. */
  total: number;
  /** What the customer pays for an exchange's new items beyond the return's value (also a row). */
  due: number;
};

const CHARGE_LABELS: Record<string, string> = {
  domestic_shipping: 'Domestic shipping',
  service_fee: 'Service fee',
  international_shipping: 'International shipping',
  insurance: 'Insurance',
  payment_fee: 'Payment fee',
};

/** What the customer receives for the quote: the payout, plus the bonus when it is store credit. */
export function amountReceived(q: Pick<ResolvedQuote, 'payout' | 'bonus'>, payout = q.payout.amount): number {
  return payout + (q.payout.method === 'store_credit' ? (q.bonus ?? 0) : 0);
}

/**
 * The quote as rows that add up to what the customer receives. `payout` is what is actually paid
 * out when it differs from the quote (units not accepted at inspection, an agent's partial
 * refund): the difference is its own `adjusted` row, so the rows still add up. Pure.
 */
export function customerBreakdown(q: ResolvedQuote, payout = q.payout.amount): Breakdown {
  const sum = (f: (l: ResolvedQuote['lines'][number]) => number) => q.lines.reduce((a, l) => a + f(l), 0);
  // Typed by code, so a new kind of row must be added to BREAKDOWN_CODES (and translated).
  const rows: Row[] = [
    { code: 'items', label: 'Items', amount: sum((l) => l.itemAmount) },
    { code: 'discounts', label: 'Discounts', amount: -sum((l) => l.discount) },
    { code: 'tax', label: 'Tax', amount: sum((l) => l.tax) },
    { code: 'shipping', label: 'Shipping', amount: sum((l) => l.shipping) },
    // Itemised charges (purchasing agents) that come back with the goods.
    ...[...new Set(q.lines.flatMap((l) => (l.charges ?? []).map((c) => c.code)))].map((code) => ({
      code: `charge:${code}` as const,
      label: CHARGE_LABELS[code] ?? code,
      amount: sum((l) => l.charges?.find((c) => c.code === code)?.refunded ?? 0),
    })),
    { code: 'restocking', label: 'Restocking fees', amount: -q.restockingFees },
    ...q.fees.map((f) => ({ code: `fee:${f.code}` as const, label: f.label, amount: -f.amount })),
  ];
  if (q.exchange) rows.push({ code: 'new_items', label: 'New items', amount: -q.exchange.itemsTotal });
  const bonus = q.payout.method === 'store_credit' ? (q.bonus ?? 0) : 0;
  if (bonus) rows.push({ code: 'bonus', label: 'Bonus credit', amount: bonus });
  const due = q.exchange?.amountDue ?? 0;
  if (due) rows.push({ code: 'due', label: 'Paid by you', amount: due });
  const total = amountReceived(q, payout);
  const shown = rows.reduce((a, r) => a + r.amount, 0);
  // Replacements and repairs send the goods back, not money: their value is not "received".
  if (q.payout.method === 'none' && !q.exchange) {
    rows.push({ code: 'replaced', label: 'Replaced or repaired instead', amount: -shown });
  } else if (shown !== total) {
    rows.push({ code: 'adjusted', label: 'Adjusted at inspection', amount: total - shown });
  }
  return { rows: rows.filter((r) => r.amount !== 0 || r.code === 'items'), total, due };
}
