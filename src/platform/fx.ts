import { currencyExponent } from './money.ts';

/** A rate as supplied: units of `quote` for one unit of `base`, an exact decimal, and its day. */
export type FxRate = { base: string; quote: string; rate: string; rateDate: string };

/** What a conversion stores beside the amount, so it can be explained and repeated later. */
export type FxConversion = FxRate & { amount: number; converted: number };

const DECIMAL = /^(?:0|[1-9]\d{0,11})(?:\.\d{1,12})?$/;

/** A positive decimal with at most 12 digits either side of the point ("7.1234"). */
export function isRate(rate: string): boolean {
  return DECIMAL.test(rate) && /[1-9]/.test(rate);
}

/**
 * Converts minor units of `base` into minor units of `quote`, exactly: BigInt arithmetic on the
 * decimal rate and both currencies' exponents, rounded half away from zero to the target's
 * minor unit. Display only: money never moves in a converted amount.
 */
export function convertMinor(amount: number, rate: FxRate): number {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount must be a safe integer, got ${amount}`);
  if (!isRate(rate.rate)) throw new RangeError(`bad rate "${rate.rate}"`);
  const [int, frac = ''] = rate.rate.split('.');
  const rateScaled = BigInt(int! + frac); // rate × 10^frac.length
  const shift = currencyExponent(rate.quote) - currencyExponent(rate.base) - frac.length;
  let num = BigInt(Math.abs(amount)) * rateScaled;
  let den = 1n;
  if (shift >= 0) num *= 10n ** BigInt(shift);
  else den = 10n ** BigInt(-shift);
  const q = num / den;
  const rounded = (num % den) * 2n >= den ? q + 1n : q;
  const out = Number(rounded);
  if (!Number.isSafeInteger(out)) throw new RangeError('converted amount is too large');
  return amount < 0 ? -out : out;
}

export function conversion(amount: number, rate: FxRate): FxConversion {
  return { ...rate, amount, converted: convertMinor(amount, rate) };
}
