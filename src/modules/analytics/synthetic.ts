import type { OrderRow, PlantedIssue, ReturnRow, SyntheticHistory } from './history-rows.ts';
import {
  buildCatalog,
  CATEGORIES,
  LINE_COUNT_WEIGHTS,
  type Product,
  QUANTITY_WEIGHTS,
  REASONS,
  SIZE_WEIGHTS,
} from './synthetic-catalog.ts';
import { ISSUES, noteFor, plantedNote } from './synthetic-notes.ts';
import {
  cumulative,
  mulberry32,
  pick,
  pickCumulative,
  pickWeighted,
  skewed,
  sum,
} from './synthetic-random.ts';

export { mulberry32 };

/**
 * A realistic, deterministic order and return history for demos, tests and benchmarks. Pure:
 * the same options give the same rows. What it models (each a knob the detectors must see through):
 * category base rates, weekly and yearly seasonality, pricier items returned more, size variants,
 * serial returners, a reason mix per category, notes in English, Simplified Chinese and Spanish,
 * and `planted` SKUs whose rate of one reason jumps ×5 from an onset day in the second half.
 */
export function generateSyntheticHistory(opts: {
  orders: number;
  seed?: number;
  start?: string;
  days?: number;
  planted?: number;
  /**
   * Where the planted issues begin: `'second-half'` (default; a detector's history sees the
   * baseline and the change) or `'recent'`, 5 to 8 weeks before the last day, so that detection
   * as of the last day still sees them as new (what a demo ending today needs).
   */
  onset?: 'second-half' | 'recent';
  onProgress?: (done: number, total: number) => void;
}): SyntheticHistory {
  const rnd = mulberry32(opts.seed ?? 1);
  const days = opts.days ?? 365;
  const start = Date.parse(`${opts.start ?? '2025-01-01'}T00:00:00Z`);
  if (!Number.isFinite(start)) throw new Error(`start must be YYYY-MM-DD, got ${opts.start}`);
  const total = Math.max(0, Math.floor(opts.orders));
  const catalog = buildCatalog(rnd, total);
  const issues = plantIssues(rnd, catalog, opts.planted ?? 3, start, days, opts.onset ?? 'second-half');
  const plantedBySku = new Map(issues.map((p) => [p.sku, p]));
  const customers = Math.max(10, Math.round(total / 3));
  // About 1.5% of customers return far more than anyone else.
  const serial = new Set<number>();
  for (let i = 0; i < Math.max(1, Math.round(customers * 0.015)); i++)
    serial.add(Math.floor(rnd() * customers));

  const perDay = allocateOrdersToDays(total, days, start);
  const popularity = cumulative(catalog.map((p) => p.popularity));
  const orders: OrderRow[] = [];
  const returns: ReturnRow[] = [];
  const periodEnd = start + days * DAY;
  let n = 0;
  for (let d = 0; d < days; d++) {
    for (let k = 0; k < perDay[d]!; k++) {
      n++;
      const placed = start + d * DAY + Math.floor(rnd() * DAY);
      const delivered = placed + (2 + Math.floor(rnd() * 5)) * DAY + Math.floor(rnd() * 8 * HOUR);
      const customer = Math.floor(skewed(rnd) * customers);
      const currency = rnd() < 0.85 ? 'USD' : 'EUR';
      const orderExternalId = `SO-${String(n).padStart(7, '0')}`;
      const lineCount = pickWeighted(rnd, LINE_COUNT_WEIGHTS) + 1;
      const chosen = new Set<number>();
      for (let li = 0; li < lineCount; li++) {
        const p = pickCumulative(rnd, popularity);
        if (chosen.has(p)) continue;
        chosen.add(p);
        const product = catalog[p]!;
        const sku = product.sizes
          ? `${product.sku}-${product.sizes[pickWeighted(rnd, SIZE_WEIGHTS)]}`
          : product.sku;
        const quantity = 1 + pickWeighted(rnd, QUANTITY_WEIGHTS);
        const unitPrice = currency === 'USD' ? product.price : Math.round(product.price * 0.92);
        const lineExternalId = String(li + 1);
        orders.push({
          orderExternalId,
          orderNumber: `#${100000 + n}`,
          placedAt: iso(placed),
          deliveredAt: iso(delivered),
          currency,
          customerEmail: `customer${customer}@example.com`,
          sku,
          title: product.title,
          category: product.category,
          lineExternalId,
          quantity,
          unitPrice,
        });

        // Will this line come back, and why?
        const cat = CATEGORIES[product.category]!;
        const priceEffect = (product.price / cat.medianPrice) ** 0.35;
        const customerEffect = serial.has(customer) ? 4 : 1;
        const month = new Date(placed).getUTCMonth();
        const seasonEffect = month === 11 ? 1.25 : 1; // gifts bought in December come back in January
        const baseRate = Math.min(0.9, cat.rate * priceEffect * customerEffect * seasonEffect);
        const issue = plantedBySku.get(sku);
        const issueActive = issue && placed >= Date.parse(`${issue.onset}T00:00:00Z`);
        let reasonCode: string | null = null;
        let phraseNote: string | null = null;
        if (rnd() < baseRate) {
          reasonCode = REASONS[pickWeighted(rnd, cat.reasonWeights)]!;
        } else if (issueActive) {
          // The planted defect: its reason's rate goes up ×5 (four more shares on top of the base;
          // ×10 for a recent onset, which has only weeks to show).
          const share =
            cat.reasonWeights[(REASONS as readonly string[]).indexOf(issue.reasonCode)]! /
            sum(cat.reasonWeights);
          if (rnd() < (cat.rate * priceEffect * share * issue.extraShares) / (1 - baseRate)) {
            reasonCode = issue.reasonCode;
            phraseNote = plantedNote(rnd, issue);
          }
        }
        if (reasonCode === null) continue;
        const requested = delivered + Math.floor((1 + rnd() * 3 + -Math.log(1 - rnd()) * 4) * DAY);
        if (requested >= periodEnd) continue;
        const returnedQty = quantity === 1 ? 1 : 1 + Math.floor(rnd() * quantity);
        const { status, resolvedAt } = outcomeOf(rnd, requested, periodEnd);
        const refunded =
          status === 'refunded' || status === 'closed'
            ? Math.round(unitPrice * returnedQty * (rnd() < 0.15 ? 0.9 : 1))
            : null;
        returns.push({
          returnExternalId: `R-${orderExternalId}-${lineExternalId}`,
          orderExternalId,
          lineExternalId,
          quantity: returnedQty,
          reasonCode,
          note: phraseNote ?? noteFor(rnd, reasonCode, product.noun),
          requestedAt: iso(requested),
          resolvedAt: resolvedAt === null ? null : iso(resolvedAt),
          status,
          refundedAmount: refunded,
        });
      }
      if (opts.onProgress && (n % 5000 === 0 || n === total)) opts.onProgress(n, total);
    }
  }
  // The files of a real shop list returns in the order they were requested.
  returns.sort((a, b) => (a.requestedAt < b.requestedAt ? -1 : a.requestedAt > b.requestedAt ? 1 : 0));
  const planted = issues.map(({ en: _en, zh: _zh, extraShares: _x, ...p }) => p);
  return { orders, returns, planted };
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

function plantIssues(
  rnd: () => number,
  catalog: Product[],
  count: number,
  start: number,
  days: number,
  onset: 'second-half' | 'recent',
): (PlantedIssue & { en: string[]; zh: string[]; extraShares: number })[] {
  // Planted SKUs are among the better sellers, so a real detector has the volume to see them; a
  // recent onset has only weeks of sales, so it goes to the very best sellers.
  const ranked = [...catalog].sort((a, b) => b.popularity - a.popularity);
  const pool = ranked.slice(0, onset === 'recent' ? count : count * 2 + 2);
  const out: (PlantedIssue & { en: string[]; zh: string[]; extraShares: number })[] = [];
  for (let i = 0; i < count && pool.length > 0; i++) {
    const product = pool.splice(Math.floor(rnd() * pool.length), 1)[0]!;
    const issue = pick(rnd, ISSUES[product.category]!);
    const u = rnd();
    const onsetDay =
      onset === 'recent' ? Math.max(0, days - 56 + Math.floor(u * 21)) : Math.floor(days * (0.55 + u * 0.25));
    out.push({
      // A sized product's issue is planted on its best-selling size (one SKU, as a batch defect is).
      sku: product.sizes ? `${product.sku}-${product.sizes[0]}` : product.sku,
      category: product.category,
      onset: iso(start + onsetDay * DAY).slice(0, 10),
      reasonCode: issue.reasonCode,
      phrases: issue.phrases,
      en: issue.en,
      zh: issue.zh,
      extraShares: onset === 'recent' ? 9 : 4,
    });
  }
  return out;
}

/** Final state and when it was reached; returns still young at the period's end are open. */
function outcomeOf(
  rnd: () => number,
  requested: number,
  periodEnd: number,
): { status: string; resolvedAt: number | null } {
  const r = rnd();
  if (r < 0.06) return { status: 'rejected', resolvedAt: requested + Math.floor(rnd() * 2 * DAY) };
  if (r < 0.09) return { status: 'cancelled', resolvedAt: requested + Math.floor(rnd() * 3 * DAY) };
  const resolved = requested + Math.floor((4 + rnd() * 6 + -Math.log(1 - rnd()) * 3) * DAY);
  if (resolved >= periodEnd) {
    const open = ['needs_review', 'awaiting_shipment', 'in_transit', 'received', 'inspected'];
    return { status: pick(rnd, open), resolvedAt: null };
  }
  return { status: rnd() < 0.7 ? 'refunded' : 'closed', resolvedAt: resolved };
}

/** Orders per day: weekends busier, a slow spring and a peak in November and December. */
function allocateOrdersToDays(total: number, days: number, start: number): number[] {
  const weights: number[] = [];
  for (let d = 0; d < days; d++) {
    const date = new Date(start + d * DAY);
    const dow = date.getUTCDay();
    const weekly = dow === 0 || dow === 6 ? 1.3 : dow === 1 ? 1.1 : 0.95;
    const doy = (date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY;
    const yearly = 1 + 0.25 * Math.cos((2 * Math.PI * (doy - 345)) / 365);
    const peak = date.getUTCMonth() === 10 && date.getUTCDate() >= 24 && date.getUTCDate() <= 30 ? 1.6 : 1;
    weights.push(weekly * yearly * peak);
  }
  // Largest remainder: the counts sum exactly to `total`.
  const w = sum(weights);
  const exact = weights.map((x) => (x / w) * total);
  const counts = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  const rest = total - sum(counts);
  for (let i = 0; i < rest; i++) counts[order[i]![1]]! += 1;
  return counts;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
