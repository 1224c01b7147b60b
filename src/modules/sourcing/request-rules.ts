import { FEE_KINDS } from '../orders/fees.ts';
import type { Assessment, Decision, EvalCustomer } from '../policy/evaluate-policy.ts';
import { type ExplainItem, explainText } from '../policy/explain.ts';
import type { Policy } from '../policy/policy-schema.ts';
import type { FeeReason, PurchasingAgentPolicy } from '../policy/purchasing-agent-policy.ts';
import type { QuoteLine, RefundQuote } from '../refunds/refund-calculator.ts';
import type { ItemisedRow, StageSummary } from '../refunds/resolution-quote.ts';
import { assessStage, daysLeft, type StageVerdict } from './stage-policy.ts';
import { stageOf } from './stages.ts';

/** The parts of an order the stage rules read. */
export type StageOrder = {
  currency: string;
  lines: {
    id: string;
    title: string;
    stage: string | null;
    domesticDeliveredAt: string | null;
    qcAt: string | null;
  }[];
  fees: { kind: string; amount: number; orderLineId: string | null }[];
};

/** One verdict per requested line, from the line's stage and the policy's purchasing-agent rules. */
export function stageVerdicts(
  policy: Policy & { purchasingAgent: PurchasingAgentPolicy },
  order: StageOrder,
  lines: readonly { orderLineId: string; reasonCode: string }[],
  now: Date,
): Map<string, StageVerdict> {
  const fault = new Map(policy.reasons.map((r) => [r.code, r.merchantFault]));
  const out = new Map<string, StageVerdict>();
  for (const l of lines) {
    const ol = order.lines.find((x) => x.id === l.orderLineId);
    if (!ol) continue;
    const insured = order.fees.some(
      (f) => f.kind === 'insurance' && f.amount > 0 && (f.orderLineId === null || f.orderLineId === ol.id),
    );
    out.set(
      ol.id,
      assessStage(
        policy.purchasingAgent,
        {
          orderLineId: ol.id,
          title: ol.title,
          stage: stageOf(ol.stage),
          domesticDeliveredAt: ol.domesticDeliveredAt,
          qcAt: ol.qcAt,
          reasonCode: l.reasonCode,
          reasonIsFault: fault.get(l.reasonCode) ?? false,
        },
        { now, insured },
      ),
    );
  }
  return out;
}

export function sellerWindowDaysLeft(v: StageVerdict | undefined, now: Date): number | null {
  return v ? daysLeft(v.sellerDeadline, now) : null;
}

/**
 * The assessment with the stage rules laid over it: lines the stage refuses become ineligible
 * with the stage's reason; the general return window gives way to the seller's and QC clocks
 * (except once the goods have gone abroad); nothing is posted back by the customer, so the
 * merchant's return shipping fee is replaced by the domestic return to the seller, charged
 * unless the seller is at fault; past the monthly quota a fee applies.
 */
export function applyStages(
  pa: PurchasingAgentPolicy,
  assessment: Assessment,
  verdicts: Map<string, StageVerdict>,
  ctx: { currency: string; customer: EvalCustomer },
): Assessment {
  const lines = assessment.lines.map((a) => {
    const v = verdicts.get(a.orderLineId);
    if (!v) return a;
    if (!v.eligible) {
      return {
        ...a,
        eligible: false,
        code: v.code!,
        reasonItem: v.reasonItem!,
        reason: explainText(v.reasonItem!),
      };
    }
    if (a.code === 'window_closed' && v.route !== 'transit_claim') {
      const { code: _c, reason: _r, reasonItem: _i, ...rest } = a;
      return { ...rest, eligible: true, merchantFault: v.sellerFault };
    }
    return { ...a, merchantFault: v.sellerFault };
  });
  const eligible = lines.every((l) => l.eligible);
  const explain: ExplainItem[] = assessment.explain.filter((e) => !SHIPPING_KEYS.has(e.key));
  const extraFees = [...assessment.extraFees];
  const all = [...verdicts.values()];
  const toSeller = all.filter((v) => v.route === 'return_to_seller' && v.eligible);
  const fee = pa.domesticReturnShipping[ctx.currency];
  if (toSeller.some((v) => !v.sellerFault) && fee) {
    extraFees.unshift({ code: 'domestic_return_shipping', label: 'Return to the seller', amount: fee });
    explain.push({
      key: 'pa_return_shipping_customer',
      params: { fee: { money: fee, currency: ctx.currency } },
    });
  } else if (toSeller.length) {
    explain.push({ key: 'pa_return_shipping_seller' });
  }
  const quota = pa.freeReturnsPerMonth;
  const quotaFee = pa.overQuotaFee?.[ctx.currency];
  // Seller faults and cancellations before purchase are free, and do not use up the quota either.
  const countsTowardQuota = all.some((v) => !v.sellerFault && v.route !== 'cancel_before_purchase');
  if (quota !== undefined && quotaFee && (ctx.customer.returnsThisMonth ?? 0) >= quota && countsTowardQuota) {
    extraFees.push({ code: 'over_quota', label: 'Over the monthly free returns', amount: quotaFee });
    explain.push({
      key: 'pa_over_quota',
      params: { quota, fee: { money: quotaFee, currency: ctx.currency } },
    });
  }
  return {
    ...assessment,
    lines,
    eligible,
    returnShippingFee: 0,
    extraFees,
    explain,
    explanation: explain.map((e) => explainText(e)),
    returnShippingSentence: null,
    countsTowardQuota,
  };
}

