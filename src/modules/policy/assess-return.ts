import { formatMoney } from '../../platform/money.ts';
import type {
  Assessment,
  EvalCustomer,
  EvalLine,
  EvalOrder,
  LineAssessment,
  RuleTrace,
} from './evaluation-types.ts';
import { type ExplainItem, explainText } from './explain.ts';
import { DECISIVE_ACTIONS, type Policy, type Rule } from './policy-schema.ts';
import { type FieldValue, holds, normalize, ruleMessage } from './rule-matching.ts';

const DAY_MS = 86_400_000;

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

function toMs(value: Date | string, what: string): number {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`${what} is not a valid date: ${String(value)}`);
  return ms;
}

function utcDay(ms: number): number {
  return Math.floor(ms / DAY_MS);
}
