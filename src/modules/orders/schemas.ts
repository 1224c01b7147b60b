import { type Static, Type } from 'typebox';

const Money = (description: string) =>
  Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description });
const Text = (max: number, description?: string) =>
  Type.String({ minLength: 1, maxLength: max, ...(description ? { description } : {}) });

export const OrderLineInput = Type.Object(
  {
    externalId: Text(200, 'Your id for the line; unique within the order.'),
    sku: Text(200),
    title: Text(500),
    category: Type.String({ maxLength: 200, default: 'general' }),
    quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    unitPrice: Money('Price of one unit before discounts, in minor units.'),
    discountAmount: Type.Integer({
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      default: 0,
      description: 'Discount on this line (all units), minor units.',
    }),
    taxAmount: Type.Integer({
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      default: 0,
      description: 'Tax on this line (all units), minor units.',
    }),
  },
  { additionalProperties: false },
);

export const OrderInput = Type.Object(
  {
    externalId: Text(
      200,
      'Your id for the order; a second POST with it updates or replays, never duplicates.',
    ),
    orderNumber: Text(100, 'The number the customer knows, e.g. "#1001".'),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO-4217 code.' }),
    placedAt: Type.String({ format: 'date-time' }),
    deliveredAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
    customer: Type.Object(
      {
        email: Type.String({ format: 'email', maxLength: 320 }),
        name: Type.String({ maxLength: 200, default: '' }),
      },
      { additionalProperties: false },
    ),
    shippingAmount: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 }),
    discountAmount: Type.Integer({
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      default: 0,
      description: 'Order-level discount, shared across lines by largest remainder.',
    }),
    taxAmount: Type.Integer({
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      default: 0,
      description: 'Order-level tax not already on a line, shared across lines by largest remainder.',
    }),
    lines: Type.Array(OrderLineInput, { minItems: 1, maxItems: 500 }),
  },
  { additionalProperties: false },
);
export type OrderInput = Static<typeof OrderInput>;

export const OrderLineView = Type.Object({
  id: Type.String(),
  externalId: Type.String(),
  sku: Type.String(),
  title: Type.String(),
  category: Type.String(),
  quantity: Type.Integer(),
  unitPrice: Type.Integer(),
  discountAmount: Type.Integer(),
  taxAmount: Type.Integer(),
  returnedQuantity: Type.Integer({ description: 'Units in returns that are not rejected or cancelled.' }),
  returnableQuantity: Type.Integer(),
});

export const OrderView = Type.Object({
  id: Type.String(),
  externalId: Type.String(),
  orderNumber: Type.String(),
  currency: Type.String(),
  placedAt: Type.String(),
  deliveredAt: Type.Union([Type.String(), Type.Null()]),
  customer: Type.Object({ id: Type.String(), email: Type.String(), name: Type.String() }),
  shippingAmount: Type.Integer(),
  discountAmount: Type.Integer(),
  taxAmount: Type.Integer(),
  totalAmount: Type.Integer({ description: 'What the customer paid, minor units.' }),
  lines: Type.Array(OrderLineView),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type OrderView = Static<typeof OrderView>;
