import { type Static, Type } from 'typebox';
import { Nullable } from '../../platform/http/schemas.ts';
import { RESOLUTIONS } from '../policy/policy-schema.ts';
import { RETURN_ACTIONS, RETURN_STATUSES } from './state-machine.ts';

export const ReturnRequestLine = Type.Object(
  {
    orderLineId: Type.String({ minLength: 1, maxLength: 100 }),
    quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    reasonCode: Type.String({ minLength: 1, maxLength: 64 }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    evidenceIds: Type.Optional(
      Type.Array(Type.String({ maxLength: 100 }), {
        maxItems: 5,
        description: 'Photos uploaded for this order (POST …/evidence).',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ExchangeItem = Type.Object(
  {
    sku: Type.String({ minLength: 1, maxLength: 200 }),
    title: Type.String({ minLength: 1, maxLength: 500 }),
    unitPrice: Type.Integer({
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'Minor units, order currency.',
    }),
    quantity: Type.Integer({ minimum: 1, maximum: 1000 }),
  },
  { additionalProperties: false },
);

export const ReturnRequest = Type.Object(
  {
    orderId: Type.String({ minLength: 1, maxLength: 100 }),
    resolution: Type.Enum(RESOLUTIONS, {
      default: 'refund',
      description:
        'What the customer wants: money back, store credit (with the policy bonus), an exchange, a replacement, a repair, or to keep the item (returnless).',
    }),
    lines: Type.Array(ReturnRequestLine, { minItems: 1, maxItems: 200 }),
    customerNote: Type.Optional(Type.String({ maxLength: 4000 })),
    refundTo: Type.Optional(
      Type.Enum(['wallet', 'original_payment'], {
        description:
          "Purchasing agents: where a refund goes; absent means the policy's default (purchasingAgent.refundTo).",
      }),
    ),
    exchange: Type.Optional(
      Type.Object(
        { items: Type.Array(ExchangeItem, { minItems: 1, maxItems: 50 }) },
        {
          additionalProperties: false,
          description: 'exchange only: what the customer gets instead, priced in the order currency.',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ReturnRequest = Static<typeof ReturnRequest>;

const RuleTraceView = Type.Object({
  ruleId: Type.String(),
  fired: Type.Boolean(),
  action: Type.String(),
  matchedLines: Type.Array(Type.String()),
  note: Type.String(),
});

export const DecisionView = Type.Object({
  outcome: Type.Union([Type.Literal('approved'), Type.Literal('needs_review'), Type.Literal('rejected')]),
  automatic: Type.Boolean(),
  returnless: Type.Boolean(),
  explanation: Type.Array(Type.String(), { description: 'Plain-language sentences a customer can read.' }),
  rules: Type.Array(RuleTraceView),
  decidedBy: Type.Optional(Type.String()),
  decidedAt: Type.Optional(Type.String()),
});

export const QuoteLineView = Type.Object({
  orderLineId: Type.String(),
  quantity: Type.Integer(),
  itemAmount: Type.Integer(),
  discount: Type.Integer(),
  tax: Type.Integer(),
  shipping: Type.Integer(),
  restockingFee: Type.Integer(),
  charges: Type.Optional(
    Type.Array(Type.Object({ code: Type.String(), paid: Type.Integer(), refunded: Type.Integer() }), {
      description: "The returned units' share of each itemised fee of the order, and what of it comes back.",
    }),
  ),
  total: Type.Integer(),
});

export const SourcingQuoteView = Type.Object(
  {
    stages: Type.Array(
      Type.Object({
        orderLineId: Type.String(),
        stage: Type.String(),
        route: Nullable(
          Type.String({
            description:
              'cancel_before_purchase, seller_cancellation, return_to_seller, qc_failed_return, transit_claim',
          }),
        ),
        sellerDeadline: Nullable(Type.String()),
        customerDeadline: Nullable(Type.String()),
        sellerFault: Type.Boolean(),
      }),
    ),
    itemised: Type.Array(
      Type.Object({
        code: Type.String({
          description:
            'goods, a fee kind (domestic_shipping, service_fee, international_shipping, insurance, payment_fee) or a deduction (domestic_return_shipping, over_quota)',
        }),
        paid: Type.Integer(),
        refunded: Type.Integer({
          description: 'Negative for deductions; the rows sum exactly to the total.',
        }),
        reason: Type.Optional(
          Type.String({
            description:
              'nothing_spent, unspent, seller_fault, insured, always (refunded); spent, never (kept)',
          }),
        ),
      }),
    ),
    refundTo: Type.String(),
    display: Type.Union([
      Type.Object({
        base: Type.String(),
        quote: Type.String(),
        rate: Type.String(),
        rateDate: Type.String(),
        amount: Type.Integer(),
        converted: Type.Integer(),
      }),
      Type.Null(),
    ]),
  },
  { description: "Purchasing agents: each line's stage and clocks, the refund itemised, its conversion." },
);

const BreakdownRowView = Type.Object({
  code: Type.String({
    description:
      'items, discounts, tax, shipping, charge:<kind>, restocking, fee:<code>, new_items, bonus, due, adjusted, replaced',
  }),
  label: Type.String({ description: "English; the shop's own label for its fees." }),
  amount: Type.Integer(),
});

export const RefundQuoteView = Type.Object({
  currency: Type.String(),
  lines: Type.Array(QuoteLineView),
  subtotal: Type.Integer(),
  restockingFees: Type.Integer(),
  returnShippingFee: Type.Integer(),
  fees: Type.Array(Type.Object({ code: Type.String(), label: Type.String(), amount: Type.Integer() })),
  total: Type.Integer({ description: 'The value of what comes back, after fees.' }),
  resolution: Type.Optional(Type.String()),
  bonus: Type.Optional(
    Type.Integer({ description: 'Bonus credit for choosing store credit (0 otherwise).' }),
  ),
  payout: Type.Optional(
    Type.Object({
      method: Type.Enum(['original_payment', 'store_credit', 'none']),
      amount: Type.Integer({ description: 'What is paid out, to the method.' }),
    }),
  ),
  exchange: Type.Optional(
    Type.Union([
      Type.Object({ items: Type.Array(ExchangeItem), itemsTotal: Type.Integer(), amountDue: Type.Integer() }),
      Type.Null(),
    ]),
  ),
  sourcing: Type.Optional(SourcingQuoteView),
  breakdown: Type.Optional(
    Type.Object(
      {
        rows: Type.Array(BreakdownRowView),
        total: Type.Integer({
          description: 'What the customer receives, store-credit bonus included: the sum of the rows.',
        }),
        due: Type.Integer({
          description: "What the customer pays for an exchange's new items (also a row).",
        }),
      },
      { description: 'What the customer gets back, row by row, as every view shows it.' },
    ),
  ),
});

export const LineEligibilityView = Type.Object({
  orderLineId: Type.String(),
  eligible: Type.Boolean(),
  code: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  windowEndsAt: Type.Optional(Type.String()),
  returnableQuantity: Type.Integer(),
});

export const QuoteView = Type.Object({
  eligible: Type.Boolean(),
  lines: Type.Array(LineEligibilityView),
  decision: Type.Union([DecisionView, Type.Null()]),
  refundQuote: Type.Union([RefundQuoteView, Type.Null()]),
  policyVersion: Type.Integer(),
});

export const ReturnLineView = Type.Object({
  id: Type.String(),
  orderLineId: Type.String(),
  sku: Type.String(),
  title: Type.String(),
  quantity: Type.Integer(),
  reasonCode: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
  refundAmount: Type.Integer(),
  acceptedQuantity: Type.Union([Type.Integer(), Type.Null()]),
  condition: Type.Union([Type.String(), Type.Null()]),
});

export const ShipmentView = Type.Object({
  carrier: Type.Union([Type.String(), Type.Null()]),
  trackingNumber: Type.Union([Type.String(), Type.Null()]),
  shippedAt: Type.String(),
});

export const ReturnView = Type.Object({
  id: Type.String(),
  rmaNumber: Type.String(),
  orderId: Type.String(),
  customerId: Type.String(),
  status: Type.Enum(RETURN_STATUSES),
  resolution: Type.String(),
  returnless: Type.Boolean(),
  decision: DecisionView,
  refundQuote: RefundQuoteView,
  refundTotal: Type.Integer({ description: 'What will be (or was) refunded, after inspection adjustments.' }),
  currency: Type.String(),
  customerNote: Type.Union([Type.String(), Type.Null()]),
  lines: Type.Array(ReturnLineView),
  shipment: Type.Union([ShipmentView, Type.Null()]),
  refund: Type.Union([
    Type.Object({
      id: Type.String(),
      status: Type.Enum(['pending', 'succeeded', 'failed']),
      amount: Type.Integer(),
      currency: Type.String(),
      method: Type.String(),
      provider: Type.String(),
      providerRef: Type.Union([Type.String(), Type.Null()]),
      attempt: Type.Integer(),
      bonusAmount: Type.Integer(),
      failureCode: Type.Union([Type.String(), Type.Null()]),
      failureMessage: Type.Union([Type.String(), Type.Null()]),
      createdAt: Type.String(),
      settledAt: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  fulfillment: Type.Union([
    Type.Object({
      status: Type.Enum(['pending', 'shipped']),
      items: Type.Array(Type.Object({ sku: Type.String(), title: Type.String(), quantity: Type.Integer() })),
      carrier: Type.Union([Type.String(), Type.Null()]),
      trackingNumber: Type.Union([Type.String(), Type.Null()]),
      shippedAt: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  evidence: Type.Array(
    Type.Object({
      id: Type.String(),
      orderLineId: Type.Union([Type.String(), Type.Null()]),
      contentType: Type.String(),
      size: Type.Integer(),
      url: Type.String(),
    }),
  ),
  adjustment: Type.Union([
    Type.Object({ amount: Type.Integer(), reason: Type.String(), by: Type.String(), at: Type.String() }),
    Type.Null(),
  ]),
  allowedActions: Type.Array(Type.String()),
  policyVersion: Type.Integer(),
  trackingToken: Type.String(),
  trackingUrl: Type.String(),
  version: Type.Integer({
    description: 'Increases with every change; send it back as expectedVersion to refuse stale actions.',
  }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type ReturnView = Static<typeof ReturnView>;

export const ReturnSummaryView = Type.Object({
  id: Type.String(),
  rmaNumber: Type.String(),
  orderId: Type.String(),
  status: Type.String(),
  resolution: Type.String(),
  currency: Type.String(),
  refundTotal: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const ReturnEventView = Type.Object({
  id: Type.String(),
  action: Type.String(),
  fromStatus: Type.Union([Type.String(), Type.Null()]),
  toStatus: Type.String(),
  actor: Type.Object({ type: Type.String(), id: Type.Union([Type.String(), Type.Null()]) }),
  note: Type.Union([Type.String(), Type.Null()]),
  visibility: Type.String(),
  data: Type.Union([Type.Unknown(), Type.Null()]),
  createdAt: Type.String(),
});

export const ActionParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100 }),
  action: Type.Enum(RETURN_ACTIONS),
});

export const ActionBody = Type.Object(
  {
    note: Type.Optional(Type.String({ maxLength: 4000, description: 'Shown on the timeline.' })),
    internal: Type.Optional(Type.Boolean({ description: 'Keep the note off the customer timeline.' })),
    expectedVersion: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Refuse the action if the return changed since.' }),
    ),
    refundAmount: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: Number.MAX_SAFE_INTEGER,
        description:
          'inspect: a partial refund decided by the agent (at most what inspection allows); needs `reason`.',
      }),
    ),
    reason: Type.Optional(
      Type.String({ minLength: 3, maxLength: 1000, description: 'inspect: why the refund is partial.' }),
    ),
    currency: Type.Optional(
      Type.String({
        pattern: '^[A-Z]{3}$',
        description: 'refund: the currency you expect to refund in; 422 if the order was paid in another.',
      }),
    ),
    carrier: Type.Optional(Type.String({ maxLength: 100, description: 'ship: the carrier.' })),
    trackingNumber: Type.Optional(Type.String({ maxLength: 100, description: 'ship: the parcel number.' })),
    lines: Type.Optional(
      Type.Array(
        Type.Object(
          {
            returnLineId: Type.String({ maxLength: 100 }),
            acceptedQuantity: Type.Integer({ minimum: 0 }),
            condition: Type.Optional(
              Type.Enum(['new', 'like_new', 'used', 'damaged', 'missing_parts', 'wrong_item']),
            ),
          },
          { additionalProperties: false },
        ),
        {
          maxItems: 200,
          description: 'inspect: per line, the units accepted and their condition (default: all, as new).',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ActionBody = Static<typeof ActionBody>;

export const TrackingView = Type.Object({
  rmaNumber: Type.String(),
  shop: Nullable(
    Type.Object(
      { name: Type.String(), handle: Type.String() },
      { description: 'The shop the return belongs to: the page names it, and links to its returns page.' },
    ),
  ),
  status: Type.String(),
  returnless: Type.Boolean(),
  timeline: Type.Array(
    Type.Object({
      status: Type.String(),
      action: Type.String(),
      note: Type.Union([Type.String(), Type.Null()]),
      at: Type.String(),
    }),
  ),
  upcoming: Type.Array(Type.String()),
  items: Type.Array(Type.Object({ title: Type.String(), quantity: Type.Integer() })),
  refund: Type.Object({
    currency: Type.String(),
    total: Type.Integer({
      description: 'What the customer receives (bonus included): the sum of `breakdown`.',
    }),
    method: Type.String(),
    bonus: Type.Integer(),
    status: Type.Union([Type.String(), Type.Null()]),
    breakdown: Type.Array(BreakdownRowView),
  }),
  explanation: Type.Array(Type.String()),
  shipBy: Type.Union(
    [
      Type.Object({
        date: Type.String({
          description: 'Last day to send the parcel (UTC calendar date, counts in full).',
        }),
        passed: Type.Boolean(),
      }),
      Type.Null(),
    ],
    { description: 'While the parcel is expected: the ship-by date (policy shipWithinDays after approval).' },
  ),
  sourcing: Type.Union(
    [
      Type.Object({
        refundTo: Type.String(),
        display: SourcingQuoteView.properties.display,
        itemised: SourcingQuoteView.properties.itemised,
        stages: Type.Array(
          Type.Object({
            title: Type.String(),
            stage: Type.String(),
            route: Type.Union([Type.String(), Type.Null()]),
            sellerDeadline: Type.Union([Type.String(), Type.Null()]),
            customerDeadline: Type.Union([Type.String(), Type.Null()]),
          }),
        ),
      }),
      Type.Null(),
    ],
    {
      description:
        "Purchasing agents: where each item is, the seller's and the customer's deadlines, the refund itemised fee by fee, its conversion.",
    },
  ),
  returnAddress: Type.Union(
    [Type.Object({ name: Type.String(), lines: Type.Array(Type.String()) }), Type.Null()],
    { description: "The shop's return address from its policy (null when returnless or not configured)." },
  ),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