const SHIPPING_KEYS = new Set([
  'shipping_deducted',
  'shipping_free',
  'shipping_free_fault',
  'no_shipping_keep',
  'keep_default',
  'keep_threshold',
]);

/**
 * The policy's decision adjusted by the stages: nothing is posted back by the customer
 * (returnless); a stage that needs the seller or a person sends the request to review; a stage
 * that settles it (nothing bought yet, failed QC) approves it; a customer with many no-reason
 * returns is reviewed.
 */
export function decideWithStages(
  pa: PurchasingAgentPolicy,
  decision: Decision,
  verdicts: Map<string, StageVerdict>,
  ctx: { customer: EvalCustomer; refundTo: 'wallet' | 'original_payment' },
): Decision {
  if (decision.outcome === 'rejected') return decision;
  const all = [...verdicts.values()];
  const stageItems = all.flatMap((v) => v.explain);
  const kept = decision.explain.filter((e) => !SHIPPING_KEYS.has(e.key));
  const risky = (ctx.customer.noReasonReturns90d ?? 0) >= pa.noReasonReviewThreshold;
  let outcome = decision.outcome;
  const tail: ExplainItem[] = [];
  if (risky) {
    outcome = 'needs_review';
    tail.push({ key: 'pa_frequent_returns' });
  } else if (all.some((v) => v.outcome === 'review')) {
    outcome = 'needs_review';
  } else if (all.length && all.every((v) => v.outcome === 'approve')) {
    outcome = 'approved';
  }
  const body = kept.filter((e) => {
    // "Approved" only where it still holds; a review explains itself through the stage.
    if (outcome !== 'approved' && (e.key === 'approved' || e.key === 'text_approved')) return false;
    return true;
  });
  if (outcome === 'approved' && !body.some((e) => e.key === 'approved' || e.key === 'text_approved')) {
    body.push({ key: 'approved' });
  }
  if (ctx.refundTo === 'wallet') tail.push({ key: 'pa_refund_to_wallet' });
  const explain = [...stageItems, ...body, ...tail];
  return {
    ...decision,
    outcome,
    returnless: true,
    explain,
    explanation: explain.map((e) => explainText(e)),
  };
}

/**
 * The refund line by line: goods (net of discounts, with tax and restocking), each fee kind
 * paid and refunded, and the deductions as negative rows. `refunded` sums exactly to the
 * quote's total: the calculator caps deductions at the subtotal, and so does this.
 */
export function itemise(quote: RefundQuote, verdicts: Map<string, StageVerdict>): ItemisedRow[] {
  const goods = (l: QuoteLine) => l.itemAmount - l.discount + l.tax + l.shipping - l.restockingFee;
  const rows: ItemisedRow[] = [
    {
      code: 'goods',
      paid: quote.lines.reduce((s, l) => s + l.itemAmount - l.discount + l.tax + l.shipping, 0),
      refunded: quote.lines.reduce((s, l) => s + goods(l), 0),
    },
  ];
  for (const kind of FEE_KINDS) {
    let paid = 0;
    let refunded = 0;
    let reason: FeeReason | undefined;
    for (const l of quote.lines) {
      const c = l.charges?.find((x) => x.code === kind);
      if (!c) continue;
      paid += c.paid;
      refunded += c.refunded;
      reason ??= verdicts.get(l.orderLineId)?.feeReasons[kind];
    }
    if (paid > 0) rows.push({ code: kind, paid, refunded, ...(reason ? { reason } : {}) });
  }
  for (const f of quote.fees) {
    if (f.amount > 0) rows.push({ code: f.code, paid: 0, refunded: -f.amount });
  }
  return rows;
}

export function stageSummaries(verdicts: Map<string, StageVerdict>): StageSummary[] {
  return [...verdicts.values()].map((v) => ({
    orderLineId: v.orderLineId,
    stage: v.stage,
    route: v.route,
    sellerDeadline: v.sellerDeadline,
    customerDeadline: v.customerDeadline,
    sellerFault: v.sellerFault,
  }));
}
