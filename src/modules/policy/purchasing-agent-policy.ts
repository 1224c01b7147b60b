import { type Static, Type } from 'typebox';
import { FEE_KINDS } from '../orders/fees.ts';

/**
 * When a fee comes back:
 * - `always` / `never`;
 * - `if_unspent`: while what it pays for has not happened (domestic shipping until the seller
 *   ships, the service fee until the item is bought, international shipping and insurance until
 *   the parcel leaves; a payment fee is spent at once);
 * - `seller_fault`: if unspent, or when the seller is at fault (wrong, faulty, failed QC);
 * - `insured`: if unspent, or for an insured parcel damaged or lost in transit.
 * Cancelling before the purchase refunds everything whatever the rule: nothing was spent.
 */
export const FEE_RULES = ['always', 'never', 'if_unspent', 'seller_fault', 'insured'] as const;
export type FeeRule = (typeof FEE_RULES)[number];

const Money = Type.Record(
  Type.String({ pattern: '^[A-Z]{3}$' }),
  Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
  { additionalProperties: false },
);

export const PurchasingAgentPolicySchema = Type.Object(
  {
    sellerWindowDays: Type.Integer({
      minimum: 0,
      maximum: 365,
      description:
        "Days the upstream seller accepts returns, counted from the domestic delivery scan (7 under China's consumer law).",
    }),
    customerWindowDaysAfterQc: Type.Integer({
      minimum: 0,
      maximum: 365,
      description:
        'Days the customer has, after the QC photos, to ask for a return to the seller (it must also fit the seller window).',
    }),
    storageDays: Type.Integer({
      minimum: 1,
      maximum: 3650,
      description: 'Free storage in the warehouse after QC; the line shows when it expires.',
    }),
    claimWarningHours: Type.Integer({
      minimum: 1,
      maximum: 720,
      description: 'Staff are warned this long before a seller claim expires ("seller deadline at risk").',
    }),
    domesticReturnShipping: Type.Unsafe<Record<string, number>>({
      ...Money,
      description:
        'What sending an item back to the seller costs, per currency (minor units); the customer pays it unless the seller is at fault.',
    }),
    damageReasons: Type.Array(Type.String({ maxLength: 64 }), {
      maxItems: 20,
      description: 'Reason codes that count as damage or loss in international transit.',
    }),
    feeRefunds: Type.Record(Type.Enum(FEE_KINDS), Type.Enum(FEE_RULES), {
      description: 'When each fee is refunded (a fee not listed follows `seller_fault`).',
    }),
    refundTo: Type.Enum(['wallet', 'original_payment'], {
      description: 'Where refunds go by default; the customer may choose the other.',
    }),
    freeReturnsPerMonth: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1000,
        description:
          'Returns a customer may ask for in a calendar month (UTC) without the over-quota fee; seller faults do not count.',
      }),
    ),
    overQuotaFee: Type.Optional(
      Type.Unsafe<Record<string, number>>({ ...Money, description: 'Charged past the monthly quota.' }),
    ),
    noReasonCodes: Type.Array(Type.String({ maxLength: 64 }), {
      maxItems: 20,
      description: 'Reason codes that mean "no reason" (changed my mind), counted for the risk signal.',
    }),
    noReasonReviewThreshold: Type.Integer({
      minimum: 1,
      maximum: 1000,
      description: 'A customer with this many no-reason returns in 90 days has every request reviewed.',
    }),
  },
  { additionalProperties: false, description: 'Purchasing-agent rules: stages, seller windows, fees.' },
);
export type PurchasingAgentPolicy = Static<typeof PurchasingAgentPolicySchema>;

export const DEFAULT_PURCHASING_AGENT_POLICY: PurchasingAgentPolicy = {
  sellerWindowDays: 7,
  customerWindowDaysAfterQc: 5,
  storageDays: 90,
  claimWarningHours: 48,
  domesticReturnShipping: { CNY: 1200, USD: 200, EUR: 200 },
  damageReasons: ['damaged_in_transit', 'lost_in_transit'],
  feeRefunds: {
    domestic_shipping: 'seller_fault',
    service_fee: 'seller_fault',
    international_shipping: 'insured',
    insurance: 'if_unspent',
    payment_fee: 'if_unspent',
  },
  refundTo: 'wallet',
  freeReturnsPerMonth: 3,
  overQuotaFee: { CNY: 1000, USD: 150, EUR: 150 },
  noReasonCodes: ['changed_mind', 'no_reason'],
  noReasonReviewThreshold: 4,
};

/** How a request is handled, by the stage its line is in. */
export type StageRoute =
  | 'cancel_before_purchase'
  | 'seller_cancellation'
  | 'return_to_seller'
  | 'qc_failed_return'
  | 'transit_claim';

export type FeeReason =
  | 'nothing_spent'
  | 'unspent'
  | 'seller_fault'
  | 'insured'
  | 'always'
  | 'spent'
  | 'never';
