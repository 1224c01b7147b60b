import { containing, decodeCursor, pageOf } from '../../platform/cursor.ts';
import { parseJson } from '../../platform/db/schema.ts';
import { notFound } from '../../platform/errors.ts';
import { loadOrder } from './load-order.ts';
import type { MoneyChange } from './money-changes.ts';
import { matchesOrderNumber } from './order-number.ts';
import type { Executor, Order, OrdersDeps } from './orders-deps.ts';

/** Reading orders: one order (with its money or its events), by number, and the searchable list. */
export function createOrderReads({ db, payments }: OrdersDeps) {
  return {
    getOrder: (tenantId: string, orderId: string, ex: Executor = db) => loadOrder(ex, tenantId, orderId),

    /** Just the order's number (notifications name the order; they need none of its lines). */
    async orderNumberOf(tenantId: string, orderId: string): Promise<string | null> {
      const row = await db
        .selectFrom('orders')
        .select('orderNumber')
        .where('tenantId', '=', tenantId)
        .where('id', '=', orderId)
        .executeTakeFirst();
      return row?.orderNumber ?? null;
    },

    /** The order with its money (captured, refunded, refundable), as the API shows it. */
    async orderWithPayment(tenantId: string, orderId: string) {
      const order = await loadOrder(db, tenantId, orderId);
      if (!order) throw notFound('Order');
      return { ...order, payment: await payments.orderMoney(tenantId, orderId) };
    },

    /**
     * Orders newest placed first (imported history keeps its own dates), by cursor over
     * (placedAt, id); `q` finds an order number (any case, with or without `#`), or part of the
     * customer's email or name.
     */
    async listOrders(tenantId: string, q: { q?: string; limit?: number; cursor?: string }) {
      const limit = q.limit ?? 20;
      let query = db
        .selectFrom('orders')
        .innerJoin('customers', (j) =>
          j
            .onRef('customers.tenantId', '=', 'orders.tenantId')
            .onRef('customers.id', '=', 'orders.customerId'),
        )
        .select([
          'orders.id',
          'orders.externalId',
          'orders.orderNumber',
          'orders.currency',
          'orders.placedAt',
          'orders.deliveredAt',
          'orders.totalAmount',
          'orders.createdAt',
          'orders.updatedAt',
          'customers.id as customerId',
          'customers.email as customerEmail',
          'customers.name as customerName',
        ])
        .where('orders.tenantId', '=', tenantId);
      const text = q.q?.trim().toLowerCase();
      if (text) {
        query = query.where((eb) =>
          eb.or([
            eb(eb.fn('lower', ['orders.orderNumber']), 'like', containing(text.replace(/^#/, ''))),
            eb('customers.email', 'like', containing(text)),
            eb(eb.fn('lower', ['customers.name']), 'like', containing(text)),
          ]),
        );
      }
      if (q.cursor) {
        const c = decodeCursor(q.cursor);
        query = query.where((eb) =>
          eb.or([
            eb('orders.placedAt', '<', c.at),
            eb.and([eb('orders.placedAt', '=', c.at), eb('orders.id', '<', c.id)]),
          ]),
        );
      }
      const rows = await query
        .orderBy('orders.placedAt', 'desc')
        .orderBy('orders.id', 'desc')
        .limit(limit + 1)
        .execute();
      const { page, nextCursor } = pageOf(rows, limit, (o) => [o.placedAt, o.id]);
      return {
        data: page.map(({ customerId, customerEmail, customerName, ...o }) => ({
          ...o,
          customer: { id: customerId, email: customerEmail, name: customerName },
        })),
        nextCursor,
      };
    },

    async requireOrderByNumber(tenantId: string, orderNumber: string): Promise<Order> {
      const row = await db
        .selectFrom('orders')
        .select('id')
        .where('tenantId', '=', tenantId)
        .where(matchesOrderNumber(orderNumber))
        .orderBy('createdAt', 'desc')
        .executeTakeFirst();
      const order = row && (await loadOrder(db, tenantId, row.id));
      if (!order) throw notFound('Order');
      return order;
    },

    async requireOrder(tenantId: string, orderId: string, ex: Executor = db): Promise<Order> {
      const order = await loadOrder(ex, tenantId, orderId);
      if (!order) throw notFound('Order');
      return order;
    },

    /** The order's money changes after its first import, oldest first. */
    async listOrderEvents(tenantId: string, orderId: string) {
      await this.requireOrder(tenantId, orderId);
      const rows = await db
        .selectFrom('orderEvents')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .where('orderId', '=', orderId)
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        at: r.at,
        actor: { type: r.actorType, id: r.actorId },
        changes: parseJson<MoneyChange[]>(r.changes),
      }));
    },
  };
}
