import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RANK_PRIOR_UNITS, rankRates } from './rate-ranking.ts';

const row = (key: string, unitsSold: number, unitsReturned: number, category = 'shoes') => ({
  key,
  unitsSold,
  unitsReturned,
  category,
});

describe('rankRates', () => {
  it('ranks a big SKU with a high rate above a tiny sample with a higher one, and gives the interval', () => {
    const rows = [
      row('TINY', 11, 6),
      row('BIG', 400, 120),
      row('OK', 600, 30),
      ...Array.from({ length: 10 }, (_, i) => row(`S${i}`, 100, 5)),
    ];
    const ranked = rankRates(rows, (r) => r.category);
    expect(ranked.map((r) => r.key).slice(0, 2)).toEqual(['BIG', 'TINY']);
    const tiny = ranked.find((r) => r.key === 'TINY')!;
    expect(tiny.groupRate).toBeCloseTo(206 / 2011, 12);
    expect(tiny.adjustedRate).toBeCloseTo(
      (6 + RANK_PRIOR_UNITS * (206 / 2011)) / (11 + RANK_PRIOR_UNITS),
      12,
    );
    expect(tiny.rateLow).toBeCloseTo(0.28, 2);
    expect(tiny.rateHigh).toBeCloseTo(0.787, 3);
    // Ranked by the raw rate, the tiny sample would have come first.
    expect(6 / 11).toBeGreaterThan(120 / 400);
  });

  it('shrinks toward the row’s own group and leaves rows that sold nothing without a rate', () => {
    const ranked = rankRates(
      [row('A', 10, 5, 'bags'), row('B', 1000, 10, 'bags'), row('C', 0, 2, 'tops'), row('D', 10, 5, 'tops')],
      (r) => r.category,
    );
    const a = ranked.find((r) => r.key === 'A')!;
    const d = ranked.find((r) => r.key === 'D')!;
    expect(a.group).toBe('bags');
    expect(d.groupRate).toBeCloseTo(7 / 10, 12);
    // Same own rate, but D's category returns far more: D ranks higher.
    expect(d.adjustedRate!).toBeGreaterThan(a.adjustedRate!);
    const c = ranked.at(-1)!;
    expect(c.key).toBe('C');
    expect([c.adjustedRate, c.rateLow, c.rateHigh]).toEqual([null, null, null]);
  });

  it('sorts by the adjusted rate, which always lies between the own rate and the group’s', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            sold: fc.integer({ min: 1, max: 500 }),
            u: fc.double({ min: 0, max: 1, noNaN: true }),
            g: fc.constantFrom('a', 'b', 'c'),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        (xs) => {
          const rows = xs.map((x, i) => row(`K${i}`, x.sold, Math.round(x.u * x.sold), x.g));
          const ranked = rankRates(rows, (r) => r.category);
          expect(ranked).toHaveLength(rows.length);
          for (let i = 1; i < ranked.length; i++)
            expect(ranked[i - 1]!.adjustedRate!).toBeGreaterThanOrEqual(ranked[i]!.adjustedRate!);
          for (const r of ranked) {
            const own = r.unitsReturned / r.unitsSold;
            expect(r.adjustedRate!).toBeGreaterThanOrEqual(Math.min(own, r.groupRate!) - 1e-12);
            expect(r.adjustedRate!).toBeLessThanOrEqual(Math.max(own, r.groupRate!) + 1e-12);
            expect(r.rateLow!).toBeLessThanOrEqual(own + 1e-12);
            expect(r.rateHigh!).toBeGreaterThanOrEqual(own - 1e-12);
          }
        },
      ),
    );
  });
});
