import { benjaminiHochberg, binomialUpperTail, poissonUpperTail } from './stats.ts';

/**
 * Early warning per SKU: is a SKU's return rate (or the rate of one reason) now above both its own
 * past and the rest of its category, by more than chance allows across every SKU tested at once?
 * Pure: daily counts in, alerts out. See docs/analytics.md for the method in words.
 *
 * Counting: sales are order lines per day, returns are return lines per day of the request (a
 * return of three units is one event, so units would overstate the evidence). Return lag: a unit
 * sold today is returned days later, so each day's "exposure" is the sales of the preceding days
 * weighted by the tenant's lag distribution — the number of returns to expect at a rate of 1. The
 * rate of a window is its returns divided by its exposure, which compares like with like even
 * when sales change quickly (a new best seller has little exposure yet).
 */

export type SkuHistory = {
  sku: string;
  category: string;
  /** Order lines sold per day, index 0 = `start`. */
  sold: ArrayLike<number>;
  /** Return lines requested per day, per kind: `return_rate` (all reasons) and `reason:<code>`. */
  kinds: Map<string, ArrayLike<number>>;
};

export type DetectorInput = {
  /** YYYY-MM-DD of day index 0; the last index is the as-of day. */
  start: string;
  days: number;
  /** Probability that a return is requested k days after the sale (k = 0 … K), summing to 1. */
  lag: ArrayLike<number>;
  skus: SkuHistory[];
  /**
   * Return notes as phrase sets, by SKU and request day (optional). A phrase that suddenly recurs
   * in one SKU's notes, rare before for it and for the shop, is its own kind of finding:
   * `complaints`. Customers name a defect in words before the counts can prove it.
   */
  notes?: { sku: string; day: number; phrases: Set<string> }[];
};

export type DetectorOptions = {
  /** False discovery rate across every SKU × kind tested. */
  q: number;
  /** Recent windows tested (days, ending on the as-of day); the p-value pays a Bonferroni factor for their number. */
  windows: number[];
  /** Days of history before the recent window that make the SKU's own baseline. */
  baselineDays: number;
  /** Fewer returns than this in the recent window is never an alert. */
  minReturns: number;
  /**
   * A SKU × kind is tested only with at least this many returns in its baseline and longest
   * window together. Under "no change" that total says nothing about where the returns fall (the
   * test is conditional on it), so leaving out the rest keeps the false discovery rate
   * (independent filtering) while thousands of SKUs with two returns no longer dilute the family.
   */
  minTotalReturns: number;
  /** The recent rate must exceed both references by at least this factor. */
  minLift: number;
  /** Pseudo-exposure of the category's baseline rate added to the SKU's own (shrinkage). */
  priorExposure: number;
  /**
   * Below this exposure (≈ units sold) of the rest of the category in the window, the category's
   * baseline adjusted by the tenant's change is the reference instead of its recent window.
   */
  minCategoryExposure: number;
  /** An open alert stays open while its q-value is at most this (hysteresis against flapping). */
  keepOpenQ: number;
  /** Days of notes a complaint phrase must recur in. */
  phraseWindow: number;
  /** Notes with the phrase in that window for a `complaints` finding. */
  minPhraseNotes: number;
  /** Notes a SKU needs in its baseline before its new phrases mean anything (a new SKU's are all new). */
  minBaselineNotes: number;
  /** A complaint phrase is rare in the rest of the shop: in at most this share of its notes. */
  maxPhraseShare: number;
};

export const DEFAULT_DETECTOR_OPTIONS: DetectorOptions = {
  q: 0.05,
  windows: [7, 14, 28],
  baselineDays: 182,
  minReturns: 4,
  minTotalReturns: 8,
  minLift: 1.5,
  priorExposure: 20,
  minCategoryExposure: 1000,
  keepOpenQ: 0.25,
  phraseWindow: 28,
  minPhraseNotes: 3,
  minBaselineNotes: 10,
  maxPhraseShare: 0.01,
};

