import { type Static, Type } from 'typebox';
import { FEE_KINDS } from './fees.ts';

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
    seller: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Purchasing agents: the upstream seller (shop).',
      }),
    ),
    sellerOrderRef: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: "Purchasing agents: the order number on the seller's platform.",
      }),
    ),
  },
  { additionalProperties: false },
);

export const OrderFeeInput = Type.Object(
  {
    kind: Type.Enum(FEE_KINDS, {
      description:
        'domestic_shipping (seller to warehouse), service_fee, international_shipping, insurance, payment_fee.',
    }),
    amount: Money('Minor units, in the order currency.'),
    lineExternalId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'The line the fee is for; absent means the fee is shared across the lines by value.',
      }),
    ),
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
        displayCurrency: Type.Optional(
          Type.String({
            pattern: '^[A-Z]{3}$',
            description: 'The currency the customer reads amounts in; refunds show a conversion into it.',
          }),
        ),
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
    fees: Type.Optional(
      Type.Array(OrderFeeInput, {
        maxItems: 50,
        description:
          'Itemised fees paid on top of the goods (purchasing agents); part of the order total, each refunded by the policy rule for its kind.',
      }),
    ),
    payment: Type.Optional(
      Type.Object(
        {
          provider: Type.Enum(['manual', 'stripe'], {
            default: 'manual',
            description:
              '`stripe` refunds through the Stripe account connected in /payment-providers; `manual` is paid back by hand.',
          }),
          reference: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 200,
              description: 'The provider payment id, e.g. a PaymentIntent pi_… or charge ch_….',
            }),
          ),
          capturedAmount: Type.Optional(
            Type.Integer({
              minimum: 0,
              maximum: Number.MAX_SAFE_INTEGER,
              description: 'Minor units captured; defaults to the order total.',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
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
  seller: Type.Union([Type.String(), Type.Null()]),
  sellerOrderRef: Type.Union([Type.String(), Type.Null()]),
  stage: Type.Union([Type.String(), Type.Null()], {
    description: 'Purchasing agents: where the line is (null: not tracked, i.e. paid).',
  }),
  stageAt: Type.Union([Type.String(), Type.Null()]),
  domesticDeliveredAt: Type.Union([Type.String(), Type.Null()]),
  qcAt: Type.Union([Type.String(), Type.Null()]),
  storageExpiresAt: Type.Union([Type.String(), Type.Null()]),
});

export const OrderFeeView = Type.Object({
  kind: Type.String(),
  amount: Type.Integer(),
  orderLineId: Type.Union([Type.String(), Type.Null()]),
});

export const OrderView = Type.Object({
  id: Type.String(),
  externalId: Type.String(),
  orderNumber: Type.String(),
  currency: Type.String(),
  placedAt: Type.String(),
  deliveredAt: Type.Union([Type.String(), Type.Null()]),
  customer: Type.Object({
    id: Type.String(),
    email: Type.String(),
    name: Type.String(),
    displayCurrency: Type.Union([Type.String(), Type.Null()]),
  }),
  shippingAmount: Type.Integer(),
  discountAmount: Type.Integer(),
  taxAmount: Type.Integer(),
  totalAmount: Type.Integer({ description: 'What the customer paid, minor units.' }),
  lines: Type.Array(OrderLineView),
  fees: Type.Array(OrderFeeView),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type OrderView = Static<typeof OrderView>;

export const OrderSummaryView = Type.Object({
  id: Type.String(),
  externalId: Type.String(),
  orderNumber: Type.String(),
  currency: Type.String(),
  placedAt: Type.String(),
  deliveredAt: Type.Union([Type.String(), Type.Null()]),
  customer: Type.Object({ id: Type.String(), email: Type.String(), name: Type.String() }),
  totalAmount: Type.Integer({ description: 'What the customer paid, minor units.' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const PaymentView = Type.Object({
  provider: Type.String(),
  paymentRef: Type.Union([Type.String(), Type.Null()]),
  currency: Type.String(),
  capturedAmount: Type.Integer(),
  refundedAmount: Type.Integer({ description: 'Refunds the provider confirmed.' }),
  pendingRefundAmount: Type.Integer({ description: 'Refunds sent and not yet confirmed.' }),
  creditIssuedAmount: Type.Integer({ description: 'Paid back as store credit (bonus not included).' }),
  feesKeptAmount: Type.Integer({ description: 'Restocking and return shipping fees kept from returns.' }),
  refundableAmount: Type.Integer({ description: 'What could still be paid back.' }),
});

export const OrderWithPaymentView = Type.Object({
  ...OrderView.properties,
  payment: Type.Union([PaymentView, Type.Null()]),
});
