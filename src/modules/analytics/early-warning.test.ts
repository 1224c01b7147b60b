import { describe, expect, it } from 'vitest';
import {
  cusumStart,
  type DetectorInput,
  dayString,
  detectIssues,
  exposureSeries,
  lagMedian,
  rateRatioPValue,
} from './early-warning.ts';
import { inputFromHistory, type Plant, REASONS, simulate } from './early-warning-sim.ts';
import { poissonSample, seededRandom } from './stats.ts';
import { generateSyntheticHistory } from './synthetic.ts';
import { phrasesOf } from './themes.ts';

/** The input as it stood at the end of day index `asOf` (nothing later is read). */
function asOf(input: DetectorInput, day: number): DetectorInput {
  return { ...input, days: day + 1 };
}

describe('building blocks', () => {
  it('exposure spreads each sale over the lag distribution', () => {
    const e = exposureSeries([10, 0, 0, 0], [0.5, 0.3, 0.2], 0, 4);
    expect(Array.from(e)).toEqual([5, 3, 2, 0]);
    expect(lagMedian([0.1, 0.2, 0.3, 0.4])).toBe(2);
  });

  it('one return of three sales is not a spike, twenty of forty is', () => {
    // Category rate 10%: 1 of 3 is 33%, but entirely possible by chance.
    expect(rateRatioPValue(1, 3, 100, 1000)).toBeGreaterThan(0.2);
    expect(rateRatioPValue(20, 40, 100, 1000)).toBeLessThan(1e-6);
    expect(rateRatioPValue(0, 10, 5, 100)).toBe(1);
  });

  it('CUSUM dates the start of a step in the rate within a few days', () => {
    const random = seededRandom(11);
    const exposure = Array.from({ length: 120 }, () => 5);
    const returns = exposure.map((e, d) => poissonSample(e * (d >= 80 ? 0.3 : 0.1), random));
    const start = cusumStart(returns, exposure, 0.1, 3);
    expect(Math.abs(start - 80)).toBeLessThanOrEqual(6);
  });

  it('a SKU with three sales and one return raises nothing', () => {
    const days = 250;
    const input = simulate({ seed: 5, skus: 40, days });
    const sold = new Float64Array(days);
    sold[days - 10] = 3;
    const returns = new Float64Array(days);
    returns[days - 2] = 1;
    input.skus.push({
      sku: 'TINY',
      category: 'cat-1',
      sold,
      kinds: new Map([
        ['return_rate', returns],
        ['reason:defective', returns],
      ]),
    });
    const r = detectIssues(input);
    expect(r.elevated.map((f) => f.sku)).not.toContain('TINY');
  });

  it('a SKU that was always bad, and a whole category rising with the season, raise nothing', () => {
    const days = 300;
    const input = simulate({
      seed: 6,
      skus: 200,
      days,
      categoryShift: { category: 0, from: 270, factor: 1.6 },
    });
    const always = simulate({
      seed: 7,
      skus: 1,
      days,
      plants: [{ sku: 0, onset: 0, reason: 2, factor: 4 }],
      plantedVolume: 8,
    });
    input.skus.push({ ...always.skus[0]!, sku: 'ALWAYS-BAD' });
    const r = detectIssues(input);
    expect(r.alerts.map((f) => f.sku)).not.toContain('ALWAYS-BAD');
    // Category 0 rose by 60% in its last 30 days; at most a stray SKU of its 50 may look elevated.
    expect(r.alerts.filter((f) => f.category === 'cat-0').length).toBeLessThanOrEqual(1);
  });
});

