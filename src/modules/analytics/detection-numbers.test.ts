import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanCells } from './detection-queries.ts';
import { exposureSeries } from './early-warning-rates.ts';

/** The exposure as first written: each day's terms summed over the lag, k = 0, 1, 2 … */
function exposureByDay(sold: ArrayLike<number>, lag: ArrayLike<number>, from: number, to: number) {
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

describe('exposureSeries', () => {
  it('is bit for bit the day-by-day sum, whatever the sales, lag and span', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 40 })), {
          maxLength: 120,
        }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 70 }),
        fc.integer({ min: 0, max: 130 }),
        fc.integer({ min: 0, max: 130 }),
        (sold, lag, a, b) => {
          const [from, to] = a <= b ? [a, b] : [b, a];
          const fast = exposureSeries(sold, lag, from, to);
          const slow = exposureByDay(sold, lag, from, to);
          expect(fast.length).toBe(slow.length);
          for (let i = 0; i < slow.length; i++) expect(Object.is(fast[i], slow[i])).toBe(true);
        },
      ),
    );
  });
});

describe('scanCells', () => {
  const pack = (cells: string[][]) => cells.map((c) => c.join('\u001e')).join('\u001f');
  const scan = (s: string, count: number, fields: number) => {
    const at = new Int32Array(2 * fields);
    const out: string[][] = [];
    const ok = scanCells(s, count, fields, at, (n) => {
      const keys = Array.from({ length: fields }, (_, f) => s.slice(at[2 * f]!, at[2 * f + 1]!));
      out.push([...keys, String(n)]);
    });
    return ok ? out : null;
  };

  // Keys made of a few characters, separators among them.
  const key = fc.string({ unit: fc.constantFrom('a', 'B', '1', ':', '\u001e', '\u001f'), maxLength: 6 });

  it('reads back what was packed, and never misreads keys holding a separator', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(key, key, fc.integer({ min: 1, max: 10_000 })), {
          minLength: 1,
          maxLength: 20,
        }),
        (cells) => {
          const rows = cells.map(([a, b, n]) => [a, b, String(n)]);
          const s = pack(rows);
          const clean = cells.every(
            ([a, b]) => !`${a}${b}`.includes('\u001e') && !`${a}${b}`.includes('\u001f'),
          );
          const got = scan(s, rows.length, 2);
          // Clean keys read back; a separator in a key is refused (then rows are read instead).
          expect(got).toEqual(clean ? rows : null);
        },
      ),
    );
    expect(scan(pack([['A', 'x', '3']]), 1, 2)).toEqual([['A', 'x', '3']]);
    // A key with a field separator, or with a cell separator: not what the count says.
    expect(scan(pack([['A\u001eB', 'x', '3']]), 1, 2)).toBeNull();
    expect(scan(pack([['A\u001fB', 'x', '3']]), 1, 2)).toBeNull();
  });
});
