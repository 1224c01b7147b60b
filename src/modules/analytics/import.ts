import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import { type Db, isUniqueViolation } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId, newSecret } from '../../platform/ids.ts';
import { takeRmaNumbers } from '../returns/rma-numbers.ts';
import type { ReturnStatus } from '../returns/state-machine.ts';
import { bulkInsert, type ColumnSql } from './bulk-insert.ts';
import type { OrderRow, ReturnRow } from './history-rows.ts';
import {
  type FieldProblem,
  importedStatus,
  orderRowProblems,
  returnRowProblems,
  toIso,
} from './history-validate.ts';
import { cellOf, factsOf, netCells, type ReturnSnapshot } from './return-facts.ts';
import { applyReturnCells, applySalesCells, insertFacts, netSales, type SalesCell } from './rollups.ts';

type Executor = Kysely<Database>;

export type ImportProblem = { file: 'orders' | 'returns'; row: number; field: string; message: string };
export type ImportProgress = { phase: 'orders' | 'returns'; done: number; total?: number };
export type ImportResult = {
  orders: number;
  lines: number;
  returns: number;
  created: number;
  unchanged: number;
};

/** At most this many problems are reported; the count of all of them is in the message. */
const MAX_PROBLEMS = 100;
/** Orders or returns written per step (bulkInsert splits them into statements); progress is reported per step. */
const BATCH = 5000;
/** Ids per `in (…)` lookup. */
const LOOKUP = 500;

type OrderGroup = {
  row: number;
  head: OrderRow;
  lines: { row: number; r: OrderRow }[];
};
type ReturnGroup = {
  row: number;
  head: ReturnRow;
  status: ReturnStatus;
  lines: { row: number; r: ReturnRow }[];
};
type KnownLine = {
  id: string;
  orderId: string;
  customerId: string;
  sku: string;
  category: string;
  quantity: number;
  unitPrice: number;
  returned: number;
  row?: OrderRow;
};

/**
 * Imports a shop's order and return history into the core tables, so analytics and warnings work
 * from day one. Idempotent by external ids; every row is checked before anything is written, and
 * everything is written in one transaction (a bad row anywhere leaves the database as it was).
 * Rows are written directly, not through the orders and returns services: a million lines through
 * the per-order use cases would take hours, and history needs its own dates and states.
 */