describe('planted issues and false alarms (generated count series)', () => {
  const DAYS = 330;
  const CHECK_DAYS = [7, 14, 21, 28, 35];
  // Stated claims, measured on the seeds below (see docs/analytics.md):
  // A planted SKU sells 20 lines a day and one reason's rate goes ×5 (from 1–3% of lines).
  const FLAGGED_BY = 35; // every planted SKU flagged by onset + 35 days …
  const MEDIAN_BY = 21; // … and half of them by onset + 21 days (returns lag sales by 4–15 days)
  const MAX_CLEAN_FALSE_ALARM_RATE = 0.01; // ≤ 1% of clean SKUs alerted on any check day

  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: each planted SKU is flagged by onset + ${FLAGGED_BY} days, clean SKUs stay quiet`, () => {
      const random = seededRandom(1000 + seed);
      const plants: Plant[] = Array.from({ length: 8 }, (_, j) => ({
        sku: j * 37 + 3,
        onset: 240 + Math.floor(random() * 40),
        reason: 2,
        factor: 5,
      }));
      const input = simulate({ seed, skus: 320, days: DAYS, plants, plantedVolume: 20 });
      const planted = new Set(plants.map((p) => `SKU-${String(p.sku).padStart(4, '0')}`));
      const falseAlarms = new Set<string>();
      const delays: number[] = [];
      for (const p of plants) {
        const sku = `SKU-${String(p.sku).padStart(4, '0')}`;
        let delay: number | null = null;
        for (const k of CHECK_DAYS) {
          if (p.onset + k >= DAYS) break;
          const r = detectIssues(asOf(input, p.onset + k));
          for (const a of r.alerts) if (!planted.has(a.sku)) falseAlarms.add(a.sku);
          const hit = r.alerts.find((a) => a.sku === sku);
          if (hit && delay === null) {
            delay = k;
            expect(hit.kind === 'return_rate' || hit.kind === `reason:${REASONS[p.reason]}`).toBe(true);
            // The change-point estimate lands near the onset (the excess starts with the lag).
            const since = (Date.parse(hit.since) - Date.parse(dayString(input.start, p.onset))) / 86_400_000;
            expect(since).toBeGreaterThanOrEqual(-14);
            expect(since).toBeLessThanOrEqual(k);
            expect(hit.confidence).toBeGreaterThanOrEqual(0.95);
            expect(hit.evidence.window.returned).toBeGreaterThan(hit.evidence.expectedReturns);
          }
        }
        expect(delay, `${sku} (onset day ${p.onset}) not flagged within ${FLAGGED_BY} days`).not.toBeNull();
        expect(delay!).toBeLessThanOrEqual(FLAGGED_BY);
        delays.push(delay!);
      }
      delays.sort((a, b) => a - b);
      expect(delays[Math.floor(delays.length / 2) - 1]!).toBeLessThanOrEqual(MEDIAN_BY);
      expect(falseAlarms.size / (320 - plants.length)).toBeLessThanOrEqual(MAX_CLEAN_FALSE_ALARM_RATE);
    });
  }

  it('a fully clean history raises (almost) nothing across seeds and days', () => {
    let alerts = 0;
    let checks = 0;
    for (const seed of [21, 22, 23, 24, 25]) {
      const input = simulate({ seed, skus: 320, days: DAYS });
      for (const day of [250, 280, 310]) {
        alerts += detectIssues(asOf(input, day)).alerts.length;
        checks++;
      }
    }
    // 15 runs over 320 SKUs × 5 kinds: at most one chance alert in all of them.
    expect(alerts).toBeLessThanOrEqual(1);
    expect(checks).toBe(15);
  });
});

describe('generated histories (synthetic.ts): false alarms', () => {
  // Stated: on the realistic generator (category rates, seasonality, price effects, serial
  // returners, size variants), clean SKUs stay quiet: no clean SKU alerts on any of four as-of
  // days, over three seeds, with planted issues present and with none.
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: no clean SKU is flagged; a fully clean history raises nothing`, () => {
      const withIssues = generateSyntheticHistory({ orders: 12_000, seed, planted: 3 });
      const planted = new Set(withIssues.planted.map((p) => p.sku));
      const clean = generateSyntheticHistory({ orders: 12_000, seed: seed + 100, planted: 0 });
      let skusSeen = 0;
      for (const asOf of ['2025-09-01', '2025-10-15', '2025-11-30', '2025-12-31']) {
        const r = detectIssues(inputFromHistory(withIssues, asOf, 271));
        skusSeen = Math.max(skusSeen, r.testsRun);
        expect(r.alerts.filter((a) => !planted.has(a.sku)).map((a) => a.sku)).toEqual([]);
        expect(detectIssues(inputFromHistory(clean, asOf, 271)).alerts).toEqual([]);
      }
      expect(skusSeen).toBeGreaterThan(20);
    });
  }
});

