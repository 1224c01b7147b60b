import type { Candidate, DetectorInput, DetectorOptions, Sums, WindowBounds } from './early-warning-types.ts';
import { benjaminiHochberg, binomialUpperTail, poissonUpperTail } from './stats.ts';

/**
 * The rate tests of the early warning (early-warning.ts): lag-weighted exposure, and each SKU's
 * recent rate against its own baseline and against the rest of its category.
 */

const DAY = 86_400_000;

export function dayString(start: string, index: number): string {
  return new Date(Date.parse(`${start}T00:00:00Z`) + index * DAY).toISOString().slice(0, 10);
}

/** Expected returns per day at a rate of 1: sales of the preceding days weighted by the lag pmf. */
export function exposureSeries(
  sold: ArrayLike<number>,
  lag: ArrayLike<number>,
  from: number,
  to: number,
): Float64Array {
  // Day d is Σ_k sold[d − k] · lag[k] over k = 0, 1, 2 … A long-tail SKU sells on few days, so
  // each day's sales are spread forward instead; walking the sale days from the last back adds
  // every day's terms in the same order (k ascending), so the sums are bit for bit the same.
  const out = new Float64Array(Math.max(0, to - from));
  for (let t = Math.min(to, sold.length) - 1; t >= 0; t--) {
    const s = sold[t]!;
    if (!s) continue;
    if (t + lag.length <= from) break;
    const base = t - from;
    for (let k = Math.max(0, from - t); k < lag.length && t + k < to; k++) out[base + k]! += s * lag[k]!;
  }
  return out;
}

export function sumRange(xs: ArrayLike<number>, from: number, to: number): number {
  let s = 0;
  for (let i = Math.max(0, from); i < to; i++) s += xs[i] ?? 0;
  return s;
}

/**
 * Upper-tail p-value that `x` of `x + xRef` events fall in the recent side when the two sides
 * share one Poisson rate and their exposures are `e` and `eRef` — the exact conditional test for
 * comparing two rates, which carries the reference's own uncertainty. Real-valued counts (after
 * shrinkage) use the continuous extension of the binomial tail.
 */
export function rateRatioPValue(x: number, e: number, xRef: number, eRef: number): number {
  if (x <= 0 || e <= 0) return 1;
  if (eRef <= 0) return 1;
  return binomialUpperTail(x, x + xRef, e / (e + eRef));
}

/** The median of the lag pmf, in days. */
export function lagMedian(lag: ArrayLike<number>): number {
  let acc = 0;
  for (let k = 0; k < lag.length; k++) {
    acc += lag[k]!;
    if (acc >= 0.5) return k;
  }
  return lag.length - 1;
}

/**
 * One pass of tests. `excluded` holds `skuIndex|kind` pairs left out of the category and tenant
 * references: a big SKU with a real problem would otherwise lift its category's rate and hide
 * itself and its neighbours.
 */
