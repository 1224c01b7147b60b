/**
 * Money in integer minor units. No floats touch an amount: shares are computed with
 * BigInt products so that `amount * count` never loses precision past 2^53.
 */

export type Money = { amount: number; currency: string };

/** ISO-4217 currencies whose minor unit is not 2 decimals; everything else has 2. */
const EXPONENTS: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

const SUPPORTED = new Set(
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency') : Object.keys(EXPONENTS),
);

/** True for a three-letter ISO-4217 code that this runtime knows. */
export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && SUPPORTED.has(code);
}

/** Number of decimals of the currency's minor unit (JPY 0, USD 2, KWD 3). */
export function currencyExponent(currency: string): number {
  return EXPONENTS[currency] ?? 2;
}

/** Throws unless `n` is a safe integer: the guard for every amount that enters from I/O. */
export function assertMinorUnits(n: unknown, what = 'amount'): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new RangeError(`${what} must be a safe integer in minor units, got ${String(n)}`);
  }
  return n;
}

/** Parses an integer that a driver may hand back as a string (pg int8) or bigint. */
export function toSafeInteger(value: unknown): number {
  if (typeof value === 'number') return assertMinorUnits(value);
  if (typeof value === 'bigint') return assertMinorUnits(Number(value));
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return assertMinorUnits(Number(value));
  throw new RangeError(`not an integer: ${String(value)}`);
}

/** floor(amount * numerator / denominator) without leaving integers. */
export function mulDivFloor(amount: number, numerator: number, denominator: number): number {
  if (denominator === 0) throw new RangeError('denominator is zero');
  const p = BigInt(amount) * BigInt(numerator);
  const d = BigInt(denominator);
  let q = p / d;
  // BigInt division truncates toward zero; floor for negative results.
  if (p % d !== 0n && p < 0n !== d < 0n) q -= 1n;
  return Number(q);
}

/**
 * Splits `total` across `weights` by the largest-remainder method: every part is the floor
 * of its exact share, and the units left over go to the largest fractional remainders
 * (ties to the earlier index). The parts always sum exactly to `total`.
 * All-zero weights split evenly.
 *
 * @example allocate(100, [1, 1, 1]) // [34, 33, 33]
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) {
    throw new RangeError('weights must be non-negative safe integers');
  }
  // Summed as BigInt: safe weights can still add up past 2^53.
  const sum = weights.reduce((a, b) => a + BigInt(b), 0n);
  const w = sum === 0n ? weights.map(() => 1) : weights;
  const denom = sum === 0n ? BigInt(weights.length) : sum;
  const sign = total < 0 ? -1n : 1n;
  const abs = BigInt(Math.abs(total));
  const parts = w.map((wi) => (abs * BigInt(wi)) / denom);
  const rems = w.map((wi, i) => ({ i, r: (abs * BigInt(wi)) % denom }));
  let left = abs - parts.reduce((a, b) => a + b, 0n);
  rems.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (let k = 0; left > 0n; k++, left--) parts[rems[k]!.i]! += 1n;
  return parts.map((p) => Number(p * sign));
}

/**
 * The part of `total` that belongs to units `from` (inclusive) to `to` (exclusive) of
 * `quantity` units, using cumulative flooring: share(n) = floor(total * n / quantity).
 * Consecutive slices always sum to the whole, whatever the order or size of the slices.
 */
export function unitSlice(total: number, quantity: number, from: number, to: number): number {
  if (!(0 <= from && from <= to && to <= quantity)) {
    throw new RangeError(`bad unit range ${from}..${to} of ${quantity}`);
  }
  if (quantity === 0) return 0;
  return mulDivFloor(total, to, quantity) - mulDivFloor(total, from, quantity);
}

/** `1250, 2` → `"12.50"`; `-5, 3` → `"-0.005"`; `800, 0` → `"800"`: cut from the digits, never divided. */
export function minorToDecimalString(amount: number, exponent: number): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`not an amount in minor units: ${amount}`);
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(amount)).padStart(exponent + 1, '0');
  if (exponent === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/**
 * Integer minor units for a reader of `locale` ("12,50 US$", "US$12.50"), exactly: Intl formats
 * the decimal string (ES2023), with the digits of our exponent table, not the runtime's.
 * Shared by the server (emails, explanations) and the web app.
 */
export function formatMoneyFor(amount: number, currency: string, locale: string): string {
  const exponent = currencyExponent(currency);
  const decimal = minorToDecimalString(amount, exponent) as Intl.StringNumericLiteral;
  const format = moneyFormat(locale, currency, exponent);
  // An unknown currency code: the exact number with the code rather than a failure.
  return format ? format.format(decimal) : `${decimal} ${currency}`;
}

/**
 * Building an Intl.NumberFormat costs far more than using one (it was 3 % of filing a return's
 * CPU), so each locale × currency is built once; the few hundred pairs a process meets stay.
 * Null remembers a currency code Intl refuses.
 */
const formats = new Map<string, Intl.NumberFormat | null>();
function moneyFormat(locale: string, currency: string, exponent: number): Intl.NumberFormat | null {
  const key = `${locale}|${currency}`;
  let f = formats.get(key);
  if (f === undefined) {
    try {
      f = new Intl.NumberFormat(locale, {
        style: 'currency',
        currency,
        minimumFractionDigits: exponent,
        maximumFractionDigits: exponent,
      });
    } catch {
      f = null;
    }
    // A bound on what a stream of odd locale strings could make it hold.
    if (formats.size >= 1000) formats.clear();
    formats.set(key, f);
  }
  return f;
}

/** Formats for logs and plain-text explanations ("USD 12.50"); the UI uses Intl itself. */
export function formatMoney(amount: number, currency: string): string {
  const exp = currencyExponent(currency);
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount)
    .toString()
    .padStart(exp + 1, '0');
  const major = exp === 0 ? abs : `${abs.slice(0, -exp)}.${abs.slice(-exp)}`;
  return `${currency} ${sign}${major}`;
}
