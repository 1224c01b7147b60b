import { dayString } from './early-warning-rates.ts';
import type { Candidate, DetectorInput, DetectorOptions } from './early-warning-types.ts';
import { binomialUpperTail } from './stats.ts';

/**
 * Complaint phrases: for each established SKU, each phrase of its recent notes is tested against
 * the SKU's own baseline share and the rest of the shop's (binomial, conditional on the phrase
 * appearing at all, since only phrases that appear are examined); the SKU's best phrase pays a
 * Bonferroni factor for the number it had; the SKUs' best phrases form their own BH family.
 */
export function phraseCandidates(
  input: DetectorInput,
  o: DetectorOptions,
  T: number,
  medianLag: number,
): Candidate[] {
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
