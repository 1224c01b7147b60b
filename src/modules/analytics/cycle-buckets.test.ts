import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketOf, bucketSeconds, bucketValue, percentileOfBuckets } from './cycle-buckets.ts';
import { percentile } from './metrics-math.ts';

const histogram = (xs: number[]) => {
  const m = new Map<number, number>();
  for (const x of xs) m.set(bucketOf(x), (m.get(bucketOf(x)) ?? 0) + 1);
  return m;
};

describe('cycle-time buckets', () => {
  it('gives every whole second one bucket whose seconds contain it, in order', () => {
    let last = -1;
    for (let v = 0; v < 5000; v++) {
      const b = bucketOf(v);
      expect(b).toBeGreaterThanOrEqual(last);
      last = b;
      const [min, max] = bucketSeconds(b)!;
      expect(v).toBeGreaterThanOrEqual(min);
      expect(v).toBeLessThanOrEqual(max);
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 86_400 }), (v) => {
        const [min, max] = bucketSeconds(bucketOf(v))!;
        expect(min <= v && v <= max).toBe(true);
        expect(bucketOf(min)).toBe(bucketOf(v));
        expect(bucketOf(max)).toBe(bucketOf(v));
        expect(bucketOf(max + 1)).toBeGreaterThan(bucketOf(v));
      }),
    );
  });

  it('is exact below 46 seconds and within 1.1 % (+ ½ s) above', () => {
    for (let v = 0; v < 46; v++) expect(bucketValue(bucketOf(v))).toBe(v);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 86_400 }), (v) => {
        expect(Math.abs(bucketValue(bucketOf(v)) - v)).toBeLessThanOrEqual(0.011 * v + 0.5);
      }),
    );
    // A month of durations fits in 684 buckets, a year in 798.
    expect(bucketOf(31 * 86_400)).toBe(684);
    expect(bucketOf(366 * 86_400)).toBe(798);
  });

  it('reads percentiles within the bound of the exact nearest-rank ones', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 60 * 86_400 })), {
          minLength: 1,
          maxLength: 300,
        }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (xs, q) => {
          const exact = percentile(
            [...xs].sort((a, b) => a - b),
            q,
          )!;
          const approx = percentileOfBuckets(histogram(xs), q)!;
          expect(Math.abs(approx - exact)).toBeLessThanOrEqual(0.011 * exact + 0.5);
        },
      ),
    );
    expect(percentileOfBuckets(new Map(), 0.5)).toBeNull();
    // 48 h within the bound (31 minutes).
    const p50 = percentileOfBuckets(histogram([3600 * 12, 3600 * 48, 3600 * 72]), 0.5)!;
    expect(Math.abs(p50 - 48 * 3600)).toBeLessThanOrEqual(0.011 * 48 * 3600);
  });
});