export function createHistoryImport(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  async function importHistory(
    tenantId: string,
    input: {
      orders: Iterable<OrderRow> | AsyncIterable<OrderRow>;
      returns: Iterable<ReturnRow> | AsyncIterable<ReturnRow>;
    },
    opts: {
      onProgress?: (p: ImportProgress) => void;
      /** The number of the first data row (2 for a CSV file with a header row; default 1). */
      firstRow?: number;
    } = {},
  ): Promise<ImportResult> {
    const tenant = await db.selectFrom('tenants').select('id').where('id', '=', tenantId).executeTakeFirst();
    if (!tenant) throw notFound('Tenant');
    const problems: ImportProblem[] = [];
    let problemCount = 0;
    const problem = (p: ImportProblem) => {
      problemCount++;
      if (problems.length < MAX_PROBLEMS) problems.push(p);
    };
    const first = opts.firstRow ?? 1;
    const progress = opts.onProgress ?? (() => {});

    // 1. Read and check every row; group lines by order and return.
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
    failIfProblems(problems, problemCount);

    const now = clock.now().toISOString();
    return db
      .transaction()
      .execute(async (trx) => {
        // 2. What is there already: orders by external id (compared, never changed), their lines,
        //    and returns imported before.
        const existingOrders = await loadOrders(trx, tenantId, [
          ...orders.keys(),
          ...[...returns.values()].map((g) => g.head.orderExternalId),
        ]);
        const known = new Map<string, KnownLine>(); // `${orderExt}\u0000${lineExt}`
        for (const [ext, o] of existingOrders)
          for (const l of o.lines)
            known.set(`${ext}\u0000${l.externalId}`, { ...l, orderId: o.id, customerId: o.customerId });
        const newOrders: OrderGroup[] = [];
        for (const [ext, g] of orders) {
          const existing = existingOrders.get(ext);
          if (!existing) {
            newOrders.push(g);
            continue;
          }
          for (const l of g.lines) {
            const k = known.get(`${ext}\u0000${l.r.lineExternalId}`);
            if (!k || k.sku !== l.r.sku || k.quantity !== l.r.quantity || k.unitPrice !== l.r.unitPrice)
              problem({
                file: 'orders',
                row: l.row,
                field: 'line_external_id',
                message: `order ${ext} was imported before with other lines; imported history is not changed`,
              });
          }
        }
        const importedBefore = await loadImportedReturns(trx, tenantId, [...returns.keys()]);

        // 3. Resolve return lines to order lines, and check "returned <= bought".
        const orderIds = new Map<string, { id: string; customerId: string | null }>();
        for (const [ext, o] of existingOrders) orderIds.set(ext, { id: o.id, customerId: o.customerId });
        for (const g of newOrders) {
          const id = newId('ord');
          orderIds.set(g.head.orderExternalId, { id, customerId: null });
          for (const l of g.lines)
            known.set(`${g.head.orderExternalId}\u0000${l.r.lineExternalId}`, {
              id: newId('oli'),
              orderId: id,
              customerId: '',
              sku: l.r.sku,
              category: category(l.r.category),
              quantity: l.r.quantity,
              unitPrice: l.r.unitPrice,
              returned: 0,
              row: l.r,
            });
        }
        const newReturns: ReturnGroup[] = [];
        const extraReturned = new Map<string, number>(); // order line id -> units
        for (const [ext, g] of returns) {
          if (importedBefore.has(ext)) continue;
          newReturns.push(g);
          for (const l of g.lines) {
            const k = known.get(`${l.r.orderExternalId}\u0000${l.r.lineExternalId}`);
            if (!k) {
              problem({
                file: 'returns',
                row: l.row,
                field: orderIds.has(l.r.orderExternalId) ? 'line_external_id' : 'order_external_id',
                message: orderIds.has(l.r.orderExternalId)
                  ? `order ${l.r.orderExternalId} has no line "${l.r.lineExternalId}"`
                  : `no order "${l.r.orderExternalId}" in the orders file or imported before`,
              });
              continue;
            }
            if (g.status === 'rejected' || g.status === 'cancelled') continue;
            const total = k.returned + (extraReturned.get(k.id) ?? 0) + l.r.quantity;
            if (total > k.quantity)
              problem({
                file: 'returns',
                row: l.row,
                field: 'quantity',
                message: `returns of line "${l.r.lineExternalId}" of order ${l.r.orderExternalId} come to ${total} units, more than the ${k.quantity} bought`,
              });
            extraReturned.set(k.id, (extraReturned.get(k.id) ?? 0) + l.r.quantity);
          }
        }
        failIfProblems(problems, problemCount);

        // 4. Write: customers, orders and lines, returns with lines and timelines, then the rollups.
        const customerIds = await ensureCustomers(
          trx,
          tenantId,
          newOrders.map((g) => g.head.customerEmail.trim().toLowerCase()),
          now,
        );
        const sales: SalesCell[] = [];
        let written = 0;
        for (let i = 0; i < newOrders.length; i += BATCH) {
          const batch = newOrders.slice(i, i + BATCH);
          await bulkInsert(
            trx,
            'orders',
            ORDER_COLUMNS,
            batch.map((g) => {
              const h = g.head;
              const ids = orderIds.get(h.orderExternalId)!;
              ids.customerId = customerIds.get(h.customerEmail.trim().toLowerCase())!;
              return {
                tenantId,
                id: ids.id,
                externalId: h.orderExternalId,
                orderNumber: h.orderNumber,
                currency: h.currency,
                placedAt: toIso(h.placedAt),
                deliveredAt: h.deliveredAt ? toIso(h.deliveredAt) : null,
                customerId: ids.customerId,
                shippingAmount: 0,
                discountAmount: 0,
                taxAmount: 0,
                totalAmount: g.lines.reduce((a, l) => a + l.r.unitPrice * l.r.quantity, 0),
                requestHash: `import:${createHash('sha256')
                  .update(JSON.stringify(g.lines.map((l) => l.r)))
                  .digest('hex')}`,
                createdAt: now,
                updatedAt: now,
              };
            }),
          );
          const lines = batch.flatMap((g) =>
            g.lines.map((l, position) => {
              const k = known.get(`${g.head.orderExternalId}\u0000${l.r.lineExternalId}`)!;
              sales.push({
                day: toIso(g.head.placedAt).slice(0, 10),
                sku: l.r.sku,
                currency: g.head.currency,
                title: l.r.title,
                category: k.category,
                units: l.r.quantity,
                lines: 1,
                revenue: l.r.unitPrice * l.r.quantity,
              });
              return {
                tenantId,
                id: k.id,
                orderId: k.orderId,
                externalId: l.r.lineExternalId,
                position,
                sku: l.r.sku,
                title: l.r.title,
                category: k.category,
                quantity: l.r.quantity,
                unitPrice: l.r.unitPrice,
                discountAmount: 0,
                taxAmount: 0,
                returnedQuantity: extraReturned.get(k.id) ?? 0,
              };
            }),
          );
          await bulkInsert(trx, 'orderLines', LINE_COLUMNS, lines);
          written += batch.length;
          progress({ phase: 'orders', done: written, total: newOrders.length });
        }
        // Returns against lines imported before: their returned units go up by a guarded update.
        for (const k of known.values()) {
          const units = extraReturned.get(k.id);
          if (k.row || !units) continue;
          const lineId = k.id;
          await trx
            .updateTable('orderLines')
            .set((eb) => ({ returnedQuantity: eb('returnedQuantity', '+', units) }))
            .where('tenantId', '=', tenantId)
            .where('id', '=', lineId)
            .execute();
        }
        await applySalesCells(trx, tenantId, netSales(sales));

        const rma = await takeRmaNumbers(trx, tenantId, newReturns.length);
        written = 0;
        for (let i = 0; i < newReturns.length; i += BATCH) {
          const batch = newReturns.slice(i, i + BATCH);
          const snapshots: ReturnSnapshot[] = [];
          const returnRows = [];
          const lineRows = [];
          const eventRows = [];
          const mapRows = [];
          for (const [j, g] of batch.entries()) {
            const id = newId('ret');
            const order = orderIds.get(g.head.orderExternalId)!;
            const requestedAt = toIso(g.head.requestedAt);
            const resolvedAt = g.head.resolvedAt ? toIso(g.head.resolvedAt) : null;
            const refunded = g.status === 'refunded' || g.status === 'closed';
            const refundTotal = refunded ? g.lines.reduce((a, l) => a + (l.r.refundedAmount ?? 0), 0) : 0;
            const lines = g.lines.map((l, position) => {
              const k = known.get(`${l.r.orderExternalId}\u0000${l.r.lineExternalId}`)!;
              return {
                tenantId,
                id: newId('rli'),
                returnId: id,
                orderLineId: k.id,
                position,
                quantity: l.r.quantity,
                reasonCode: l.r.reasonCode.trim(),
                note: l.r.note ? l.r.note : null,
                refundAmount: refunded ? (l.r.refundedAmount ?? 0) : 0,
                acceptedQuantity: null,
                condition: null,
                k,
              };
            });
            const currency = existingCurrency(orders, existingOrders, g.head.orderExternalId);
            const events = importedEvents(g.status, requestedAt, resolvedAt);
            returnRows.push({
              tenantId,
              id,
              rmaNumber: rma[i + j]!,
              orderId: order.id,
              customerId: order.customerId!,
              status: g.status,
              resolution: 'refund',
              returnless: 0,
              currency,
              refundTotal,
              decision: JSON.stringify({
                outcome:
                  g.status === 'rejected'
                    ? 'rejected'
                    : g.status === 'needs_review' || g.status === 'submitted'
                      ? 'needs_review'
                      : 'approved',
                automatic: false,
                returnless: false,
                decidedBy: 'import',
                ...(resolvedAt ? { decidedAt: resolvedAt } : {}),
                explanation: ['Imported from the shop’s history.'],
                rules: [],
              }),
              refundQuote: JSON.stringify({
                currency,
                resolution: 'refund',
                imported: true,
                lines: lines.map((l) => ({
                  orderLineId: l.orderLineId,
                  quantity: l.quantity,
                  itemAmount: l.refundAmount,
                  discount: 0,
                  tax: 0,
                  shipping: 0,
                  restockingFee: 0,
                  total: l.refundAmount,
                })),
                subtotal: refundTotal,
                restockingFees: 0,
                returnShippingFee: 0,
                fees: [],
                total: refundTotal,
                bonusPercent: 0,
                bonus: 0,
                payout: { method: 'original_payment', amount: refundTotal },
              }),
              customerNote: null,
              trackingToken: newSecret(32),
              policyVersion: 0,
              shipment: null,
              exchange: null,
              fulfillment: null,
              adjustment: null,
              createdAt: requestedAt,
              updatedAt: resolvedAt ?? requestedAt,
            });
            lineRows.push(...lines.map(({ k: _k, ...l }) => l));
            eventRows.push(
              ...events.map((e) => ({
                tenantId,
                id: newId('evt'),
                returnId: id,
                action: e.action,
                fromStatus: e.from,
                toStatus: e.to,
                actorType: 'system' as const,
                actorId: 'import',
                note: e.note,
                visibility: 'customer' as const,
                data: null,
                createdAt: e.at,
              })),
            );
            mapRows.push({
              tenantId,
              externalId: g.head.returnExternalId,
              returnId: id,
              orderExternalId: g.head.orderExternalId,
            });
            snapshots.push({
              id,
              createdAt: requestedAt,
              status: g.status,
              resolution: 'refund',
              currency,
              refundTotal,
              feeTotal: 0,
              lines: lines.map((l) => ({
                id: l.id,
                sku: l.k.sku,
                category: l.k.category,
                reasonCode: l.reasonCode,
                quantity: l.quantity,
                refundAmount: l.refundAmount,
              })),
              events: events.map((e) => ({
                action: e.action,
                fromStatus: e.from,
                toStatus: e.to,
                actorType: 'system',
                actorId: 'import',
                createdAt: e.at,
              })),
            });
          }
          await bulkInsert(trx, 'returns', RETURN_COLUMNS, returnRows);
          await bulkInsert(trx, 'returnLines', RETURN_LINE_COLUMNS, lineRows);
          await bulkInsert(trx, 'returnEvents', EVENT_COLUMNS, eventRows);
          await bulkInsert(trx, 'analyticsImportedReturns', MAP_COLUMNS, mapRows);
          const facts = snapshots.flatMap(factsOf);
          await insertFacts(trx, tenantId, facts);
          await applyReturnCells(trx, tenantId, netCells(facts.map((f) => cellOf(f, 1))));
          written += batch.length;
          progress({ phase: 'returns', done: written, total: newReturns.length });
        }
        return {
          orders: orders.size,
          lines: lineCount,
          returns: returns.size,
          created: newOrders.length + newReturns.length,
          unchanged: orders.size - newOrders.length + (returns.size - newReturns.length),
        };
      })
      .catch((e: unknown) => {
        // Two imports of the same new rows at once: the second one loses on a unique key.
        if (isUniqueViolation(e))
          throw new AppError(
            409,
            'import_conflict',
            'Another import of the same rows ran at the same time; run this one again.',
          );
        throw e;
      });
  }

  return { importHistory };
}

