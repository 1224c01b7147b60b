/**
 * Money arrives as integer minor units with an ISO-4217 currency. Amounts are never divided as
 * floats: the decimal string is cut from the integer's digits, and Intl formats that string
 * exactly (Intl.NumberFormat accepts decimal strings since ES2023).
 */

// One exponent table and one exact formatter for server and browser (src/platform/money.ts has no
// Node dependency).
export { currencyExponent, minorToDecimalString } from '@contract/money.ts';

import { formatMoneyFor } from '@contract/money.ts';

/**
 * Formats integer minor units for a reader of `locale`.
 *
 * @example
 *   formatMoney(1250, 'USD', 'en') // "$12.50"
 *   formatMoney(800, 'JPY', 'es')  // "800 JPY" / "¥800" depending on the locale's data
 */
export function formatMoney(amount: number, currency: string, locale: string): string {
  return formatMoneyFor(amount, currency, locale);
}

/**
 * "12.50" in the currency's major units → 1250 minor units, cut from the digits (no float
 * arithmetic); null when it is not a plain non-negative amount with at most `exponent` decimals.
 */
export function parseMinor(text: string, exponent: number): number | null {
  const m = /^(\d+)(?:[.,](\d*))?$/.exec(text.trim());
  if (!m) return null;
  const frac = m[2] ?? '';
  if (frac.length > exponent) return null;
  const n = Number(`${m[1]}${frac.padEnd(exponent, '0')}`);
  return Number.isSafeInteger(n) ? n : null;
}
