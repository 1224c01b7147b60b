import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Order, OrdersService } from '../orders/service.ts';
import {
  type Assessment,
  assessReturn,
  type Decision,
  decideReturn,
  type EvalCustomer,
  type EvalLine,
} from '../policy/evaluate-policy.ts';
import { type ExplainItem, explainLocale, explainText } from '../policy/explain.ts';
import { type Policy, RESOLUTIONS } from '../policy/policy-schema.ts';
import type { PolicyService } from '../policy/service.ts';
import { calculateRefundQuote } from '../refunds/refund-calculator.ts';
import { type ResolvedQuote, resolveQuote } from '../refunds/resolution-quote.ts';
import { countCustomerReturns, recentReturnCounts } from './repo.ts';
import type { ReturnRequest } from './schemas.ts';
import type { StageRules } from './stage-rules.ts';

type Executor = Kysely<Database>;

export type PreparedReturn = {
  order: Order;
  policy: Policy;
  policyVersion: number;
  evalLines: EvalLine[];
  assessment: Assessment;
  quote: ResolvedQuote | null;
  decision: Decision | null;
};

/**
 * Everything a return request would lead to, computed and not written: the same path serves
 * the quote endpoint and the creating transaction, so a quote never disagrees with the return.
 */
export async function prepareReturn(
  ex: Executor,
  deps: { orders: OrdersService; policies: PolicyService; stageRules: StageRules | null },
  tenantId: string,
  input: ReturnRequest,
  now: Date,
): Promise<PreparedReturn> {
  const order = await deps.orders.getOrder(tenantId, input.orderId, ex);
  if (!order) throw notFound('Order');

  const seen = new Set<string>();
  const unknown: { orderLineId: string; code: string; reason: string }[] = [];
  for (const l of input.lines) {
    if (seen.has(l.orderLineId)) {
      throw new AppError(
        400,
        'duplicate_line',
        `Order line ${l.orderLineId} is listed twice; send it once with the total quantity.`,
      );
    }
    seen.add(l.orderLineId);
    if (!order.lines.some((ol) => ol.id === l.orderLineId)) {
      unknown.push({
        orderLineId: l.orderLineId,
        code: 'unknown_order_line',
        reason: 'This item is not part of the order.',
      });
    }
  }
  if (unknown.length) {
    throw new AppError(422, 'return_not_eligible', 'Some items cannot be returned.', { lines: unknown });
  }

  const { policy, version: policyVersion } = await deps.policies.currentPolicy(tenantId, ex);
  const resolution = input.resolution ?? 'refund';
  const offered = policy.resolutions ?? RESOLUTIONS;
  if (!offered.includes(resolution)) {
    throw new AppError(
      422,
      'resolution_not_offered',
      `This shop does not offer "${resolution.replace('_', ' ')}" for returns.`,
      {
        offered,
      },
    );
  }
  if (resolution === 'exchange' && !input.exchange?.items.length) {
    throw new AppError(
      422,
      'exchange_items_required',
      'Say what you would like instead: an exchange needs at least one item.',
    );
  }
  if (resolution !== 'exchange' && input.exchange) {
    throw new AppError(
      400,
      'exchange_not_expected',
      'Exchange items go only with the "exchange" resolution.',
    );
  }
  const history = await deps.orders.customerHistory(ex, tenantId, order.customer.id);
  const returnCount = await countCustomerReturns(ex, tenantId, order.customer.id);
  const customer: EvalCustomer = {
    orderCount: history.orderCount,
    returnCount,
    returnRate: history.unitsBought === 0 ? 0 : history.unitsReturned / history.unitsBought,
    ...(policy.purchasingAgent
      ? await recentReturnCounts(ex, tenantId, order.customer.id, policy.purchasingAgent.noReasonCodes, now)
      : {}),
  };
  const { evalLines, assessment, quote, decision } = evaluateRequest(
    policy,
    order,
    input,
    customer,
    now,
    deps.stageRules,
  );
  const display = order.customer.displayCurrency;
  if (quote?.sourcing && deps.stageRules && display && display !== quote.currency) {
    quote.sourcing.display = await deps.stageRules.displayConversion(
      ex,
      tenantId,
      quote.payout.amount,
      quote.currency,
      display,
      now,
    );
  }
  return { order, policy, policyVersion, evalLines, assessment, quote, decision };
}

/** The 422 details for a request with ineligible lines: one entry per refused line. */
export function ineligibleDetails(p: PreparedReturn, lang?: string) {
  const locale = explainLocale(lang);
  return {
    lines: p.assessment.lines
      .filter((l) => !l.eligible)
      .map((l) => ({
        orderLineId: l.orderLineId,
        code: l.code ?? 'not_eligible',
        reason:
          (lang && l.reasonItem ? explainText(l.reasonItem, locale) : l.reason) ??
          'This item cannot be returned.',
      })),
  };
}

/**
 * The policy and the calculator applied to one request, with nothing loaded or written: the
 * creating transaction, the quote and the policy preview (replaying past returns under a new
 * policy) all price a request through here. One pipeline (eligibility, policy, pricing,
 * resolution, explanation) for every tenant; the stage rules, where the policy has them, lay
 * their verdicts over each step.
 */
