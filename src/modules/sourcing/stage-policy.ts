import { type Static, Type } from 'typebox';
import type { ExplainItem } from '../policy/explain.ts';
import { beforePurchase, type LineStage, shippedAbroad } from './stages.ts';

/** The itemised fees a purchasing agent charges on top of the goods. */
export const FEE_KINDS = [
  'domestic_shipping',
  'service_fee',
  'international_shipping',
  'insurance',
  'payment_fee',
] as const;
export type FeeKind = (typeof FEE_KINDS)[number];

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

export function routeFor(stage: LineStage): StageRoute | null {
  if (beforePurchase(stage)) return 'cancel_before_purchase';
  if (stage === 'purchased' || stage === 'seller_shipped') return 'seller_cancellation';
  if (stage === 'in_warehouse' || stage === 'qc_passed' || stage === 'stored') return 'return_to_seller';
  if (stage === 'qc_failed') return 'qc_failed_return';
  if (shippedAbroad(stage)) return 'transit_claim';
  return null;
}

export type StageLine = {
  orderLineId: string;
  title: string;
  stage: LineStage;
  domesticDeliveredAt: string | null;
  qcAt: string | null;
  reasonCode: string;
  /** The reason is the seller's fault (the policy's `merchantFault`). */
  reasonIsFault: boolean;
};

export type StageVerdict = {
  orderLineId: string;
  stage: LineStage;
  route: StageRoute | null;
  eligible: boolean;
  code?: string;
  reasonItem?: ExplainItem;
  /** The seller is at fault: a faulty reason, or a failed QC. */
  sellerFault: boolean;
  /** approve: decided by the stage; review: a person (or the seller) must act; policy: the tenant's rules decide. */
  outcome: 'approve' | 'review' | 'policy';
  /** Last moment the seller accepts the item back (domestic delivery + window). */
  sellerDeadline: string | null;
  /** Last moment the customer may ask (QC + window, and never past the seller's). */
  customerDeadline: string | null;
  /** Fee kinds refunded with this line. */
  refundFees: FeeKind[];
  /** Why each fee is refunded or kept, in the customer's words. */
  feeReasons: Partial<Record<FeeKind, FeeReason>>;
  explain: ExplainItem[];
};

export type FeeReason =
  | 'nothing_spent'
  | 'unspent'
  | 'seller_fault'
  | 'insured'
  | 'always'
  | 'spent'
  | 'never';

const DAY = 86_400_000;