describe('complaint phrases', () => {
  const notes = (sku: string, from: number, to: number, texts: string[]) =>
    Array.from({ length: to - from }, (_, k) => ({
      sku,
      day: from + k,
      phrases: phrasesOf(texts[k % texts.length]!),
    }));
  const background = ['Too small, I need a size up.', 'Changed my mind.', 'Arrived with a dent.', '尺码偏小'];

  it('a phrase new for an established SKU, rare in the shop, recurring in its notes is a finding', () => {
    const input = simulate({ seed: 8, skus: 12, days: 300 });
    const [a, b, c] = input.skus;
    input.notes = [
      ...notes(a!.sku, 60, 280, background),
      ...notes(a!.sku, 281, 286, ['The zipper broke after two days.', '拉链坏了，拉不上']),
      // B's usual complaint, in its baseline as much as now: not news.
      ...notes(b!.sku, 60, 286, ['The strap snapped.', ...background]),
      // C is new: no baseline notes, so all its phrases are new and none means anything.
      ...notes(c!.sku, 281, 286, ['The zipper broke after two days.']),
      ...input.skus.slice(3).flatMap((s, i) => notes(s.sku, 60 + i, 286, background)),
    ];
    const r = detectIssues({ ...input, days: 290 });
    const found = r.alerts.filter((f) => f.kind === 'complaints');
    expect(found.map((f) => f.sku)).toEqual([a!.sku]);
    const f = found[0]!;
    expect(['zipper broke', 'zipper', 'broke', '拉链坏了']).toContain(f.evidence.phrase);
    expect(f.since).toBe(dayString(input.start, 281));
    expect(f.evidence.window.returned).toBeGreaterThanOrEqual(3);
    expect(f.evidence.baseline.returned).toBe(0);
    expect(f.confidence).toBeGreaterThanOrEqual(0.95);
  });

  it('two mentions are not a finding', () => {
    const input = simulate({ seed: 9, skus: 6, days: 300 });
    input.notes = [
      ...input.skus.flatMap((s) => notes(s.sku, 60, 286, background)),
      ...notes(input.skus[0]!.sku, 287, 289, ['The zipper broke after two days.']),
    ];
    expect(detectIssues({ ...input, days: 290 }).alerts.filter((f) => f.kind === 'complaints')).toEqual([]);
  });
});

describe('generated histories (synthetic.ts): planted issues', () => {
  // Stated: at 12,000 orders the planted SKUs sell 0.5–8 lines a day; of the 12 planted over
  // seeds 1–3, at least 5 are flagged (return rate, reason or complaint phrase) within 42 days of
  // onset (measured: 6), while no clean SKU is flagged on any check day.
  it('flags at least 5 of 12 planted SKUs within 42 days and no clean SKU', () => {
    let flagged = 0;
    let planted = 0;
    for (const seed of [1, 2, 3]) {
      const h = generateSyntheticHistory({ orders: 12_000, seed, planted: 4 });
      const skus = new Set(h.planted.map((p) => p.sku));
      for (const p of h.planted) {
        planted++;
        for (const k of [14, 28, 42]) {
          const asOf = dayString(p.onset, k);
          if (asOf > '2025-12-31') break;
          const r = detectIssues(inputFromHistory(h, asOf, 271));
          expect(r.alerts.filter((a) => !skus.has(a.sku)).map((a) => a.sku)).toEqual([]);
          if (r.alerts.some((a) => a.sku === p.sku)) {
            flagged++;
            break;
          }
        }
      }
    }
    expect(planted).toBe(12);
    expect(flagged).toBeGreaterThanOrEqual(5);
  });
});
