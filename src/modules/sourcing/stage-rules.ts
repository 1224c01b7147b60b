import { conversion } from '../../platform/fx.ts';
import type { RequestStages, StageRules } from '../returns/stage-rules.ts';
import { latestRate } from './fx.ts';
import {
  applyStages,
  decideWithStages,
  itemise,
  sellerWindowDaysLeft,
  stageSummaries,
  stageVerdicts,
} from './request-rules.ts';

/**
 * The purchasing-agent rules as the return pipeline's stage rules: a line's stage decides where
 * the request goes (cancel before purchase, back to the seller, a QC failure, a transit claim),
 * which fees come back, and which clocks run. Pure, apart from the display rate's lookup.
 */
export const purchasingAgentStages: StageRules = {
  forRequest(policy, order, lines, now): RequestStages | null {
    const pa = policy.purchasingAgent;
    if (!pa) return null;
    const verdicts = stageVerdicts({ ...policy, purchasingAgent: pa }, order, lines, now);
    return {
      refundTo: pa.refundTo,
      lineFacts: (orderLineId, stage) => ({
        stage: stage ?? 'paid',
        sellerWindowDaysLeft: sellerWindowDaysLeft(verdicts.get(orderLineId), now),
      }),
      assess: (assessment, ctx) => applyStages(pa, assessment, verdicts, ctx),
      refundCharges: (orderLineId) => verdicts.get(orderLineId)?.refundFees ?? [],
      decide: (decision, ctx) => decideWithStages(pa, decision, verdicts, ctx),
      quote: (priced, refundTo) => ({
        stages: stageSummaries(verdicts),
        itemised: itemise(priced, verdicts),
        refundTo,
        display: null,
      }),
    };
  },
  async displayConversion(ex, tenantId, amount, from, to, now) {
    const rate = await latestRate(ex, tenantId, from, to, now.toISOString().slice(0, 10));
    return rate ? conversion(amount, rate) : null;
  },
};
