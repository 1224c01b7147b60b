import { describe, expect, it } from 'vitest';
import { currencyExponent, formatMoney, minorToDecimalString } from './money.ts';

describe('money formatting from minor units', () => {
  it('cuts the decimal string from the integer, per currency exponent', () => {
    expect(minorToDecimalString(1250, 2)).toBe('12.50');
    expect(minorToDecimalString(5, 2)).toBe('0.05');
    expect(minorToDecimalString(-5, 3)).toBe('-0.005');
    expect(minorToDecimalString(800, 0)).toBe('800');
    expect(minorToDecimalString(0, 2)).toBe('0.00');
    // Past 2^53 / 100 a float division would round; the string never does.
    expect(minorToDecimalString(9_007_199_254_740_991, 2)).toBe('90071992547409.91');
    expect(() => minorToDecimalString(1.5, 2)).toThrow(RangeError);
  });

  it('mirrors the server exponents: JPY 0, USD 2, KWD 3', () => {
    expect([currencyExponent('JPY'), currencyExponent('USD'), currencyExponent('KWD')]).toEqual([0, 2, 3]);
  });

  it('formats with Intl for the reader, keeping every minor unit', () => {
    // ICU puts (narrow) no-break spaces between number and code; compare them as plain spaces.
    const format = (amount: number, currency: string, locale: string) =>
      formatMoney(amount, currency, locale).replace(/[\u00a0\u202f]/g, ' ');
    expect(format(1250, 'USD', 'en')).toBe('$12.50');
    expect(format(-595, 'USD', 'en')).toBe('-$5.95');
    expect(format(800, 'JPY', 'en')).toBe('¥800');
    expect(format(1234, 'KWD', 'en')).toBe('KWD 1.234');
    expect(format(27829, 'USD', 'es')).toBe('278,29 US$');
    expect(format(27829, 'USD', 'zh-CN')).toBe('US$278.29');
    expect(format(9_007_199_254_740_991, 'USD', 'en')).toBe('$90,071,992,547,409.91');
  });
});
