import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  auc,
  benjaminiHochberg,
  binomialUpperTail,
  brierScore,
  calibration,
  chiSquare1UpperTail,
  gSquared,
  logGamma,
  poissonSample,
  poissonUpperTail,
  regularizedBeta,
  seededRandom,
  shrunkRate,
  wilsonInterval,
  Z95,
} from './stats.ts';

function binomialTailBySum(k: number, n: number, p: number) {
  let s = 0;
  for (let i = k; i <= n; i++) {
    s += Math.exp(
      logGamma(n + 1) - logGamma(i + 1) - logGamma(n - i + 1) + i * Math.log(p) + (n - i) * Math.log1p(-p),
    );
  }
  return Math.min(1, s);
}

function poissonTailBySum(k: number, lambda: number) {
  let below = 0;
  let term = Math.exp(-lambda);
  for (let i = 0; i < k; i++) {
    below += term;
    term *= lambda / (i + 1);
  }
  return Math.max(0, 1 - below);
}

describe('special functions', () => {
  it('logGamma matches factorials and Γ(1/2) = √π', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(20)).toBeCloseTo(Math.log(121645100408832000), 9);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });

  it('regularised beta is symmetric: I_x(a,b) = 1 − I_(1−x)(b,a)', () => {
    expect(regularizedBeta(0.3, 2, 5) + regularizedBeta(0.7, 5, 2)).toBeCloseTo(1, 12);
    expect(regularizedBeta(0.5, 1, 1)).toBeCloseTo(0.5, 12);
  });

  it('exact tails on known values', () => {
    expect(poissonUpperTail(3, 1)).toBeCloseTo(1 - 2.5 * Math.exp(-1), 12);
    expect(binomialUpperTail(8, 10, 0.5)).toBeCloseTo(56 / 1024, 12);
    expect(poissonUpperTail(0, 3)).toBe(1);
    expect(binomialUpperTail(11, 10, 0.5)).toBe(0);
    expect(chiSquare1UpperTail(3.841458820694124)).toBeCloseTo(0.05, 8);
  });

  it('binomial tail equals the direct sum (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        (n, p) => {
          for (const k of [1, Math.floor(n / 3), Math.floor(n / 2), n]) {
            if (k < 1) continue;
            expect(binomialUpperTail(k, n, p)).toBeCloseTo(binomialTailBySum(k, n, p), 9);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('Poisson tail equals the direct sum (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0.01, max: 40, noNaN: true }),
        (k, lambda) => {
          expect(poissonUpperTail(k, lambda)).toBeCloseTo(poissonTailBySum(k, lambda), 9);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('Benjamini–Hochberg', () => {
  it('adjusts a known example', () => {
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.5]);
    expect(q[0]).toBeCloseTo(0.04, 12);
    expect(q[1]).toBeCloseTo(0.16 / 3, 12);
    expect(q[2]).toBeCloseTo(0.16 / 3, 12);
    expect(q[3]).toBeCloseTo(0.5, 12);
  });

  it('q ≥ p, q ≤ 1, and the order of p is kept (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 50 }),
        (ps) => {
          const q = benjaminiHochberg(ps);
          for (let i = 0; i < ps.length; i++) {
            expect(q[i]!).toBeGreaterThanOrEqual(ps[i]! - 1e-15);
            expect(q[i]!).toBeLessThanOrEqual(1);
            for (let j = 0; j < ps.length; j++) if (ps[i]! < ps[j]!) expect(q[i]!).toBeLessThanOrEqual(q[j]!);
          }
        },
      ),
    );
  });

  it('keeps false discoveries rare when every hypothesis is null', () => {
    const random = seededRandom(7);
    let runsWithAny = 0;
    for (let run = 0; run < 400; run++) {
      const ps = Array.from({ length: 200 }, () => random());
      if (benjaminiHochberg(ps).some((q) => q <= 0.05)) runsWithAny++;
    }
    // Under the global null BH controls the family-wise rate at α.
    expect(runsWithAny / 400).toBeLessThan(0.09);
  });
});

