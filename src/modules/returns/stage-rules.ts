import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type { FxConversion } from '../../platform/fx.ts';
import type { Order } from '../orders/service.ts';
import type { Assessment, Decision, EvalCustomer, EvalLine } from '../policy/evaluate-policy.ts';
import type { Policy } from '../policy/policy-schema.ts';
import type { RefundQuote } from '../refunds/refund-calculator.ts';
import type { QuoteStages } from '../refunds/resolution-quote.ts';

/**
 * The return pipeline's extension point for goods that move through stages before they reach
 * the customer (purchasing agents: bought from a seller, checked in a warehouse, shipped abroad).
 * The pipeline is eligibility → policy → pricing → resolution → explanation; the stage rules
 * lay their verdicts over each step. The sourcing module supplies them and the composition root
 * hands them in; a policy without stage rules (every merchant's) runs the same pipeline without.
 */
export interface StageRules {
  /** The rules for one request, or null when the tenant's policy has none. */
  forRequest(
    policy: Policy,
    order: Order,
    lines: readonly { orderLineId: string; reasonCode: string }[],
    now: Date,
  ): RequestStages | null;
  /** An amount in the customer's display currency at the latest rate, or null without one. */
  displayConversion(
    ex: Kysely<Database>,
    tenantId: string,
    amount: number,
    from: string,
    to: string,
    now: Date,
  ): Promise<FxConversion | null>;
}

/** The stage verdicts of one request's lines, applied at each step of the pipeline. */
export interface RequestStages {
  /** Where the money goes unless the customer chose: the policy's default. */
  readonly refundTo: 'wallet' | 'original_payment';
  /** What the policy's line rules see of a line's stage. */
  lineFacts(orderLineId: string, stage: string | null): Pick<EvalLine, 'stage' | 'sellerWindowDaysLeft'>;
  /** The policy's assessment with the stages' refusals, clocks and fees laid over it. */
  assess(assessment: Assessment, ctx: { currency: string; customer: EvalCustomer }): Assessment;
  /** The codes of the order's charges refunded with a line. */
  refundCharges(orderLineId: string): readonly string[];
  /** The policy's decision adjusted by the stages. */
  decide(
    decision: Decision,
    ctx: { customer: EvalCustomer; refundTo: 'wallet' | 'original_payment' },
  ): Decision;
  /** What the quote carries about the stages: each line's clocks and the refund itemised. */
  quote(priced: RefundQuote, refundTo: 'wallet' | 'original_payment'): QuoteStages;
}
