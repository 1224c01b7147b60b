let seq = 0;

/** An order body with sensible defaults; every call gets fresh external ids. */
export function orderBody(overrides: Record<string, unknown> = {}) {
  seq += 1;
  const id = `${Date.now().toString(36)}-${seq}-${Math.random().toString(36).slice(2, 8)}`;
  const placedAt = new Date(Date.now() - 10 * 86_400_000).toISOString();
  return {
    externalId: `ord-${id}`,
    orderNumber: `#${1000 + seq}`,
    currency: 'USD',
    placedAt,
    deliveredAt: new Date(Date.now() - 7 * 86_400_000).toISOString(),
    customer: { email: `buyer-${id}@example.com`, name: 'Test Buyer' },
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
    ...overrides,
  };
}