export type HistoryImport = ReturnType<typeof createHistoryImport>;

function failIfProblems(problems: ImportProblem[], count: number) {
  if (count === 0) return;
  const first = problems[0]!;
  throw new AppError(
    422,
    'import_invalid',
    `${count} problem${count === 1 ? '' : 's'} in the import, nothing was imported; the first: ${first.file} row ${first.row}, ${first.field} ${first.message}.`,
    problems.slice().sort((a, b) => (a.file === b.file ? a.row - b.row : a.file === 'orders' ? -1 : 1)),
  );
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

function category(c: string): string {
  return c.trim().toLowerCase() || 'general';
}

function existingCurrency(
  orders: Map<string, OrderGroup>,
  existing: Map<string, { currency: string }>,
  ext: string,
): string {
  return orders.get(ext)?.head.currency ?? existing.get(ext)!.currency;
}

/** The timeline of an imported return: its request, then how it ended, at their historical times. */
export function importedEvents(
  status: ReturnStatus,
  requestedAt: string,
  resolvedAt: string | null,
): { action: string; from: ReturnStatus | null; to: ReturnStatus; at: string; note: string | null }[] {
  const events: {
    action: string;
    from: ReturnStatus | null;
    to: ReturnStatus;
    at: string;
    note: string | null;
  }[] = [
    {
      action: 'request',
      from: null,
      to: 'submitted',
      at: requestedAt,
      note: 'Return requested (imported history).',
    },
  ];
  const at = resolvedAt ?? requestedAt;
  if (status === 'submitted') return events;
  if (status === 'rejected')
    events.push({ action: 'reject', from: 'submitted', to: 'rejected', at, note: null });
  else if (status === 'cancelled')
    events.push({ action: 'cancel', from: 'submitted', to: 'cancelled', at, note: null });
  else if (status === 'refunded' || status === 'closed') {
    events.push({ action: 'refund_succeeded', from: 'submitted', to: 'refunded', at, note: null });
    if (status === 'closed') events.push({ action: 'close', from: 'refunded', to: 'closed', at, note: null });
  } else {
    // An open return: where it stands is known, not when each step happened.
    events.push({ action: 'import', from: 'submitted', to: status, at, note: null });
  }
  return events;
}

async function loadOrders(ex: Executor, tenantId: string, externalIds: string[]) {
  const out = new Map<
    string,
    {
      id: string;
      customerId: string;
      currency: string;
      lines: {
        id: string;
        externalId: string;
        sku: string;
        category: string;
        quantity: number;
        unitPrice: number;
        returned: number;
      }[];
    }
  >();
  const unique = [...new Set(externalIds)];
  for (let i = 0; i < unique.length; i += LOOKUP) {
    const rows = await ex
      .selectFrom('orders')
      .select(['id', 'externalId', 'customerId', 'currency'])
      .where('tenantId', '=', tenantId)
      .where('externalId', 'in', unique.slice(i, i + LOOKUP))
      .execute();
    if (rows.length === 0) continue;
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const r of rows)
      out.set(r.externalId, { id: r.id, customerId: r.customerId, currency: r.currency, lines: [] });
    const lines = await ex
      .selectFrom('orderLines')
      .select(['id', 'orderId', 'externalId', 'sku', 'category', 'quantity', 'unitPrice', 'returnedQuantity'])
      .where('tenantId', '=', tenantId)
      .where('orderId', 'in', [...byId.keys()])
      .execute();
    for (const l of lines) {
      out.get(byId.get(l.orderId)!.externalId)!.lines.push({
        id: l.id,
        externalId: l.externalId,
        sku: l.sku,
        category: l.category,
        quantity: l.quantity,
        unitPrice: Number(l.unitPrice),
        returned: l.returnedQuantity,
      });
    }
  }
  return out;
}

