/**
 * The contract between the server and the web app: names and shapes both sides must agree on,
 * imported by the web app as `@contract/…` (web/tsconfig.json, web/vite.config.ts). Every file
 * here re-exports from a module's pure code, so renaming a status on the server breaks the web
 * build; nothing here may reach I/O (.dependency-cruiser.cjs: contract-is-pure).
 *
 * Money: one exponent table and one exact formatter for server and browser.
 */

/** The rows of what a customer gets back (besides a shop's own `fee:<code>` and `charge:<code>`). */
export {
  BREAKDOWN_CODES,
  type BreakdownCode,
  type BreakdownRow,
} from '../modules/refunds/refund-breakdown.ts';
export { currencyExponent, formatMoneyFor, minorToDecimalString } from '../platform/money.ts';
