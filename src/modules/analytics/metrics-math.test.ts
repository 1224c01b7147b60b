import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentile, periodOf, splitRange } from './metrics-math.ts';

describe('periodOf', () => {
  it('maps a day to its ISO week (Monday) and month', () => {
    expect(periodOf('2025-03-05', 'week')).toBe('2025-03-03'); // a Wednesday
    expect(periodOf('2025-03-09', 'week')).toBe('2025-03-03'); // the Sunday after
    expect(periodOf('2025-03-10', 'week')).toBe('2025-03-10'); // a Monday
    expect(periodOf('2025-03-31', 'month')).toBe('2025-03');
    expect(periodOf('2025-03-31', 'day')).toBe('2025-03-31');
  });
});

describe('percentile', () => {
  it('uses the nearest rank', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([10, 20, 30, 40], 0.5)).toBe(20);
    expect(percentile([10, 20, 30, 40], 0.9)).toBe(40);
    expect(percentile([7], 0.9)).toBe(7);
  });

  it('answers a member with at least q of the values at or below it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (xs, q) => {
          const s = [...xs].sort((a, b) => a - b);
          const p = percentile(s, q)!;
          expect(s).toContain(p);
          expect(s.filter((x) => x <= p).length).toBeGreaterThanOrEqual(Math.ceil(q * s.length));
        },
      ),
    );
  });
});

describe('splitRange', () => {
  const days = (from: string, to: string) => {
    const out: string[] = [];
    for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
      out.push(new Date(t).toISOString().slice(0, 10));
    return out;
  };

  it('reads whole months from the monthly table and the edges by day', () => {
    expect(splitRange('2025-01-01', '2025-12-31')).toEqual({
      months: { from: '2025-01', to: '2025-12' },
      days: [],
    });
    expect(splitRange('2025-01-15', '2025-03-10')).toEqual({
      months: { from: '2025-02', to: '2025-02' },
      days: [
        { from: '2025-01-15', to: '2025-01-31' },
        { from: '2025-03-01', to: '2025-03-10' },
      ],
    });
    expect(splitRange('2025-03-02', '2025-03-30')).toEqual({
      months: null,
      days: [{ from: '2025-03-02', to: '2025-03-30' }],
    });
    expect(splitRange('2024-12-31', '2025-02-28').months).toEqual({ from: '2025-01', to: '2025-02' });
  });

  it('covers every day of the range exactly once', () => {
    const day = fc
      .integer({ min: 0, max: 800 })
      .map((n) => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, day, (a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const s = splitRange(from, to);
        const covered = [
          ...s.days.flatMap((d) => days(d.from, d.to)),
          ...(s.months
            ? days(`${s.months.from}-01`, to).filter(
                (d) => d.slice(0, 7) >= s.months!.from && d.slice(0, 7) <= s.months!.to,
              )
            : []),
        ].sort();
        expect(covered).toEqual(days(from, to));
      }),
    );
  });
});
