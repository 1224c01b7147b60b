import { prepared } from '../../platform/db/prepared.ts';
import type { Executor, Order } from './orders-deps.ts';

type Key = { tenantId: string; orderId: string };

const orderWithCustomer = prepared((db, p: Key) =>
  db
    .selectFrom('orders')
    .innerJoin('customers', (j) =>
      j.onRef('customers.tenantId', '=', 'orders.tenantId').onRef('customers.id', '=', 'orders.customerId'),
    )
    .select([
      'orders.id',
      'orders.externalId',
      'orders.orderNumber',
      'orders.currency',
      'orders.placedAt',
      'orders.deliveredAt',
      'orders.shippingAmount',
      'orders.discountAmount',
      'orders.taxAmount',
      'orders.totalAmount',
      'orders.createdAt',
      'orders.updatedAt',
      'customers.id as customerId',
      'customers.email as customerEmail',
      'customers.name as customerName',
      'customers.displayCurrency',
    ])
    .where('orders.tenantId', '=', p.tenantId)
    .where('orders.id', '=', p.orderId),
);

const linesOfOrder = prepared((db, p: Key) =>
  db
    .selectFrom('orderLines')
    .select([
      'id',
      'externalId',
      'sku',
      'title',
      'category',
      'quantity',
      'unitPrice',
      'discountAmount',
      'taxAmount',
      'returnedQuantity',
      'seller',
      'sellerOrderRef',
      'stage',
      'stageAt',
      'domesticDeliveredAt',
      'qcAt',
      'storageExpiresAt',
    ])
    .where('tenantId', '=', p.tenantId)
    .where('orderId', '=', p.orderId)
    .orderBy('position'),
);

const feesOfOrder = prepared((db, p: Key) =>
  db
    .selectFrom('orderFees')
    .select(['kind', 'amount', 'orderLineId'])
    .where('tenantId', '=', p.tenantId)
    .where('orderId', '=', p.orderId)
    .orderBy('position'),
);

/** The order with its customer, lines and fees, or null. */
export async function loadOrder(ex: Executor, tenantId: string, orderId: string): Promise<Order | null> {
  const key = { tenantId, orderId };
  const o = await orderWithCustomer.takeFirst(ex, key);
  if (!o) return null;
  const lines = await linesOfOrder.execute(ex, key);
  const fees = await feesOfOrder.execute(ex, key);
  const { customerId, customerEmail, customerName, displayCurrency, ...rest } = o;
  return {
    ...rest,
    customer: { id: customerId, email: customerEmail, name: customerName, displayCurrency },
    lines: lines.map((l) => ({ ...l, returnableQuantity: l.quantity - l.returnedQuantity })),
    fees,
  };
}