async function loadImportedReturns(
  ex: Executor,
  tenantId: string,
  externalIds: string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < externalIds.length; i += LOOKUP) {
    const rows = await ex
      .selectFrom('analyticsImportedReturns')
      .select('externalId')
      .where('tenantId', '=', tenantId)
      .where('externalId', 'in', externalIds.slice(i, i + LOOKUP))
      .execute();
    for (const r of rows) out.add(r.externalId);
  }
  return out;
}

/** Customer ids by email, creating the missing customers (no name in the history: left empty). */
async function ensureCustomers(ex: Executor, tenantId: string, emails: string[], now: string) {
  const unique = [...new Set(emails)];
  const ids = new Map<string, string>();
  for (let i = 0; i < unique.length; i += LOOKUP) {
    const rows = await ex
      .selectFrom('customers')
      .select(['id', 'email'])
      .where('tenantId', '=', tenantId)
      .where('email', 'in', unique.slice(i, i + LOOKUP))
      .execute();
    for (const r of rows) ids.set(r.email, r.id);
  }
  const missing = unique.filter((e) => !ids.has(e));
  const rows = missing.map((email) => ({ tenantId, id: newId('cus'), email, name: '', createdAt: now }));
  await bulkInsert(ex, 'customers', CUSTOMER_COLUMNS, rows);
  for (const r of rows) ids.set(r.email, r.id);
  return ids;
}