/** The stage rules applied to one requested line. Pure. */
export function assessStage(
  pa: PurchasingAgentPolicy,
  line: StageLine,
  ctx: { now: Date; insured: boolean },
): StageVerdict {
  const route = routeFor(line.stage);
  const sellerDeadline = line.domesticDeliveredAt
    ? new Date(Date.parse(line.domesticDeliveredAt) + pa.sellerWindowDays * DAY).toISOString()
    : null;
  const qcDeadline = line.qcAt
    ? new Date(Date.parse(line.qcAt) + pa.customerWindowDaysAfterQc * DAY).toISOString()
    : null;
  // The earlier of the two (ISO-8601 UTC strings sort as times).
  const customerDeadline = qcDeadline && sellerDeadline ? [qcDeadline, sellerDeadline].sort()[0]! : null;
  const sellerFault = line.reasonIsFault || route === 'qc_failed_return';
  const base = {
    orderLineId: line.orderLineId,
    stage: line.stage,
    route,
    sellerFault,
    sellerDeadline,
    customerDeadline,
  };
  const refused = (code: string, item: ExplainItem): StageVerdict => ({
    ...base,
    eligible: false,
    code,
    reasonItem: item,
    outcome: 'review',
    refundFees: [],
    feeReasons: {},
    explain: [item],
  });
  const title = line.title;
  if (route === null) {
    return refused('line_closed', { key: 'pa_line_closed', params: { title, stage: line.stage } });
  }
  if (route === 'transit_claim' && !pa.damageReasons.includes(line.reasonCode)) {
    return refused('shipped_only_damage', { key: 'pa_shipped_only_damage', params: { title } });
  }
  const now = ctx.now.getTime();
  if (route === 'return_to_seller') {
    if (sellerDeadline && now > Date.parse(sellerDeadline)) {
      return refused('seller_window_closed', {
        key: 'pa_seller_window_closed',
        params: { title, days: pa.sellerWindowDays, endsAt: Date.parse(sellerDeadline) },
      });
    }
    if (customerDeadline && now > Date.parse(customerDeadline) && !sellerFault) {
      return refused('qc_window_closed', {
        key: 'pa_qc_window_closed',
        params: { title, days: pa.customerWindowDaysAfterQc, endsAt: Date.parse(customerDeadline) },
      });
    }
  }

  const feeReasons: Partial<Record<FeeKind, FeeReason>> = {};
  for (const kind of FEE_KINDS) {
    feeReasons[kind] = feeReason(pa.feeRefunds[kind] ?? 'seller_fault', kind, {
      stage: line.stage,
      route,
      sellerFault,
      insured: ctx.insured,
    });
  }
  const refundFees = FEE_KINDS.filter((k) => REFUNDED.has(feeReasons[k]!));

  const explain: ExplainItem[] = [];
  let outcome: StageVerdict['outcome'] = 'policy';
  switch (route) {
    case 'cancel_before_purchase':
      outcome = 'approve';
      explain.push({ key: 'pa_cancel_before_purchase', params: { title } });
      break;
    case 'seller_cancellation':
      outcome = 'review';
      explain.push({ key: 'pa_seller_cancellation', params: { title, stage: line.stage } });
      break;
    case 'return_to_seller':
      explain.push(
        sellerDeadline
          ? { key: 'pa_return_to_seller', params: { title, endsAt: Date.parse(sellerDeadline) } }
          : { key: 'pa_return_to_seller_pending', params: { title } },
      );
      break;
    case 'qc_failed_return':
      outcome = 'approve';
      explain.push({ key: 'pa_qc_failed', params: { title } });
      break;
    case 'transit_claim':
      outcome = 'review';
      explain.push({ key: ctx.insured ? 'pa_transit_insured' : 'pa_transit_uninsured', params: { title } });
      break;
  }
  return { ...base, eligible: true, outcome, refundFees, feeReasons, explain };
}

const REFUNDED = new Set<FeeReason>(['nothing_spent', 'unspent', 'seller_fault', 'insured', 'always']);

/** Whether what a fee pays for has happened by this stage. */
export function feeSpent(kind: FeeKind, stage: LineStage): boolean {
  switch (kind) {
    case 'payment_fee':
      return true;
    case 'service_fee':
      return !beforePurchase(stage);
    case 'domestic_shipping':
      return !beforePurchase(stage) && stage !== 'purchased';
    case 'international_shipping':
    case 'insurance':
      return shippedAbroad(stage);
  }
}

function feeReason(
  rule: FeeRule,
  kind: FeeKind,
  c: { stage: LineStage; route: StageRoute; sellerFault: boolean; insured: boolean },
): FeeReason {
  if (c.route === 'cancel_before_purchase') return 'nothing_spent';
  const unspent = !feeSpent(kind, c.stage);
  switch (rule) {
    case 'always':
      return 'always';
    case 'never':
      return 'never';
    case 'if_unspent':
      return unspent ? 'unspent' : 'spent';
    case 'seller_fault':
      return unspent ? 'unspent' : c.sellerFault ? 'seller_fault' : 'spent';
    case 'insured':
      return unspent ? 'unspent' : c.route === 'transit_claim' && c.insured ? 'insured' : 'spent';
  }
}

/** How many days are left in a window (negative once it has closed), for rules and countdowns. */
export function daysLeft(deadline: string | null, now: Date): number | null {
  if (!deadline) return null;
  return Math.floor((Date.parse(deadline) - now.getTime()) / DAY);
}
