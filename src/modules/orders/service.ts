import { createCustomerLookups } from './customer-lookups.ts';
import { createOrderQuantities } from './order-quantities.ts';
import { createOrderReads } from './order-reads.ts';
import type { OrdersDeps } from './orders-deps.ts';
import { createUpsertOrder } from './upsert-order.ts';

export type { Order, OrderActor, OrderLine, OrderPayments, OrdersDeps } from './orders-deps.ts';

/**
 * Orders: imported or created by externalId, read and searched, looked up by their customers, and
 * the units returns take from their lines.
 */
export function createOrdersService(deps: OrdersDeps) {
  return {
    ...createOrderReads(deps),
    ...createCustomerLookups(deps),
    ...createUpsertOrder(deps),
    ...createOrderQuantities(),
  };
}

export type OrdersService = ReturnType<typeof createOrdersService>;