export type WindowCounts = {
  from: string;
  to: string;
  linesSold: number;
  returned: number;
  exposure: number;
  rate: number;
};

export type Finding = {
  sku: string;
  category: string;
  kind: string;
  /** First day of the excess (CUSUM change-point estimate), YYYY-MM-DD. */
  since: string;
  /** Orders placed from about this day are the ones coming back (since − median lag). */
  affectedOrdersSince: string;
  pValue: number;
  qValue: number;
  /** 1 − q: how sure we are that this is not one of the chance findings among all tests. */
  confidence: number;
  change: { before: number; now: number; lift: number };
  evidence: {
    window: WindowCounts;
    baseline: WindowCounts & { shrunkRate: number };
    reference: {
      scope: 'category' | 'category-baseline' | 'tenant';
      name: string;
      rate: number;
      returned: number;
      exposure: number;
    };
    expectedReturns: number;
    testsRun: number;
    /** Kind `complaints`: the phrase; window, baseline and reference then count return notes
     * (`exposure` = notes, `returned` = notes with the phrase, `rate` = their share). */
    phrase?: string;
  };
};

export type DetectorResult = {
  /** Significant at `q`: new alerts or re-detections. */
  alerts: Finding[];
  /** Still elevated at `keepOpenQ` (a superset of `alerts`): open alerts among these stay open. */
  elevated: Finding[];
  testsRun: number;
};

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