export function evaluateRequest(
  policy: Policy,
  order: Order,
  input: Pick<ReturnRequest, 'lines' | 'resolution' | 'exchange' | 'refundTo'>,
  customer: EvalCustomer,
  now: Date,
  rules: StageRules | null,
): { evalLines: EvalLine[]; assessment: Assessment; quote: ResolvedQuote | null; decision: Decision | null } {
  const resolution = input.resolution ?? 'refund';
  const stages = rules?.forRequest(policy, order, input.lines, now) ?? null;
  const refundTo = input.refundTo ?? stages?.refundTo;
  const evalLines: EvalLine[] = input.lines.map((l) => {
    const ol = order.lines.find((x) => x.id === l.orderLineId)!;
    return {
      orderLineId: ol.id,
      sku: ol.sku,
      title: ol.title,
      category: ol.category,
      unitPrice: ol.unitPrice,
      boughtQuantity: ol.quantity,
      remainingQuantity: ol.quantity - ol.returnedQuantity,
      quantity: l.quantity,
      reasonCode: l.reasonCode,
      // Checked against the uploads when the return is filed (evidence.attach).
      hasEvidence: (l.evidenceIds?.length ?? 0) > 0,
      ...(stages ? stages.lineFacts(ol.id, ol.stage) : {}),
    };
  });
  const assessed = assessReturn(policy, {
    order: {
      currency: order.currency,
      total: order.totalAmount,
      placedAt: order.placedAt,
      deliveredAt: order.deliveredAt,
      lineCount: order.lines.length,
    },
    lines: evalLines,
    customer,
    resolution,
    now,
  });
  const assessment = stages ? stages.assess(assessed, { currency: order.currency, customer }) : assessed;
  if (!assessment.eligible) return { evalLines, assessment, quote: null, decision: null };

  const refundShipping = (merchantFault: boolean) =>
    policy.refundShipping === 'always' || (policy.refundShipping === 'merchant_fault' && merchantFault);
  const price = (withReturnShipping: boolean) =>
    calculateRefundQuote({
      order: {
        currency: order.currency,
        shippingAmount: order.shippingAmount,
        discountAmount: order.discountAmount,
        taxAmount: order.taxAmount,
        lines: order.lines.map((l) => ({
          id: l.id,
          quantity: l.quantity,
          unitPrice: l.unitPrice,
          discountAmount: l.discountAmount,
          taxAmount: l.taxAmount,
          returnedQuantity: l.returnedQuantity,
        })),
        charges: order.fees.map((f) => ({ code: f.kind, amount: f.amount, lineId: f.orderLineId })),
      },
      lines: assessment.lines.map((a) => ({
        orderLineId: a.orderLineId,
        quantity: evalLines.find((e) => e.orderLineId === a.orderLineId)!.quantity,
        feePercent: a.feePercent,
        refundShipping: refundShipping(a.merchantFault),
        // Without stage rules (merchants), fees paid on an order come back with the goods.
        refundCharges: stages ? stages.refundCharges(a.orderLineId) : order.fees.map((f) => f.kind),
      })),
      fees: [
        ...(withReturnShipping && assessment.returnShippingFee > 0
          ? [{ code: 'return_shipping', label: 'Return shipping', amount: assessment.returnShippingFee }]
          : []),
        ...assessment.extraFees,
      ],
    });
  let priced = price(true);
  let decision = decideReturn(policy, assessment, {
    currency: order.currency,
    refundTotal: priced.total,
    lines: evalLines,
  });
  if (stages) decision = stages.decide(decision, { customer, refundTo: refundTo ?? 'wallet' });
  if (resolution === 'keep_item' && !decision.returnless && decision.outcome !== 'rejected') {
    // Keeping the item was asked for but the policy would want it back: a person decides.
    decision = withSentences({ ...decision, outcome: 'needs_review', returnless: true }, [
      { key: 'keep_needs_approval' },
    ]);
  }
  // A returnless refund sends no parcel, so it is not charged return shipping.
  if (decision.returnless && assessment.returnShippingFee > 0) priced = price(false);
  const quote: ResolvedQuote = resolveQuote(priced, {
    resolution,
    bonusPercent: policy.storeCreditBonusPercent ?? 0,
    ...(input.exchange ? { exchangeItems: input.exchange.items } : {}),
    ...(refundTo ? { refundTo } : {}),
  });
  if (stages) quote.sourcing = stages.quote(priced, refundTo ?? 'wallet');
  const money = (amount: number) => ({ money: amount, currency: quote.currency });
  const extra: ExplainItem[] = [];
  if (quote.bonus > 0) {
    extra.push({
      key: 'store_credit_bonus',
      params: { total: money(quote.total + quote.bonus), bonus: money(quote.bonus) },
    });
  }
  if (quote.exchange && quote.exchange.amountDue > 0) {
    extra.push({ key: 'exchange_due', params: { due: money(quote.exchange.amountDue) } });
  }
  if (extra.length) decision = withSentences(decision, extra);
  return { evalLines, assessment, quote, decision };
}

/** Adds sentences to a decision, keeping its English text and its items in step. */
function withSentences(decision: Decision, items: ExplainItem[]): Decision {
  const explain = [
    // A returnless refund sends no parcel: whatever said return shipping is charged no longer holds.
    ...(decision.explain ?? []).map(
      (e): ExplainItem =>
        decision.returnless && e.key === 'shipping_deducted' ? { key: 'no_shipping_keep' } : e,
    ),
    ...items,
  ];
  return { ...decision, explain, explanation: explain.map((e) => explainText(e)) };
}
