import { formatMoney } from '../../platform/money.ts';
import { type ExplainItem, explainText } from './explain.ts';
import {
  type Comparison,
  type Condition,
  DECISIVE_ACTIONS,
  MAX_CONDITION_DEPTH,
  type Policy,
  RULE_FIELDS,
  type Rule,
} from './policy-schema.ts';
import type { DecisionOutcome } from './policy-vocabulary.ts';

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

const DAY_MS = 86_400_000;
type FieldValue = string | number | boolean | null;

/**
 * Applies the policy to a requested return: which lines may come back, their fees, what the
 * custom rules say. Pure; `now` is passed in. The money decision comes after pricing, in
 * decideReturn.
 */
export function assessReturn(
  policy: Policy,
  input: {
    order: EvalOrder;
    lines: EvalLine[];
    customer: EvalCustomer;
    resolution: string;
    now: Date | string;
  },
): Assessment {
  const { order, customer } = input;
  const now = toMs(input.now, 'now');
  const placedDay = utcDay(toMs(order.placedAt, 'placedAt'));
  const deliveredDay = order.deliveredAt === null ? null : utcDay(toMs(order.deliveredAt, 'deliveredAt'));
  const startDay = deliveredDay ?? placedDay;
  const today = utcDay(now);
  const currency = order.currency;
  const reasons = new Map(policy.reasons.map((r) => [r.code, r]));
  const categories = new Map(Object.entries(policy.categories).map(([k, v]) => [normalize(k), v]));
  const explain: ExplainItem[] = [];

  // --- per line: eligibility and category fees
  const windows: { days: number; endsAt: number; titles: string[] }[] = [];
  const categoryFeeBp = new Map<string, number>();
  const feeSentences: ExplainItem[] = [];
  const lines: LineAssessment[] = input.lines.map((line) => {
    const category = categories.get(normalize(line.category));
    const reason = reasons.get(line.reasonCode);
    const days = category?.returnWindowDays ?? policy.returnWindowDays;
    // The last day counts in full: customers read "30 days" as calendar days, not hours.
    const endsAt = (startDay + days + 1) * DAY_MS - 1;
    const base = {
      orderLineId: line.orderLineId,
      windowEndsAt: new Date(endsAt).toISOString(),
      merchantFault: reason?.merchantFault ?? false,
      evidenceRequired: reason?.evidenceRequired ?? false,
    };
    const refuse = (code: string, item: ExplainItem): LineAssessment => {
      explain.push(item);
      return { ...base, eligible: false, code, reason: explainText(item), reasonItem: item, feePercent: 0 };
    };
    const title = line.title;

    if (category?.returnable === false) {
      return refuse('not_returnable', { key: 'not_returnable', params: { title, category: line.category } });
    }
    if (now > endsAt) {
      return refuse('return_window_closed', { key: 'window_closed', params: { days, title, endsAt } });
    }
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) {
      return refuse('invalid_quantity', { key: 'invalid_quantity', params: { title } });
    }
    if (line.quantity > line.remainingQuantity) {
      return refuse(
        'quantity_exceeds_remaining',
        line.remainingQuantity <= 0
          ? { key: 'all_returned', params: { title } }
          : {
              key: 'only_remaining',
              params: { remaining: line.remainingQuantity, title, asked: line.quantity },
            },
      );
    }
    if (!reason) {
      return refuse('unknown_reason', { key: 'unknown_reason', params: { title } });
    }

    const window = windows.find((w) => w.days === days && w.endsAt === endsAt);
    if (window) window.titles.push(line.title);
    else windows.push({ days, endsAt, titles: [line.title] });

    const categoryFee = category?.restockingFeePercent ?? 0;
    if (categoryFee > 0 && reason.merchantFault) {
      feeSentences.push({ key: 'no_restocking_fault', params: { title } });
    } else if (categoryFee > 0) {
      categoryFeeBp.set(line.orderLineId, Math.round(categoryFee * 100));
      feeSentences.push({ key: 'restocking_fee', params: { percent: categoryFee, title } });
    }
    return { ...base, eligible: true, feePercent: 0 };
  });

  const eligibleCount = lines.filter((l) => l.eligible).length;
  const windowSentences = windows.map(
    (w): ExplainItem => ({
      key: 'window_ok',
      params: {
        all: w.titles.length === eligibleCount && input.lines.length === eligibleCount,
        titles: w.titles,
        days: w.days,
        fromOrder: deliveredDay === null,
        endsAt: w.endsAt,
      },
    }),
  );
  explain.unshift(...windowSentences);
  if (input.lines.length === 0) explain.push({ key: 'choose_item' });
  explain.push(...feeSentences);

  // --- custom rules, checked once per requested line
  const returnCtx = {
    'return.itemAmount': input.lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0),
    'return.unitCount': input.lines.reduce((s, l) => s + l.quantity, 0),
    'return.lineCount': input.lines.length,
    'return.resolution': input.resolution,
  };
  const shared: Record<string, FieldValue> = {
    'order.total': order.total,
    'order.currency': currency,
    'order.daysSincePlaced': today - placedDay,
    'order.daysSinceDelivery': deliveredDay === null ? null : today - deliveredDay,
    'order.lineCount': order.lineCount,
    'customer.orderCount': customer.orderCount,
    'customer.returnCount': customer.returnCount,
    'customer.returnRate': customer.returnRate,
    'customer.returnsThisMonth': customer.returnsThisMonth ?? 0,
    'customer.noReasonReturns90d': customer.noReasonReturns90d ?? 0,
    ...returnCtx,
  };
  const contexts = input.lines.map((line) => ({
    id: line.orderLineId,
    values: {
      ...shared,
      'line.sku': line.sku,
      'line.category': line.category,
      'line.unitPrice': line.unitPrice,
      'line.quantity': line.quantity,
      'line.reasonCode': line.reasonCode,
      'line.merchantFault': reasons.get(line.reasonCode)?.merchantFault ?? false,
      'line.stage': line.stage ?? null,
      'line.sellerWindowDaysLeft': line.sellerWindowDaysLeft ?? null,
    } as Record<string, FieldValue>,
  }));

  const traces: RuleTrace[] = [];
  const ruleFeeBp = new Map<string, number>();
  const extraFees: Assessment['extraFees'] = [];
  let deciding: Rule | null = null;
  let returnless = false;
  let waiveShipping: Rule | null = null;

  for (const rule of policy.rules) {
    const action = rule.action;
    const matched = contexts.filter((c) => holds(rule.when, c.values, currency, 1)).map((c) => c.id);
    const trace = (note: string) =>
      traces.push({ ruleId: rule.id, fired: matched.length > 0, action, matchedLines: matched, note });
    if (matched.length === 0) {
      trace('Did not match any requested line.');
      continue;
    }
    const on = `Matched ${matched.length === contexts.length ? 'every requested line' : `lines ${matched.join(', ')}`}`;
    if (DECISIVE_ACTIONS.includes(action)) {
      if (deciding) {
        trace(`${on}, but overridden by rule ${deciding.id}, which fired first.`);
      } else {
        deciding = rule;
        trace(`${on}; decides: ${action}.`);
      }
      continue;
    }
    const message = ruleMessage(rule);
    if (action === 'returnless') {
      returnless = true;
      trace(`${on}; the customer keeps the items if the return is approved.`);
    } else if (action === 'waive_return_shipping') {
      waiveShipping ??= rule;
      trace(`${on}; no return shipping fee.`);
    } else if (action === 'fee') {
      const notes: string[] = [];
      const percent = rule.feePercent ?? 0;
      if (percent > 0) {
        for (const id of matched) ruleFeeBp.set(id, (ruleFeeBp.get(id) ?? 0) + Math.round(percent * 100));
        notes.push(`${percent}% of the price of the matched lines`);
      }
      if (rule.feeAmount) {
        const amount = rule.feeAmount[currency];
        if (amount === undefined) {
          notes.push(`no fixed amount set for ${currency}, so no fixed fee`);
        } else if (amount > 0) {
          extraFees.push({ code: `rule:${rule.id}`, label: rule.label ?? 'Fee', amount });
          notes.push(`a fixed fee of ${formatMoney(amount, currency)}`);
        }
      }
      trace(`${on}; ${notes.join('; ') || 'nothing to charge'}.`);
      if (notes.length > 0) explain.push({ key: 'text', params: { text: message } });
    }
  }

  for (const l of lines) {
    if (!l.eligible) continue;
    const bp = (categoryFeeBp.get(l.orderLineId) ?? 0) + (ruleFeeBp.get(l.orderLineId) ?? 0);
    l.feePercent = Math.min(10_000, bp) / 100;
  }

  // --- return shipping: once per return, and only when nothing is our fault
  const faulty = input.lines.find((l) => reasons.get(l.reasonCode)?.merchantFault);
  let returnShippingFee = 0;
  let returnShippingSentence: string | null = null;
  if (faulty) {
    explain.push({ key: 'shipping_free_fault' });
  } else if (waiveShipping) {
    explain.push({ key: 'text', params: { text: ruleMessage(waiveShipping) } });
  } else {
    const fee = policy.returnShippingFee[currency];
    if (fee !== undefined && fee > 0) {
      returnShippingFee = fee;
      const item: ExplainItem = { key: 'shipping_deducted', params: { fee: { money: fee, currency } } };
      returnShippingSentence = explainText(item);
      explain.push(item);
    } else {
      explain.push({ key: 'shipping_free' });
    }
  }

  const decisive = deciding as Rule | null;
  return {
    lines,
    eligible: lines.length > 0 && lines.every((l) => l.eligible),
    returnShippingFee,
    extraFees,
    rules: traces,
    ruleOutcome: decisive ? (decisive.action as 'approve' | 'review' | 'reject') : null,
    decidingRuleId: decisive?.id ?? null,
    returnless,
    explanation: explain.map((i) => explainText(i)),
    explain,
    returnShippingSentence,
  };
}

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