const T = 'text' as const;
const CUSTOMER_COLUMNS: ColumnSql = { tenantId: T, id: T, email: T, name: T, createdAt: 'timestamptz' };
const ORDER_COLUMNS: ColumnSql = {
  tenantId: T,
  id: T,
  externalId: T,
  orderNumber: T,
  currency: T,
  placedAt: 'timestamptz',
  deliveredAt: 'timestamptz',
  customerId: T,
  shippingAmount: 'bigint',
  discountAmount: 'bigint',
  taxAmount: 'bigint',
  totalAmount: 'bigint',
  requestHash: T,
  createdAt: 'timestamptz',
  updatedAt: 'timestamptz',
};
const LINE_COLUMNS: ColumnSql = {
  tenantId: T,
  id: T,
  orderId: T,
  externalId: T,
  position: 'integer',
  sku: T,
  title: T,
  category: T,
  quantity: 'integer',
  unitPrice: 'bigint',
  discountAmount: 'bigint',
  taxAmount: 'bigint',
  returnedQuantity: 'integer',
};
const RETURN_COLUMNS: ColumnSql = {
  tenantId: T,
  id: T,
  rmaNumber: T,
  orderId: T,
  customerId: T,
  status: T,
  resolution: T,
  returnless: 'integer',
  currency: T,
  refundTotal: 'bigint',
  decision: 'jsonb',
  refundQuote: 'jsonb',
  customerNote: T,
  trackingToken: T,
  policyVersion: 'integer',
  shipment: 'jsonb',
  exchange: 'jsonb',
  fulfillment: 'jsonb',
  adjustment: 'jsonb',
  createdAt: 'timestamptz',
  updatedAt: 'timestamptz',
};
const RETURN_LINE_COLUMNS: ColumnSql = {
  tenantId: T,
  id: T,
  returnId: T,
  orderLineId: T,
  position: 'integer',
  quantity: 'integer',
  reasonCode: T,
  note: T,
  refundAmount: 'bigint',
  acceptedQuantity: 'integer',
  condition: T,
};
const EVENT_COLUMNS: ColumnSql = {
  tenantId: T,
  id: T,
  returnId: T,
  action: T,
  fromStatus: T,
  toStatus: T,
  actorType: T,
  actorId: T,
  note: T,
  visibility: T,
  data: 'jsonb',
  createdAt: 'timestamptz',
};
const MAP_COLUMNS: ColumnSql = { tenantId: T, externalId: T, returnId: T, orderExternalId: T };
