import { prepared } from '../../platform/db/prepared.ts';
import { notFound } from '../../platform/errors.ts';
import { matchesOrderNumber } from './order-number.ts';
import type { Executor, OrdersDeps } from './orders-deps.ts';

/** Customer lookups: a customer finding their order, their contact details, and their history. */
export function createCustomerLookups({ db }: OrdersDeps) {
  return {
    /**
     * The newest of the tenant's orders with this number (any case, with or without `#`) placed
     * by this email, or undefined: how a customer finds their own order.
     */
    async findCustomerOrder(tenantId: string, orderNumber: string, email: string) {
      return db
        .selectFrom('orders')
        .innerJoin('customers', (j) =>
          j
            .onRef('customers.tenantId', '=', 'orders.tenantId')
            .onRef('customers.id', '=', 'orders.customerId'),
        )
        .select(['orders.tenantId', 'orders.id', 'orders.customerId'])
        .where(matchesOrderNumber(orderNumber))
        .where('customers.email', '=', email.trim().toLowerCase())
        .where('orders.tenantId', '=', tenantId)
        .orderBy('orders.createdAt', 'desc')
        .executeTakeFirst();
    },

    async requireCustomer(tenantId: string, customerId: string) {
      const c = await customerById.takeFirst(db, { tenantId, customerId });
      if (!c) throw notFound('Customer');
      return c;
    },

    /** Contact details that notifications use; `undefined` leaves a field as it is, `null` clears it. */
    async updateCustomerContact(
      tenantId: string,
      customerId: string,
      contact: { phone?: string | null; locale?: string | null; timeZone?: string | null },
    ) {
      const set = Object.fromEntries(Object.entries(contact).filter(([, v]) => v !== undefined));
      if (Object.keys(set).length) {
        await db
          .updateTable('customers')
          .set(set)
          .where('tenantId', '=', tenantId)
          .where('id', '=', customerId)
          .execute();
      }
      return this.requireCustomer(tenantId, customerId);
    },

    /** Orders, returns and refunds of one customer, for the policy's customer-history conditions. */
    async customerHistory(ex: Executor, tenantId: string, customerId: string) {
      // One statement: every order has at least one line (an order is imported with one or more),
      // so counting the distinct orders over the lines counts them all.
      const bought = await historyOf.takeFirst(ex, { tenantId, customerId });
      if (!bought) return { orderCount: 0, unitsBought: 0, unitsReturned: 0 };
      return {
        orderCount: Number(bought.orders),
        unitsBought: Number(bought.units),
        unitsReturned: Number(bought.returned),
      };
    },
  };
}

/**
 * What one customer bought and returned, in one statement (an order has at least one line),
 * starting from the customer's orders: joined the other way round, SQLite read every order line
 * of the tenant.
 */
const historyOf = prepared((db, p: { tenantId: string; customerId: string }) =>
  db
    .selectFrom('orderLines')
    .select((eb) => [
      eb.fn.count<number>('orderId').distinct().as('orders'),
      eb.fn.coalesce(eb.fn.sum<number>('quantity'), eb.lit(0)).as('units'),
      eb.fn.coalesce(eb.fn.sum<number>('returnedQuantity'), eb.lit(0)).as('returned'),
    ])
    .where('tenantId', '=', p.tenantId)
    .where('orderId', 'in', (eb) =>
      eb
        .selectFrom('orders')
        .select('id')
        .where('tenantId', '=', p.tenantId)
        .where('customerId', '=', p.customerId),
    ),
);

const customerById = prepared((db, p: { tenantId: string; customerId: string }) =>
  db
    .selectFrom('customers')
    .select(['id', 'email', 'name', 'phone', 'locale', 'timeZone', 'createdAt'])
    .where('tenantId', '=', p.tenantId)
    .where('id', '=', p.customerId),
);