// --- conditions ---------------------------------------------------------------------------

/** Unknown fields, mismatched types and over-deep nesting make a condition false, never throw. */
function holds(c: Condition, values: Record<string, FieldValue>, currency: string, depth: number): boolean {
  if (depth > MAX_CONDITION_DEPTH || typeof c !== 'object' || c === null) return false;
  if ('all' in c) return Array.isArray(c.all) && c.all.every((x) => holds(x, values, currency, depth + 1));
  if ('any' in c) return Array.isArray(c.any) && c.any.some((x) => holds(x, values, currency, depth + 1));
  if ('not' in c) return !holds(c.not, values, currency, depth + 1);
  return compare(c, values, currency);
}

function compare(c: Comparison, values: Record<string, FieldValue>, currency: string): boolean {
  if (!Object.hasOwn(RULE_FIELDS, c.field) || !Object.hasOwn(values, c.field)) return false;
  const actual = values[c.field] ?? null;
  const isMoney = RULE_FIELDS[c.field as keyof typeof RULE_FIELDS].kind === 'money';
  let value: unknown = c.value;
  if (value === null) {
    if (c.op === 'eq') return actual === null;
    if (c.op === 'ne') return actual !== null;
    return false;
  }
  // Like SQL: a missing value (not delivered yet) fails every comparison.
  if (actual === null) return false;
  if (isMoney && typeof value === 'object' && !Array.isArray(value)) {
    value = (value as Record<string, number>)[currency];
    if (value === undefined) return false;
  }
  switch (c.op) {
    case 'eq':
      return same(actual, value);
    case 'ne':
      return typeof value === typeof actual && !same(actual, value);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (typeof actual !== 'number' || typeof value !== 'number' || !Number.isFinite(actual)) return false;
      if (c.op === 'gt') return actual > value;
      if (c.op === 'gte') return actual >= value;
      if (c.op === 'lt') return actual < value;
      return actual <= value;
    }
    case 'in':
    case 'not_in': {
      if (!Array.isArray(value)) return false;
      const found = value.some((v) => same(actual, v));
      return c.op === 'in' ? found : !found;
    }
    case 'starts_with': {
      if (typeof actual !== 'string') return false;
      const prefixes = Array.isArray(value) ? value : [value];
      return prefixes.some((p) => typeof p === 'string' && normalize(actual).startsWith(normalize(p)));
    }
    default:
      return false;
  }
}

function same(a: FieldValue, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return normalize(a) === normalize(b);
  return a === b;
}

// --- wording ------------------------------------------------------------------------------

function normalize(s: string): string {
  return s.trim().toLowerCase();
}

function ruleMessage(rule: Rule): string {
  const m = typeof rule.message === 'string' ? rule.message.trim() : '';
  return m || 'A rule of our return policy applies to this request.';
}

function toMs(value: Date | string, what: string): number {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`${what} is not a valid date: ${String(value)}`);
  return ms;
}

function utcDay(ms: number): number {
  return Math.floor(ms / DAY_MS);
}
