import type { Assessment, Decision, EvalLine } from './evaluation-types.ts';
import { type ExplainItem, explainText } from './explain.ts';
import type { Policy } from './policy-schema.ts';
import { ruleMessage } from './rule-matching.ts';

/**
 * Turns an assessment and the priced refund into an outcome. Checked in order: eligibility,
 * a deciding rule, missing evidence, the auto-approve limits; returnless only when approved.
 */
export function decideReturn(
  policy: Policy,
  assessment: Assessment,
  input: { currency: string; refundTotal: number; lines: EvalLine[] },
): Decision {
  const { currency, refundTotal } = input;
  const decide = (outcome: Decision['outcome'], sentences: ExplainItem[], returnless = false): Decision => {
    const explain: ExplainItem[] = [
      // Nothing travels back in a returnless refund, so return shipping is not charged.
      ...assessment.explain.map(
        (e): ExplainItem => (returnless && e.key === 'shipping_deducted' ? { key: 'no_shipping_keep' } : e),
      ),
      ...sentences,
    ];
    return {
      outcome,
      automatic: true,
      returnless,
      explanation: explain.map((e) => explainText(e)),
      explain,
      rules: assessment.rules,
    };
  };
  const approve = (sentence: ExplainItem): Decision => {
    const limit = policy.returnlessMaxAmount[currency];
    if (assessment.returnless) {
      const trace = assessment.rules.find((t) => t.fired && t.action === 'returnless');
      const rule = policy.rules.find((r) => r.id === trace?.ruleId);
      const why: ExplainItem = rule
        ? { key: 'text', params: { text: ruleMessage(rule) } }
        : { key: 'keep_default' };
      return decide('approved', [sentence, why], true);
    }
    if (limit !== undefined && refundTotal <= limit) {
      return decide(
        'approved',
        [sentence, { key: 'keep_threshold', params: { limit: { money: limit, currency } } }],
        true,
      );
    }
    return decide('approved', [sentence]);
  };

  // The service refuses ineligible requests before deciding; this keeps a stray call safe.
  if (!assessment.eligible) {
    return decide('rejected', [{ key: 'cannot_accept' }]);
  }

  if (assessment.ruleOutcome && assessment.decidingRuleId) {
    const rule = policy.rules.find((r) => r.id === assessment.decidingRuleId);
    const message = rule ? ruleMessage(rule) : 'A rule of our return policy applies to this request.';
    if (assessment.ruleOutcome === 'approve')
      return approve({ key: 'text_approved', params: { text: message } });
    if (assessment.ruleOutcome === 'reject')
      return decide('rejected', [{ key: 'text', params: { text: message } }]);
    return decide('needs_review', [{ key: 'text', params: { text: message } }, { key: 'team_shortly' }]);
  }

  const byId = new Map(input.lines.map((l) => [l.orderLineId, l]));
  const missing = assessment.lines
    .filter((l) => l.evidenceRequired && !byId.get(l.orderLineId)?.hasEvidence)
    .map((l) => byId.get(l.orderLineId)?.title ?? l.orderLineId);
  if (missing.length > 0) {
    return decide('needs_review', [{ key: 'need_photo', params: { titles: missing } }]);
  }

  const auto = policy.autoApprove;
  if (!auto.enabled) {
    return decide('needs_review', [{ key: 'all_checked' }]);
  }
  if (auto.reasons.length > 0) {
    const allowed = new Set(auto.reasons);
    const notAllowed = [...new Set(input.lines.map((l) => l.reasonCode).filter((c) => !allowed.has(c)))];
    if (notAllowed.length > 0) {
      const labels = notAllowed.map((c) => policy.reasons.find((r) => r.code === c)?.label ?? c);
      return decide('needs_review', [{ key: 'reason_checked', params: { labels } }]);
    }
  }
  const max = auto.maxRefundAmount[currency];
  if (max === undefined) {
    return decide('needs_review', [{ key: 'currency_checked', params: { currency } }]);
  }
  if (refundTotal > max) {
    return decide('needs_review', [{ key: 'above_checked', params: { max: { money: max, currency } } }]);
  }
  return approve({ key: 'approved' });
}