describe('G² and AUC', () => {
  it('G² is zero for equal proportions and grows with the difference', () => {
    expect(gSquared(10, 100, 100, 1000)).toBeCloseTo(0, 10);
    expect(gSquared(30, 100, 100, 1000)).toBeGreaterThan(gSquared(20, 100, 100, 1000));
  });

  it('AUC by ranks, ties counting half', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    expect(auc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBeCloseTo(0.5, 12);
    expect(auc([1, 2, 3], [1, 1, 1])).toBeNaN();
  });

  it('AUC is unchanged by a monotone transform and flips with negation (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -20, max: 20 }), fc.boolean()), { minLength: 2, maxLength: 60 }),
        (rows) => {
          const s = rows.map((r) => r[0]);
          const y = rows.map((r) => (r[1] ? 1 : 0));
          if (!y.includes(1) || !y.includes(0)) return;
          const a = auc(s, y);
          expect(
            auc(
              s.map((v) => Math.exp(v / 4)),
              y,
            ),
          ).toBeCloseTo(a, 12);
          expect(
            auc(
              s.map((v) => -v),
              y,
            ),
          ).toBeCloseTo(1 - a, 12);
        },
      ),
    );
  });

  it('calibration bins and Brier score', () => {
    const bins = calibration([0.05, 0.15, 0.95, 0.91], [0, 1, 1, 1], 10);
    expect(bins).toHaveLength(10);
    expect(bins[0]).toMatchObject({ count: 1, observed: 0 });
    expect(bins[9]!.count).toBe(2);
    expect(bins[9]!.predicted).toBeCloseTo(0.93, 12);
    expect(brierScore([1, 0], [1, 0])).toBe(0);
    expect(brierScore([0.5, 0.5], [1, 0])).toBeCloseTo(0.25, 12);
  });

  it('Poisson draws have the right mean', () => {
    const random = seededRandom(3);
    for (const lambda of [0.3, 4, 80]) {
      let s = 0;
      for (let i = 0; i < 4000; i++) s += poissonSample(lambda, random);
      expect(s / 4000).toBeCloseTo(lambda, lambda > 10 ? 0 : 1);
    }
  });
});

describe('wilsonInterval', () => {
  it('gives 6 of 11 as 28–79 % and nothing for no trials', () => {
    const w = wilsonInterval(6, 11)!;
    expect(w.low).toBeCloseTo(0.2801, 4);
    expect(w.high).toBeCloseTo(0.7873, 4);
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(wilsonInterval(0, 20)!.low).toBe(0);
    expect(wilsonInterval(20, 20)!.high).toBe(1);
  });

  it('holds p̂, stays in 0..1, and its bounds are where the score test gives exactly z', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, u) => {
        const x = Math.round(u * n);
        const { low, high } = wilsonInterval(x, n)!;
        const p = x / n;
        expect(low).toBeGreaterThanOrEqual(0);
        expect(high).toBeLessThanOrEqual(1);
        expect(low).toBeLessThanOrEqual(p + 1e-12);
        expect(high).toBeGreaterThanOrEqual(p - 1e-12);
        // The Wilson interval is the set of rates the score test does not reject.
        const score = (q: number) => (p - q) / Math.sqrt((q * (1 - q)) / n);
        if (x > 0) expect(score(low)).toBeCloseTo(Z95, 6);
        if (x < n) expect(score(high)).toBeCloseTo(-Z95, 6);
      }),
    );
  });

  it('narrows as the same rate rests on more trials', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 2, max: 20 }),
        (n, k, m) => {
          const x = Math.min(k, n);
          const small = wilsonInterval(x, n)!;
          const large = wilsonInterval(x * m, n * m)!;
          expect(large.high - large.low).toBeLessThan(small.high - small.low);
        },
      ),
    );
  });
});

describe('shrunkRate', () => {
  it('lies between the own rate and the prior, nearer the own rate the more trials it has', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 100 }),
        (n, u, prior, weight) => {
          const x = Math.round(u * n);
          const own = x / n;
          const s = shrunkRate(x, n, prior, weight);
          expect(s).toBeGreaterThanOrEqual(Math.min(own, prior) - 1e-12);
          expect(s).toBeLessThanOrEqual(Math.max(own, prior) + 1e-12);
          const more = shrunkRate(x * 10, n * 10, prior, weight);
          expect(Math.abs(more - own)).toBeLessThanOrEqual(Math.abs(s - own) + 1e-12);
        },
      ),
    );
    expect(shrunkRate(0, 0, 0.1, 20)).toBe(0.1);
  });
});
