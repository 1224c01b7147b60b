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
  const out = new Float64Array(Math.max(0, to - from));
  for (let d = from; d < to; d++) {
    let e = 0;
    for (let k = 0; k < lag.length && k <= d; k++) {
      const s = sold[d - k]!;
      if (s) e += s * lag[k]!;
    }
    out[d - from] = e;
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
  const key = (cat: string, kind: string) => `${cat}\u0000${kind}`;
  const recentCat = windows.map(() => new Map<string, Totals>());
  const recentAll = windows.map(() => new Map<string, Totals>());
  const baseCat = windows.map(() => new Map<string, Totals>());
  const baseAll = windows.map(() => new Map<string, Totals>());
  const add = (m: Map<string, Totals>, k: string, e: number, x: number) => {
    const t = m.get(k);
    if (t) {
      t.e += e;
      t.x += x;
    } else m.set(k, { e, x });
  };
  input.skus.forEach((s, i) => {
    for (const kind of kinds) {
      if (excluded.has(`${i}|${kind}`)) continue;
      windows.forEach((_, wi) => {
        const w = sums[i]![wi]!;
        add(recentCat[wi]!, key(s.category, kind), w.er, w.xr.get(kind) ?? 0);
        add(recentAll[wi]!, kind, w.er, w.xr.get(kind) ?? 0);
        add(baseCat[wi]!, key(s.category, kind), w.eb, w.xb.get(kind) ?? 0);
        add(baseAll[wi]!, kind, w.eb, w.xb.get(kind) ?? 0);
      });
    }
  });

  const candidates: (Candidate | null)[] = [];
  input.skus.forEach((s, i) => {
    for (const kind of kinds) {
      let best: Candidate | null = null;
      const longest = sums[i]![windows.length - 1]!;
      if ((longest.xr.get(kind) ?? 0) + (longest.xb.get(kind) ?? 0) < o.minTotalReturns) continue;
      if (s.kinds.has(kind)) {
        const self = !excluded.has(`${i}|${kind}`);
        windows.forEach((_, wi) => {
          const b = bounds[wi]!;
          const w = sums[i]![wi]!;
          const xr = w.xr.get(kind) ?? 0;
          if (xr < o.minReturns) return;
          const { er, eb } = w;
          const xb = w.xb.get(kind) ?? 0;
          const bc = baseCat[wi]!.get(key(s.category, kind)) ?? { e: 0, x: 0 };
          const catBaseRate = bc.e > 0 ? bc.x / bc.e : 0;
          // Shrink the SKU's baseline toward its category's: a SKU with little history borrows it.
          const xbS = xb + o.priorExposure * catBaseRate;
          const ebS = eb + o.priorExposure;
          const rc = recentCat[wi]!.get(key(s.category, kind)) ?? { e: 0, x: 0 };
          const ra = recentAll[wi]!.get(kind) ?? { e: 0, x: 0 };
          let scope: 'category' | 'category-baseline' | 'tenant' = 'category';
          let xc = rc.x - (self ? xr : 0);
          let ec = rc.e - (self ? er : 0);
          let refRate = ec > 0 ? xc / ec : 0;
          let pCat = (x: number) => rateRatioPValue(x, er, xc, ec);
          if (ec < o.minCategoryExposure) {
            // Too few sales in the rest of the category to compare with now: its baseline,
            // moved by the tenant's own change since then (the season), is the reference.
            const ab = baseAll[wi]!.get(kind) ?? { e: 0, x: 0 };
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
    }
  });
  const pValues = candidates.map((c) => (c ? c.pValue : 1));
  return { candidates, pValues, qValues: benjaminiHochberg(pValues) };
}
