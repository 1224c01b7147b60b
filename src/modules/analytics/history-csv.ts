import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { AppError } from '../../platform/errors.ts';
import type { OrderRow, ReturnRow } from './history-rows.ts';

/** The columns of the two import files (a header row; any order; other columns are ignored). */
export const ORDER_COLUMNS = [
  'order_external_id',
  'order_number',
  'placed_at',
  'delivered_at',
  'currency',
  'customer_email',
  'line_external_id',
  'sku',
  'title',
  'category',
  'quantity',
  'unit_price',
] as const;
export const RETURN_COLUMNS = [
  'return_external_id',
  'order_external_id',
  'line_external_id',
  'quantity',
  'reason_code',
  'note',
  'requested_at',
  'resolved_at',
  'status',
  'refunded_amount',
] as const;
const OPTIONAL = new Set(['delivered_at', 'note', 'resolved_at', 'refunded_amount']);

type CsvRecord = Record<string, string | undefined>;

/** A whole number, or NaN for anything else (the row checks report it with its row number). */
function int(v: string | undefined): number {
  const s = (v ?? '').trim();
  return /^-?\d+$/.test(s) ? Number(s) : Number.NaN;
}

function optional(v: string | undefined): string | null {
  const s = (v ?? '').trim();
  return s === '' ? null : s;
}

export function orderRowOf(r: CsvRecord): OrderRow {
  return {
    orderExternalId: (r.order_external_id ?? '').trim(),
    orderNumber: (r.order_number ?? '').trim(),
    placedAt: (r.placed_at ?? '').trim(),
    deliveredAt: optional(r.delivered_at),
    currency: (r.currency ?? '').trim().toUpperCase(),
    customerEmail: (r.customer_email ?? '').trim(),
    lineExternalId: (r.line_external_id ?? '').trim(),
    sku: (r.sku ?? '').trim(),
    title: (r.title ?? '').trim(),
    category: (r.category ?? '').trim(),
    quantity: int(r.quantity),
    unitPrice: int(r.unit_price),
  };
}

export function returnRowOf(r: CsvRecord): ReturnRow {
  const refunded = optional(r.refunded_amount);
  return {
    returnExternalId: (r.return_external_id ?? '').trim(),
    orderExternalId: (r.order_external_id ?? '').trim(),
    lineExternalId: (r.line_external_id ?? '').trim(),
    quantity: int(r.quantity),
    reasonCode: (r.reason_code ?? '').trim(),
    note: optional(r.note),
    requestedAt: (r.requested_at ?? '').trim(),
    resolvedAt: optional(r.resolved_at),
    status: (r.status ?? '').trim(),
    refundedAmount: refunded === null ? null : int(refunded),
  };
}

/** Missing required columns of a header row (names compared trimmed and lower-case). */
export function missingColumns(header: string[], file: 'orders' | 'returns'): string[] {
  const have = new Set(header.map((h) => h.trim().toLowerCase()));
  const want = file === 'orders' ? ORDER_COLUMNS : RETURN_COLUMNS;
  return want.filter((c) => !OPTIONAL.has(c) && !have.has(c));
}

/**
 * Streams the rows of one CSV file (UTF-8, an optional BOM, a header row). A header without a
 * required column, or a file that is not CSV, answers 422 `import_invalid` with row 1 or the
 * row the parser stopped at.
 */
export async function* readHistoryCsv<F extends 'orders' | 'returns'>(
  input: Readable,
  file: F,
): AsyncGenerator<F extends 'orders' ? OrderRow : ReturnRow> {
  const parser = input.pipe(
    parse({
      bom: true,
      columns: (header: string[]) => {
        const missing = missingColumns(header, file);
        if (missing.length) {
          throw new AppError(422, 'import_invalid', `The ${file} file has no column ${missing.join(', ')}.`, [
            ...missing.map((c) => ({
              file,
              row: 1,
              field: c,
              message: 'column is missing from the header row',
            })),
          ]);
        }
        return header.map((h) => h.trim().toLowerCase());
      },
      skip_empty_lines: true,
      relax_column_count: true,
      trim: false,
    }),
  );
  const toRow = file === 'orders' ? orderRowOf : returnRowOf;
  try {
    for await (const record of parser) yield toRow(record as CsvRecord) as never;
  } catch (e) {
    if (e instanceof AppError) throw e;
    const err = e as { message?: string; lines?: number };
    throw new AppError(422, 'import_invalid', `The ${file} file is not valid CSV: ${err.message ?? e}`, [
      { file, row: err.lines ?? 0, field: '', message: err.message ?? 'not valid CSV' },
    ]);
  }
}
