import { stringify } from 'csv-stringify/sync';

/**
 * A CSV file for people to open in a spreadsheet: a UTF-8 byte-order mark (so Excel reads
 * Chinese and accents right), a header row, and cells a spreadsheet would run as a formula
 * (leading =, +, -, @, tab or carriage return: a customer named `=HYPERLINK(…)`) written as
 * text with a leading apostrophe. Numbers stay numbers, negative ones too.
 */
export function spreadsheetCsv(rows: Record<string, unknown>[], columns: string[]): string {
  return `\uFEFF${stringify(rows, { header: true, columns, escape_formulas: true })}`;
}
