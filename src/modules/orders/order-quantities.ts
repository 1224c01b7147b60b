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
      const r = await ex
        .updateTable('orderLines')
        .set((eb) => ({ returnedQuantity: eb('returnedQuantity', '+', quantity) }))
        .where('tenantId', '=', tenantId)
        .where('id', '=', lineId)
        .where((eb) => eb(eb('returnedQuantity', '+', quantity), '<=', eb.ref('quantity')))
        .executeTakeFirst();
      return r.numUpdatedRows === 1n;
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
