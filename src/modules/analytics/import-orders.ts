import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { newId } from '../../platform/ids.ts';
import { bulkInsert } from './bulk-insert.ts';
import { toIso } from './history-validate.ts';
import { CUSTOMER_COLUMNS, LINE_COLUMNS, ORDER_COLUMNS } from './import-columns.ts';
import { BATCH, type ImportProgress } from './import-report.ts';
import { LOOKUP, type ResolvedHistory } from './import-resolve.ts';
import { applySalesCells, netSales, type SalesCell } from './sales-rollups.ts';

type Executor = Kysely<Database>;

/**
 * Writes the new customers, orders and lines, raises the returned units of lines imported before,
 * and adds the orders to the sales rollups.
 */
export async function writeOrders(
  trx: Executor,
  tenantId: string,
  resolved: ResolvedHistory,
  now: string,
  progress: (p: ImportProgress) => void,
) {
  const { newOrders, orderIds, known, extraReturned } = resolved;
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
