import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertMinor, isRate } from './fx.ts';

const rate = (base: string, quote: string, r: string) => ({ base, quote, rate: r, rateDate: '2026-03-09' });

describe('convertMinor', () => {
  it('converts between currencies with different minor units, rounding half away from zero', () => {
    expect(convertMinor(10_000, rate('CNY', 'USD', '0.1387'))).toBe(1387); // ¥100.00 -> $13.87
    expect(convertMinor(10_000, rate('CNY', 'JPY', '20.55'))).toBe(2055); // ¥100.00 -> ¥2055
    expect(convertMinor(1000, rate('JPY', 'KWD', '0.00205'))).toBe(2050); // ¥1000 -> KD 2.050
    expect(convertMinor(5, rate('USD', 'JPY', '0.5'))).toBe(0); // 2.5 yen... of 0.025 -> 0
    expect(convertMinor(1, rate('USD', 'USD', '0.5'))).toBe(1); // 0.5 rounds up
    expect(convertMinor(-1, rate('USD', 'EUR', '0.5'))).toBe(-1);
  });

  it('refuses malformed rates', () => {
    for (const bad of ['', '0', '0.000', '-1', '1e3', '1.', '.5', '01.5', 'abc'])
      expect(isRate(bad), bad).toBe(false);
    expect(() => convertMinor(100, rate('CNY', 'USD', 'x'))).toThrow(RangeError);
  });

  it('matches exact rational arithmetic for any amount and rate (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.integer({ min: 1, max: 10 ** 9 }),
        fc.integer({ min: 0, max: 8 }),
        (amount, digits, scale) => {
          const s = String(digits).padStart(scale + 1, '0');
          const r = scale ? `${s.slice(0, -scale).replace(/^0+(?=\d)/, '')}.${s.slice(-scale)}` : s;
          fc.pre(isRate(r));
          // exact: amount * digits / 10^scale, half up
          const num = BigInt(amount) * BigInt(digits);
          const den = 10n ** BigInt(scale);
          const want = (num * 2n + den) / (2n * den);
          fc.pre(want <= BigInt(Number.MAX_SAFE_INTEGER));
          expect(convertMinor(amount, rate('CNY', 'USD', r))).toBe(Number(want));
        },
      ),
    );
  });
});
