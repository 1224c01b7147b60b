import { FEE_KINDS, type FeeKind } from '../orders/fees.ts';
import type { ExplainItem } from '../policy/explain.ts';
import type {
  FeeReason,
  FeeRule,
  PurchasingAgentPolicy,
  StageRoute,
} from '../policy/purchasing-agent-policy.ts';
import { beforePurchase, type LineStage, shippedAbroad } from './stages.ts';

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
