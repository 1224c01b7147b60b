/**
 * The return-evaluation pipeline, one file per stage:
 * - assess-return.ts: which lines may come back (window, category, quantity, reason), the custom
 *   rules (rule-matching.ts) and the return shipping fee;
 * - pricing is the refund calculator's (refunds/refund-calculator.ts), run by the caller;
 * - decide-return.ts: the outcome from the assessment and the priced refund.
 * returns/prepare-return.ts runs them in that order, with the purchasing-agent stage rules
 * (returns/stage-rules.ts). Importers keep importing from here.
 */
export { assessReturn } from './assess-return.ts';
export { decideReturn } from './decide-return.ts';
export type {
  Assessment,
  Decision,
  EvalCustomer,
  EvalLine,
  EvalOrder,
  LineAssessment,
  RuleTrace,
} from './evaluation-types.ts';
