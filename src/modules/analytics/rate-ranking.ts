import { DEFAULT_DETECTOR_OPTIONS } from './early-warning.ts';
import { shrunkRate, wilsonInterval } from './stats.ts';

/**
 * How "Top SKUs by return rate" ranks: by each row's rate shrunk toward its group's (a SKU toward
 * its category's), so 6 returns of 11 sold no longer outrank 120 of 400. The weight is the
 * detector's own `priorExposure`: a SKU counts as if it had also sold that many units at its
 * category's rate. Every row carries a 95 % Wilson interval of its own rate, so a reader sees how
 * little 11 units say. Pure: rows in, ranked rows out.
 */
export const RANK_PRIOR_UNITS = DEFAULT_DETECTOR_OPTIONS.priorExposure;

export type RateInput = { key: string; unitsSold: number; unitsReturned: number };
export type RankedRate<R extends RateInput> = R & {
  /** The group the rate is shrunk toward (a SKU's category; '' is the whole shop). */
  group: string;
  /** The group's own rate: its units returned / sold (null when it sold nothing). */
  groupRate: number | null;
  adjustedRate: number | null;
  rateLow: number | null;
  rateHigh: number | null;
};

/** Rows ranked by their shrunk rate (highest first; more units sold first on ties, then by key). */
export function rankRates<R extends RateInput>(
  rows: R[],
  groupOf: (row: R) => string,
  priorUnits = RANK_PRIOR_UNITS,
): RankedRate<R>[] {
  const groups = new Map<string, { sold: number; returned: number }>();
  for (const r of rows) {
    const g = groupOf(r);
    const acc = groups.get(g) ?? { sold: 0, returned: 0 };
    acc.sold += r.unitsSold;
    acc.returned += r.unitsReturned;
    groups.set(g, acc);
  }
  const ranked = rows.map((r) => {
    const group = groupOf(r);
    const g = groups.get(group)!;
    const groupRate = g.sold > 0 ? g.returned / g.sold : null;
    // Units returned can exceed units sold in a range counted by request day; a rate over 100 %
    // has no interval, so the interval is of the capped count.
    const interval = wilsonInterval(Math.min(r.unitsReturned, r.unitsSold), r.unitsSold);
    return {
      ...r,
      group,
      groupRate,
      adjustedRate:
        r.unitsSold > 0 && groupRate !== null
          ? shrunkRate(r.unitsReturned, r.unitsSold, groupRate, priorUnits)
          : null,
      rateLow: interval?.low ?? null,
      rateHigh: interval?.high ?? null,
    };
  });
  return ranked.sort(
    (a, b) =>
      (b.adjustedRate ?? -1) - (a.adjustedRate ?? -1) ||
      b.unitsSold - a.unitsSold ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}
