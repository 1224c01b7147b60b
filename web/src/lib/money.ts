/**
 * Money arrives as integer minor units with an ISO-4217 currency. Amounts are never divided as
 * floats: the decimal string is cut from the integer's digits, and Intl formats that string
 * exactly (Intl.NumberFormat accepts decimal strings since ES2023).
 */

// Mirrors currencyExponent in src/platform/money.ts: ISO-4217 currencies whose minor unit is
// not 2 decimals; every other currency has 2.
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

/** Number of decimals of the currency's minor unit (JPY 0, USD 2, KWD 3). */
export function currencyExponent(currency: string): number {
  return EXPONENTS[currency] ?? 2;
}

/** `1250, 2` → `"12.50"`; `-5, 3` → `"-0.005"`; `800, 0` → `"800"`. */
export function minorToDecimalString(amount: number, exponent: number): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`not an amount in minor units: ${amount}`);
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(amount)).padStart(exponent + 1, '0');
  if (exponent === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/**
 * Formats integer minor units for a reader of `locale`.
 *
 * @example
 *   formatMoney(1250, 'USD', 'en') // "$12.50"
 *   formatMoney(800, 'JPY', 'es')  // "800 JPY" / "¥800" depending on the locale's data
 */
export function formatMoney(amount: number, currency: string, locale: string): string {
  const exponent = currencyExponent(currency);
  const decimal = minorToDecimalString(amount, exponent) as `${number}`;
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    }).format(decimal);
  } catch {
    // An unknown currency code: show the exact number with the code rather than fail.
    return `${decimal} ${currency}`;
  }
}
