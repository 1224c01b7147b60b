/**
 * Money arrives as integer minor units with an ISO-4217 currency. Amounts are never divided as
 * floats: the decimal string is cut from the integer's digits, and Intl formats that string
 * exactly (Intl.NumberFormat accepts decimal strings since ES2023).
 */

// One exponent table and one exact formatter for server and browser (src/platform/money.ts has no
// Node dependency).
export { currencyExponent, minorToDecimalString } from '../../../src/platform/money.ts';

import { formatMoneyFor } from '../../../src/platform/money.ts';

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