export function rateCandidates(
  tested: {
    input: DetectorInput;
    o: DetectorOptions;
    T: number;
    windows: number[];
    kinds: string[];
    bounds: WindowBounds[];
    sums: Sums[][];
  },
  excluded: Set<string>,
) {
  const { input, o, T, windows, kinds, bounds, sums } = tested;
  type Totals = { e: number; x: number };
  // Sums per window × category × kind and per window × kind, added in SKU order as ever.
  const zero = (): Totals[] => kinds.map(() => ({ e: 0, x: 0 }));
  const recentCat = windows.map(() => new Map<string, Totals[]>());
  const recentAll = windows.map(() => zero());
  const baseCat = windows.map(() => new Map<string, Totals[]>());
  const baseAll = windows.map(() => zero());
  const ofCategory = (m: Map<string, Totals[]>, cat: string) => {
    let t = m.get(cat);
    if (!t) {
      t = zero();
      m.set(cat, t);
    }
    return t;
  };
  const isExcluded = (i: number, kind: string) => excluded.size > 0 && excluded.has(`${i}|${kind}`);
  input.skus.forEach((s, i) => {
    const cats = windows.map((_, wi) => [
      ofCategory(recentCat[wi]!, s.category),
      ofCategory(baseCat[wi]!, s.category),
    ]);
    kinds.forEach((kind, j) => {
      if (isExcluded(i, kind)) return;
      windows.forEach((_, wi) => {
        const w = sums[i]![wi]!;
        const xr = w.xr.get(kind) ?? 0;
        const xb = w.xb.get(kind) ?? 0;
        const [rc, bc] = cats[wi]!;
        rc![j]!.e += w.er;
        rc![j]!.x += xr;
        recentAll[wi]![j]!.e += w.er;
        recentAll[wi]![j]!.x += xr;
        bc![j]!.e += w.eb;
        bc![j]!.x += xb;
        baseAll[wi]![j]!.e += w.eb;
        baseAll[wi]![j]!.x += xb;
      });
    });
  });
  const none: Totals = { e: 0, x: 0 };

  const candidates: (Candidate | null)[] = [];
  input.skus.forEach((s, i) => {
    kinds.forEach((kind, j) => {
      let best: Candidate | null = null;
      const longest = sums[i]![windows.length - 1]!;
      if ((longest.xr.get(kind) ?? 0) + (longest.xb.get(kind) ?? 0) < o.minTotalReturns) return;
      if (s.kinds.has(kind)) {
        const self = !isExcluded(i, kind);
        windows.forEach((_, wi) => {
          const b = bounds[wi]!;
          const w = sums[i]![wi]!;
          const xr = w.xr.get(kind) ?? 0;
          if (xr < o.minReturns) return;
          const { er, eb } = w;
          const xb = w.xb.get(kind) ?? 0;
          const bc = baseCat[wi]!.get(s.category)?.[j] ?? none;
          const catBaseRate = bc.e > 0 ? bc.x / bc.e : 0;
          // Shrink the SKU's baseline toward its category's: a SKU with little history borrows it.
          const xbS = xb + o.priorExposure * catBaseRate;
          const ebS = eb + o.priorExposure;
          const rc = recentCat[wi]!.get(s.category)?.[j] ?? none;
          const ra = recentAll[wi]![j]!;
          let scope: 'category' | 'category-baseline' | 'tenant' = 'category';
          let xc = rc.x - (self ? xr : 0);
          let ec = rc.e - (self ? er : 0);
          let refRate = ec > 0 ? xc / ec : 0;
          let pCat = (x: number) => rateRatioPValue(x, er, xc, ec);
          if (ec < o.minCategoryExposure) {
            // Too few sales in the rest of the category to compare with now: its baseline,
            // moved by the tenant's own change since then (the season), is the reference.
            const ab = baseAll[wi]![j]!;
            const xcb = bc.x - (self ? xb : 0);
            const ecb = bc.e - (self ? eb : 0);
            const xa = ra.x - (self ? xr : 0);
            const ea = ra.e - (self ? er : 0);
            const xab = ab.x - (self ? xb : 0);
            const eab = ab.e - (self ? eb : 0);
            if (ecb >= o.minCategoryExposure && ea > 0 && xab > 0 && eab > 0) {
              scope = 'category-baseline';
              const adjusted = (xcb / ecb) * (xa / ea / (xab / eab));
              refRate = adjusted;
              xc = adjusted * er;
              ec = er;
              pCat = (x: number) => poissonUpperTail(x, adjusted * er);
            } else {
              scope = 'tenant';
              xc = xa;
              ec = ea;
              refRate = ea > 0 ? xa / ea : 0;
              pCat = (x: number) => rateRatioPValue(x, er, xa, ea);
            }
          }
          if (er <= 0 || ec <= 0 || refRate <= 0) return;
          const rate = xr / er;
          const before = xbS / ebS;
          if (rate < o.minLift * Math.max(before, refRate)) return;
          const pOwn = rateRatioPValue(xr, er, xbS, ebS);
          const p = Math.min(1, Math.max(pOwn, pCat(xr)) * windows.length);
          if (best !== null && p >= best.pValue) return;
          best = {
            sku: s.sku,
            category: s.category,
            kind,
            since: '',
            affectedOrdersSince: '',
            pValue: p,
            change: { before, now: rate, lift: rate / Math.max(before, refRate, 1e-12) },
            evidence: {
              window: {
                from: dayString(input.start, b.rFrom),
                to: dayString(input.start, T - 1),
                linesSold: sumRange(s.sold, b.rFrom, T),
                returned: xr,
                exposure: er,
                rate,
              },
              baseline: {
                from: dayString(input.start, b.bFrom),
                to: dayString(input.start, b.bTo - 1),
                linesSold: sumRange(s.sold, b.bFrom, b.bTo),
                returned: xb,
                exposure: eb,
                rate: eb > 0 ? xb / eb : 0,
                shrunkRate: before,
              },
              reference: {
                scope,
                name: scope === 'tenant' ? 'all SKUs' : s.category,
                rate: refRate,
                returned: xc,
                exposure: ec,
              },
              expectedReturns: Math.max(before, refRate) * er,
              testsRun: 0,
            },
            series: i,
          };
        });
      }
      candidates.push(best);
    });
  });
  const pValues = candidates.map((c) => (c ? c.pValue : 1));
  return { candidates, pValues, qValues: benjaminiHochberg(pValues) };
}
