import type { ExplainItem } from './explain.ts';
import type { DecisionOutcome } from './policy-vocabulary.ts';

// What the evaluation pipeline (evaluate-policy.ts) reads and returns, apart from its stages so
// each stage can import them without an import cycle through the file that re-exports them.

export type EvalOrder = {
  currency: string;
  total: number;
  placedAt: string;
  deliveredAt: string | null;
  lineCount: number;
};

export type EvalLine = {
  orderLineId: string;
  sku: string;
  title: string;
  category: string;
  unitPrice: number;
  boughtQuantity: number;
  remainingQuantity: number;
  /** Units requested in this return. */
  quantity: number;
  reasonCode: string;
  hasEvidence: boolean;
  /** Purchasing agents: the line's stage and the days left in the seller's window. */
  stage?: string | null;
  sellerWindowDaysLeft?: number | null;
};

export type EvalCustomer = {
  orderCount: number;
  returnCount: number;
  returnRate: number;
  /** Returns asked for this calendar month (UTC), and no-reason returns in 90 days (purchasing agents). */
  returnsThisMonth?: number;
  noReasonReturns90d?: number;
};

export type LineAssessment = {
  orderLineId: string;
  eligible: boolean;
  /** return_window_closed | not_returnable | quantity_exceeds_remaining | invalid_quantity | unknown_reason */
  code?: string;
  /** Customer-readable sentence for an ineligible line. */
  reason?: string;
  /** The same sentence as an item, to render in the customer's language. */
  reasonItem?: ExplainItem;
  windowEndsAt: string;
  feePercent: number;
  merchantFault: boolean;
  evidenceRequired: boolean;
};

export type RuleTrace = {
  ruleId: string;
  fired: boolean;
  action: string;
  matchedLines: string[];
  note: string;
};

export type Assessment = {
  lines: LineAssessment[];
  eligible: boolean;
  /** Minor units in the order currency, after waivers. */
  returnShippingFee: number;
  extraFees: { code: string; label: string; amount: number }[];
  rules: RuleTrace[];
  ruleOutcome: 'approve' | 'review' | 'reject' | null;
  decidingRuleId: string | null;
  /** Forced by a rule; applies only if the request is approved. */
  returnless: boolean;
  explanation: string[];
  /** The same sentences as keys and values, to render in the customer's language (explain.ts). */
  explain: ExplainItem[];
  /** The sentence in `explanation` that charges return shipping; a returnless decision replaces it. */
  returnShippingSentence: string | null;
  /**
   * Whether the return counts against a monthly free-returns quota (purchasing agents): not when
   * every line is the seller's fault or cancelled before it was bought. Absent: it counts.
   */
  countsTowardQuota?: boolean;
};

export type Decision = {
  outcome: DecisionOutcome;
  automatic: boolean;
  returnless: boolean;
  explanation: string[];
  explain: ExplainItem[];
  rules: RuleTrace[];
};
