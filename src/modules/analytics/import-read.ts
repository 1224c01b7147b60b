import type { ReturnStatus } from '../returns/state-machine.ts';
import type { OrderRow, ReturnRow } from './history-rows.ts';
import {
  type FieldProblem,
  importedStatus,
  orderRowProblems,
  returnRowProblems,
} from './history-validate.ts';
import type { ImportProblem, ImportProgress } from './import-report.ts';

/** The two files of a history import, as rows. */
export type HistoryInput = {
  orders: Iterable<OrderRow> | AsyncIterable<OrderRow>;
  returns: Iterable<ReturnRow> | AsyncIterable<ReturnRow>;
};

export type OrderGroup = {
  row: number;
  head: OrderRow;
  lines: { row: number; r: OrderRow }[];
};
export type ReturnGroup = {
  row: number;
  head: ReturnRow;
  status: ReturnStatus;
  lines: { row: number; r: ReturnRow }[];
};

/** Reads and checks every row, and groups the lines by order and by return. */
export async function readHistory(
  input: HistoryInput,
  first: number,
  progress: (p: ImportProgress) => void,
  problem: (p: ImportProblem) => void,
) {
  const orders = new Map<string, OrderGroup>();
  let lineCount = 0;
  let n = 0;
  for await (const r of input.orders) {
    const row = first + n++;
    if (n % 10_000 === 0) progress({ phase: 'orders', done: n });
    const ps = orderRowProblems(r);
    for (const p of ps) problem({ file: 'orders', row, ...p });
    if (ps.length) continue;
    lineCount++;
    const g = orders.get(r.orderExternalId);
    if (!g) {
      orders.set(r.orderExternalId, { row, head: r, lines: [{ row, r }] });
      continue;
    }
    for (const p of headerMismatch(g.head, r)) problem({ file: 'orders', row, ...p });
    if (g.lines.some((l) => l.r.lineExternalId === r.lineExternalId))
      problem({
        file: 'orders',
        row,
        field: 'line_external_id',
        message: `"${r.lineExternalId}" appears twice in order ${r.orderExternalId}`,
      });
    else g.lines.push({ row, r });
  }
  const returns = new Map<string, ReturnGroup>();
  n = 0;
  for await (const r of input.returns) {
    const row = first + n++;
    if (n % 10_000 === 0) progress({ phase: 'returns', done: n });
    const ps = returnRowProblems(r);
    for (const p of ps) problem({ file: 'returns', row, ...p });
    if (ps.length) continue;
    const g = returns.get(r.returnExternalId);
    if (!g) {
      returns.set(r.returnExternalId, {
        row,
        head: r,
        status: importedStatus(r.status)!,
        lines: [{ row, r }],
      });
      continue;
    }
    for (const f of ['orderExternalId', 'requestedAt', 'resolvedAt', 'status'] as const) {
      if ((g.head[f] ?? '') !== (r[f] ?? ''))
        problem({
          file: 'returns',
          row,
          field: snake(f),
          message: `differs from row ${g.row} of the same return ${r.returnExternalId}`,
        });
    }
    if (g.lines.some((l) => l.r.lineExternalId === r.lineExternalId))
      problem({
        file: 'returns',
        row,
        field: 'line_external_id',
        message: `line "${r.lineExternalId}" appears twice in return ${r.returnExternalId}`,
      });
    else g.lines.push({ row, r });
  }
  return { orders, returns, lineCount };
}

function headerMismatch(a: OrderRow, b: OrderRow): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const f of ['orderNumber', 'placedAt', 'deliveredAt', 'currency', 'customerEmail'] as const) {
    if ((a[f] ?? '') !== (b[f] ?? ''))
      out.push({ field: snake(f), message: `differs from the first line of order ${a.orderExternalId}` });
  }
  return out;
}

function snake(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
