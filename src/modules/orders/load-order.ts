import type { Executor, Order } from './orders-deps.ts';

/** The order with its customer, lines and fees, or null. */
export async function loadOrder(ex: Executor, tenantId: string, orderId: string): Promise<Order | null> {
  const o = await ex
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
    .where('orders.tenantId', '=', tenantId)
    .where('orders.id', '=', orderId)
    .executeTakeFirst();
  if (!o) return null;
  const lines = await ex
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
    .where('tenantId', '=', tenantId)
    .where('orderId', '=', orderId)
    .orderBy('position')
    .execute();
  const fees = await ex
    .selectFrom('orderFees')
    .select(['kind', 'amount', 'orderLineId'])
    .where('tenantId', '=', tenantId)
    .where('orderId', '=', orderId)
    .orderBy('position')
    .execute();
  const { customerId, customerEmail, customerName, displayCurrency, ...rest } = o;
  return {
    ...rest,
    customer: { id: customerId, email: customerEmail, name: customerName, displayCurrency },
    lines: lines.map((l) => ({ ...l, returnableQuantity: l.quantity - l.returnedQuantity })),
    fees,
  };
}
