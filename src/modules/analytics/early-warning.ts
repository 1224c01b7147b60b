import { cusumStart } from './early-warning-cusum.ts';
import { phraseCandidates } from './early-warning-phrases.ts';
import { dayString, exposureSeries, lagMedian, rateCandidates, sumRange } from './early-warning-rates.ts';
import type {
  Candidate,
  DetectorInput,
  DetectorOptions,
  DetectorResult,
  Finding,
  Sums,
} from './early-warning-types.ts';
import { benjaminiHochberg } from './stats.ts';

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

export { cusumStart } from './early-warning-cusum.ts';
export { dayString, exposureSeries, lagMedian, rateRatioPValue } from './early-warning-rates.ts';
export type {
  DetectorInput,
  DetectorOptions,
  DetectorResult,
  Finding,
  SkuHistory,
  WindowCounts,
} from './early-warning-types.ts';

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

  const tested = { input, o, T, windows, kinds, bounds, sums };

  const first = rateCandidates(tested, new Set());
  const flagged = new Set<string>();
  first.candidates.forEach((c, j) => {
    if (c && first.qValues[j]! <= o.q) flagged.add(`${c.series}|${c.kind}`);
  });
  const counts = flagged.size ? rateCandidates(tested, flagged) : first;
  const phrases = phraseCandidates(input, o, T, medianLag);
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
