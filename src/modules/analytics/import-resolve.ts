import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { newId } from '../../platform/ids.ts';
import type { OrderRow } from './history-rows.ts';
import type { OrderGroup, ReturnGroup } from './import-read.ts';
import type { ImportProblem } from './import-report.ts';

type Executor = Kysely<Database>;

/** Ids per `in (…)` lookup. */
export const LOOKUP = 500;

export type KnownLine = {
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
 * Compares the rows with what was imported before and resolves every return line to its order
 * line; a problem is reported, not thrown, so that all of them are found at once.
 */
export async function resolveHistory(
  trx: Executor,
  tenantId: string,
  orders: Map<string, OrderGroup>,
  returns: Map<string, ReturnGroup>,
  problem: (p: ImportProblem) => void,
) {
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
  return { existingOrders, known, newOrders, orderIds, newReturns, extraReturned };
}

export type ResolvedHistory = Awaited<ReturnType<typeof resolveHistory>>;

function category(c: string): string {
  return c.trim().toLowerCase() || 'general';
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