function sumRange(xs: ArrayLike<number>, from: number, to: number): number {
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

/**
 * CUSUM for a Poisson rate rising from `r0` to `ratio × r0`: answers the index after the last
 * time the statistic stood at zero before its final value (the start of the current excess).
 */
export function cusumStart(
  returns: ArrayLike<number>,
  exposure: ArrayLike<number>,
  r0: number,
  ratio: number,
): number {
  const lnR = Math.log(ratio);
  let s = 0;
  let lastZero = -1;
  let best = 0;
  let bestAt = returns.length - 1;
  for (let d = 0; d < returns.length; d++) {
    s = Math.max(0, s + returns[d]! * lnR - (ratio - 1) * r0 * exposure[d]!);
    if (s === 0) lastZero = d;
    if (s >= best) {
      best = s;
      bestAt = d;
    }
  }
  // The excess may have stopped just before the as-of day: start from the run that ends at the peak.
  if (s === 0) {
    let z = -1;
    let t = 0;
    for (let d = 0; d <= bestAt; d++) {
      t = Math.max(0, t + returns[d]! * lnR - (ratio - 1) * r0 * exposure[d]!);
      if (t === 0) z = d;
    }
    return z + 1;
  }
  return lastZero + 1;
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
 * Runs the test for every SKU × kind and controls the false discovery rate with
 * Benjamini–Hochberg over all of them. A finding needs the recent rate to beat both the SKU's own
 * (shrunk) baseline and the rest of its category: the p-value is the larger of the two tests
 * (intersection–union), so a SKU that was always bad, or a whole category rising with the season,
 * raises nothing.
 */
export function detectIssues(input: DetectorInput, options: Partial<DetectorOptions> = {}): DetectorResult {
  const o = { ...DEFAULT_DETECTOR_OPTIONS, ...options };
  const T = input.days;
  const windows = [...o.windows].sort((a, b) => a - b);
  const maxW = windows[windows.length - 1]!;
  const histFrom = Math.max(0, T - maxW - o.baselineDays);
  const medianLag = lagMedian(input.lag);

  // Exposure per SKU over the analysed span, once; then window sums per SKU (and per kind).
  const exposures = input.skus.map((s) => exposureSeries(s.sold, input.lag, histFrom, T));
  const kindNames = new Set<string>();
  for (const s of input.skus) for (const k of s.kinds.keys()) kindNames.add(k);
  const kinds = [...kindNames].sort();
  const bounds = windows.map((w) => ({
    rFrom: T - w,
    bFrom: Math.max(0, T - w - o.baselineDays),
    bTo: T - w,
  }));
  type Sums = { er: number; eb: number; xr: Map<string, number>; xb: Map<string, number> };
  const sums: Sums[][] = input.skus.map((s, i) =>
    bounds.map((b) => {
      const ex = exposures[i]!;
      const xr = new Map<string, number>();
      const xb = new Map<string, number>();
      for (const [k, series] of s.kinds) {
        xr.set(k, sumRange(series, b.rFrom, T));
        xb.set(k, sumRange(series, b.bFrom, b.bTo));
      }
      return {
        er: sumRange(ex, b.rFrom - histFrom, T - histFrom),
        eb: sumRange(ex, b.bFrom - histFrom, b.bTo - histFrom),
        xr,
        xb,
      };
    }),
  );

  type Candidate = Omit<Finding, 'qValue' | 'confidence'> & { series: number };

  /**
   * One pass of tests. `excluded` holds `skuIndex|kind` pairs left out of the category and tenant
   * references: a big SKU with a real problem would otherwise lift its category's rate and hide
   * itself and its neighbours.
   */
  function pass(excluded: Set<string>) {
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

  /**
   * Complaint phrases: for each established SKU, each phrase of its recent notes is tested against
   * the SKU's own baseline share and the rest of the shop's (binomial, conditional on the phrase
   * appearing at all, since only phrases that appear are examined); the SKU's best phrase pays a
   * Bonferroni factor for the number it had; the SKUs' best phrases form their own BH family.
   */
  function phraseCandidates(): Candidate[] {
    if (!input.notes?.length) return [];
    const wFrom = T - o.phraseWindow;
    const bFrom = Math.max(0, wFrom - o.baselineDays);
    const total = new Map<string, number>();
    let totalNotes = 0;
    const bySku = new Map<string, { day: number; phrases: Set<string> }[]>();
    for (const n of input.notes) {
      if (n.day < bFrom || n.day >= T) continue;
      totalNotes++;
      for (const p of n.phrases) total.set(p, (total.get(p) ?? 0) + 1);
      const list = bySku.get(n.sku) ?? [];
      list.push(n);
      bySku.set(n.sku, list);
    }
    const out: Candidate[] = [];
    input.skus.forEach((s, i) => {
      const notes = bySku.get(s.sku);
      if (!notes) return;
      const recent = notes.filter((n) => n.day >= wFrom);
      const base = notes.filter((n) => n.day < wFrom);
      if (recent.length === 0 || base.length < o.minBaselineNotes) return;
      const xr = new Map<string, number>();
      const first = new Map<string, number>();
      for (const n of recent) {
        for (const p of n.phrases) {
          xr.set(p, (xr.get(p) ?? 0) + 1);
          first.set(p, Math.min(first.get(p) ?? n.day, n.day));
        }
      }
      const xb = new Map<string, number>();
      for (const n of base) for (const p of n.phrases) xb.set(p, (xb.get(p) ?? 0) + 1);
      const nr = recent.length;
      const nb = base.length;
      const nt = totalNotes - nr - nb;
      let best: {
        p: number;
        phrase: string;
        x: number;
        b: number;
        t: number;
        before: number;
        ref: number;
      } | null = null;
      for (const [phrase, x] of xr) {
        const b = xb.get(phrase) ?? 0;
        // New for this SKU: a phrase already common in its own notes (its name, its usual
        // complaint) is what it is, not news.
        if (b > 0.05 * nb) continue;
        const t = (total.get(phrase) ?? 0) - x - b;
        const ref = (t + 0.5) / (nt + 1);
        const before = (b + 10 * ref) / (nb + 10);
        // Rare in the shop too: ordinary complaints ("too small") are the reason rates' business.
        if (ref > o.maxPhraseShare) continue;
        if (x < o.minPhraseNotes || x / nr < o.minLift * Math.max(before, ref)) continue;
        // Conditional on the phrase appearing at all in the window (only those are examined).
        const cond = (rate: number) =>
          Math.min(1, binomialUpperTail(x, nr, rate) / Math.max(1e-300, binomialUpperTail(1, nr, rate)));
        const p = Math.max(cond(before), cond(ref));
        if (!best || p < best.p || (p === best.p && phrase.length > best.phrase.length)) {
          best = { p, phrase, x, b, t, before, ref };
        }
      }
      if (!best) return;
      const sold = (from: number, to: number) => {
        let n = 0;
        for (let d = Math.max(0, from); d < to; d++) n += s.sold[d] ?? 0;
        return n;
      };
      const now = best.x / nr;
      out.push({
        sku: s.sku,
        category: s.category,
        kind: 'complaints',
        since: dayString(input.start, first.get(best.phrase)!),
        affectedOrdersSince: dayString(input.start, Math.max(0, first.get(best.phrase)! - medianLag)),
        pValue: Math.min(1, best.p * xr.size),
        change: { before: best.before, now, lift: now / Math.max(best.before, best.ref) },
        evidence: {
          window: {
            from: dayString(input.start, wFrom),
            to: dayString(input.start, T - 1),
            linesSold: sold(wFrom, T),
            returned: best.x,
            exposure: nr,
            rate: now,
          },
          baseline: {
            from: dayString(input.start, bFrom),
            to: dayString(input.start, wFrom - 1),
            linesSold: sold(bFrom, wFrom),
            returned: best.b,
            exposure: nb,
            rate: best.b / nb,
            shrunkRate: best.before,
          },
          reference: { scope: 'tenant', name: 'all SKUs', rate: best.ref, returned: best.t, exposure: nt },
          expectedReturns: Math.max(best.before, best.ref) * nr,
          testsRun: 0,
          phrase: best.phrase,
        },
        series: i,
      });
    });
    return out;
  }

  const first = pass(new Set());
  const flagged = new Set<string>();
  first.candidates.forEach((c, j) => {
    if (c && first.qValues[j]! <= o.q) flagged.add(`${c.series}|${c.kind}`);
  });
  const counts = flagged.size ? pass(flagged) : first;
  const phrases = phraseCandidates();
  const candidates: (Candidate | null)[] = [...counts.candidates, ...phrases];
  const pValues = [...counts.pValues, ...phrases.map((c) => c.pValue)];
  // Two families, each at q: strong phrase findings must not loosen the bar for the rate tests
  // (BH adapts to how many discoveries there are).
  const qValues = [...counts.qValues, ...benjaminiHochberg(phrases.map((c) => c.pValue))];

  const elevated: Finding[] = [];
  candidates.forEach((c, j) => {
    if (!c || qValues[j]! > Math.max(o.q, o.keepOpenQ)) return;
    const { series: i, ...f } = c;
    const q = qValues[j]!;
    if (c.kind === 'complaints') {
      // Since: the first recent note with the phrase (set when the candidate was made).
      elevated.push({
        ...f,
        qValue: q,
        confidence: 1 - q,
        evidence: { ...f.evidence, testsRun: pValues.length },
      });
      return;
    }
    const ex = exposures[i]!;
    const daily = input.skus[i]!.kinds.get(c.kind)!;
    const returns = Array.from({ length: T - histFrom }, (_, d) => daily[histFrom + d] ?? 0);
    const r0 = Math.max(f.change.before, f.evidence.reference.rate);
    const start = histFrom + cusumStart(returns, ex, r0, Math.max(1.5, f.change.lift));
    elevated.push({
      ...f,
      since: dayString(input.start, Math.min(start, T - 1)),
      affectedOrdersSince: dayString(input.start, Math.max(0, Math.min(start, T - 1) - medianLag)),
      qValue: q,
      confidence: 1 - q,
      evidence: { ...f.evidence, testsRun: pValues.length },
    });
  });
  elevated.sort((a, b) => a.qValue - b.qValue || b.change.lift - a.change.lift);
  return { alerts: elevated.filter((f) => f.qValue <= o.q), elevated, testsRun: pValues.length };
}
