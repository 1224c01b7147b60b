import type { OrderInput } from '../modules/orders/schemas.ts';

/**
 * The order most tests start from: a T-shirt (two units) and a jacket, $5 shipping, no discount
 * or tax. `key` makes the external id and the customer's email unique; the HTTP tests
 * (test/helpers/fixtures.ts) and the service tests beside the code share it.
 */
export function sampleOrder(
  at: { key: string; number: number; placedAt: string; deliveredAt: string },
  over: Partial<OrderInput> = {},
): OrderInput {
  return {
    externalId: `ord-${at.key}`,
    orderNumber: `#${at.number}`,
    currency: 'USD',
    placedAt: at.placedAt,
    deliveredAt: at.deliveredAt,
    customer: { email: `buyer-${at.key}@example.com`, name: 'Test Buyer' },
    shippingAmount: 500,
    discountAmount: 0,
    taxAmount: 0,
    lines: [
      {
        externalId: 'L1',
        sku: 'TEE-1',
        title: 'T-shirt',
        category: 'tops',
        quantity: 2,
        unitPrice: 3500,
        discountAmount: 0,
        taxAmount: 0,
      },
      {
        externalId: 'L2',
        sku: 'JKT-1',
        title: 'Jacket',
        category: 'outerwear',
        quantity: 1,
        unitPrice: 9000,
        discountAmount: 0,
        taxAmount: 0,
      },
    ],
    ...over,
  };
}
