import { prepared } from '../../platform/db/prepared.ts';
import type { Executor } from './orders-deps.ts';

/** What returns take from an order: units of its lines, and a lock on the order while they count. */
export function createOrderQuantities() {
  return {
    /**
     * Takes `quantity` units of a line for a return. The guarded UPDATE (and the CHECK
     * constraint behind it) make "returned <= bought" hold under any concurrency: on PostgreSQL
     * the row lock serialises competitors, which re-check the condition after it is released.
     */
    async reserveQuantity(
      ex: Executor,
      tenantId: string,
      lineId: string,
      quantity: number,
    ): Promise<boolean> {
      return (await reserve.run(ex, { tenantId, lineId, quantity })) === 1n;
    },

    /**
     * Locks the order's row until the transaction ends (a no-op UPDATE: a row lock on PostgreSQL,
     * the write lock on SQLite), so per-order limits counted inside it hold under concurrency.
     */
    async lockOrder(ex: Executor, tenantId: string, orderId: string): Promise<void> {
      await ex
        .updateTable('orders')
        .set({ id: orderId })
        .where('tenantId', '=', tenantId)
        .where('id', '=', orderId)
        .execute();
    },

    /** Gives units back when a return is rejected or cancelled. */
    async releaseQuantity(ex: Executor, tenantId: string, lineId: string, quantity: number): Promise<void> {
      await ex
        .updateTable('orderLines')
        .set((eb) => ({ returnedQuantity: eb('returnedQuantity', '-', quantity) }))
        .where('tenantId', '=', tenantId)
        .where('id', '=', lineId)
        .execute();
    },
  };
}

/** Takes units of a line for a return, unless that would return more than was bought. */
const reserve = prepared((db, p: { tenantId: string; lineId: string; quantity: number }) =>
  db
    .updateTable('orderLines')
    .set((eb) => ({ returnedQuantity: eb('returnedQuantity', '+', p.quantity) }))
    .where('tenantId', '=', p.tenantId)
    .where('id', '=', p.lineId)
    .where((eb) => eb(eb('returnedQuantity', '+', p.quantity), '<=', eb.ref('quantity'))),
);
