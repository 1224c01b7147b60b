import fc from 'fast-check';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { calculateRefundQuote } from '../refunds/refund-calculator.ts';
import { defaultPolicy } from './default-policy.ts';
import {
  assessReturn,
  decideReturn,
  type EvalCustomer,
  type EvalLine,
  type EvalOrder,
} from './evaluate-policy.ts';
import {
  type Condition,
  type Policy,
  PolicySchema,
  RULE_ACTIONS,
  RULE_FIELDS,
  RULE_OPERATORS,
  type Rule,
  validatePolicy,
} from './policy-schema.ts';

const customer: EvalCustomer = { orderCount: 4, returnCount: 1, returnRate: 0.25 };

function order(over: Partial<EvalOrder> = {}): EvalOrder {
  return {
    currency: 'USD',
    total: 12_000,
    placedAt: '2026-02-01T09:00:00Z',
    deliveredAt: '2026-02-10T18:00:00Z',
    lineCount: 2,
    ...over,
  };
}

function line(over: Partial<EvalLine> = {}): EvalLine {
  return {
    orderLineId: 'l1',
    sku: 'TS-RED-M',
    title: 'Red T-shirt',
    category: 'apparel',
    unitPrice: 2_500,
    boughtQuantity: 2,
    remainingQuantity: 2,
    quantity: 1,
    reasonCode: 'wrong_size',
    hasEvidence: false,
    ...over,
  };
}

function policy(over: Partial<Policy> = {}): Policy {
  return { ...defaultPolicy(), rules: [], ...over };
}

function assess(p: Policy, lines: EvalLine[], now = '2026-02-20T12:00:00Z', o = order()) {
  return assessReturn(p, { order: o, lines, customer, resolution: 'refund', now: new Date(now) });
}

function rule(
  id: string,
  when: Condition,
  action: Rule['action'],
  extra: Partial<Omit<Rule, 'id' | 'when'>> = {},
): Rule {
  return { id, when, action, message: `Rule ${id} says so.`, ...extra };
}

describe('return window', () => {
  it('counts from delivery when the order was delivered', () => {
    const a = assess(policy(), [line()]);
    expect(a.eligible).toBe(true);
    expect(a.lines[0]!.windowEndsAt).toBe('2026-03-12T23:59:59.999Z');
    expect(a.explanation[0]).toBe('Your return is within the 30-day return window (until 12 March 2026).');
  });

  it('counts from the order date when there is no delivery date', () => {
    const a = assess(policy(), [line()], '2026-03-04T12:00:00Z', order({ deliveredAt: null }));
    expect(a.lines[0]!.windowEndsAt).toBe('2026-03-03T23:59:59.999Z');
    expect(a.lines[0]).toMatchObject({ eligible: false, code: 'return_window_closed' });
    expect(a.lines[0]!.reason).toBe('The 30-day return window for “Red T-shirt” ended on 3 March 2026.');
  });

  it('includes the whole last day and nothing after it', () => {
    expect(assess(policy(), [line()], '2026-03-12T23:59:59.999Z').eligible).toBe(true);
    const late = assess(policy(), [line()], '2026-03-13T00:00:00.000Z');
    expect(late.eligible).toBe(false);
    expect(late.lines[0]!.code).toBe('return_window_closed');
  });

  it('uses a category window instead of the default, matching the category ignoring case', () => {
    const tv = line({ orderLineId: 'tv', title: 'Headphones', category: 'Electronics' });
    const a = assess(policy(), [line(), tv], '2026-02-26T00:00:00Z');
    expect(a.lines[1]).toMatchObject({ eligible: false, code: 'return_window_closed' });
    expect(a.lines[1]!.windowEndsAt).toBe('2026-02-25T23:59:59.999Z');
    expect(a.lines[0]!.eligible).toBe(true);
    expect(a.eligible).toBe(false);
    expect(a.explanation[0]).toBe('“Red T-shirt” is within the 30-day return window (until 12 March 2026).');
  });
});

describe('line checks', () => {
  it('refuses a category that is not returnable', () => {
    const a = assess(policy(), [line({ category: 'UNDERWEAR', title: 'Briefs' })]);
    expect(a.lines[0]).toMatchObject({ eligible: false, code: 'not_returnable' });
    expect(a.lines[0]!.reason).toBe("“Briefs” can't be returned: items in UNDERWEAR are not returnable.");
  });

  it('refuses an unknown reason and more units than remain', () => {
    const a = assess(policy(), [
      line({ reasonCode: 'bored' }),
      line({ orderLineId: 'l2', quantity: 2, remainingQuantity: 1 }),
      line({ orderLineId: 'l3', quantity: 1, remainingQuantity: 0 }),
    ]);
    expect(a.lines.map((l) => l.code)).toEqual([
      'unknown_reason',
      'quantity_exceeds_remaining',
      'quantity_exceeds_remaining',
    ]);
    expect(a.lines[1]!.reason).toBe('Only 1 of “Red T-shirt” can still be returned; you asked for 2.');
    expect(a.eligible).toBe(false);
    expect(decideReturn(policy(), a, { currency: 'USD', refundTotal: 0, lines: [] }).outcome).toBe(
      'rejected',
    );
  });

  it('charges the category restocking fee, except when the fault is ours', () => {
    const p = policy();
    const a = assess(p, [
      line({ orderLineId: 'a', category: 'electronics', title: 'Headphones', reasonCode: 'changed_mind' }),
      line({ orderLineId: 'b', category: 'electronics', title: 'Speaker', reasonCode: 'defective' }),
    ]);
    expect(a.lines.map((l) => [l.feePercent, l.merchantFault, l.evidenceRequired])).toEqual([
      [10, false, false],
      [0, true, true],
    ]);
    expect(a.explanation).toContain('A restocking fee of 10% of the price applies to “Headphones”.');
    expect(a.explanation).toContain(
      'There is no restocking fee on “Speaker” because the reason is a fault of ours.',
    );
    // one line's reason is our fault, so the parcel travels at our cost
    expect(a.returnShippingFee).toBe(0);
  });
});

describe('return shipping fee', () => {
  it('is charged once per return in the order currency when nothing is our fault', () => {
    const a = assess(policy(), [line(), line({ orderLineId: 'l2' })]);
    expect(a.returnShippingFee).toBe(595);
    expect(a.explanation).toContain(
      'Return shipping of $5.95 is deducted because the reason is not a fault of ours.',
    );
    const jpy = assess(policy(), [line()], undefined, order({ currency: 'JPY' }));
    expect(jpy.returnShippingFee).toBe(800);
    const aud = assess(policy(), [line()], undefined, order({ currency: 'AUD' }));
    expect(aud.returnShippingFee).toBe(0);
  });

  it('is waived by a waive_return_shipping rule', () => {
    const p = policy({
      rules: [
        rule('loyal', { field: 'customer.orderCount', op: 'gte', value: 3 }, 'waive_return_shipping', {
          message: 'Return shipping is on us for loyal customers.',
        }),
      ],
    });
    const a = assess(p, [line()]);
    expect(a.returnShippingFee).toBe(0);
    expect(a.explanation).toContain('Return shipping is on us for loyal customers.');
    expect(a.rules[0]).toMatchObject({ fired: true, matchedLines: ['l1'] });
  });
});

describe('decideReturn', () => {
  const decide = (p: Policy, lines: EvalLine[], refundTotal: number, currency = 'USD') =>
    decideReturn(p, assess(p, lines, undefined, order({ currency })), { currency, refundTotal, lines });

  it('approves automatically up to the limit of the order currency, and sends the rest to review', () => {
    expect(decide(policy(), [line()], 20_000)).toMatchObject({
      outcome: 'approved',
      automatic: true,
      returnless: false,
    });
    const over = decide(policy(), [line()], 20_001);
    expect(over.outcome).toBe('needs_review');
    expect(over.explanation.at(-1)).toBe(
      'Refunds above $200.00 are checked by our team; an agent will look at yours shortly.',
    );
    expect(decide(policy(), [line()], 30_000, 'JPY').outcome).toBe('approved');
    expect(decide(policy(), [line()], 30_001, 'JPY').outcome).toBe('needs_review');
    const aud = decide(policy(), [line()], 1, 'AUD');
    expect(aud.outcome).toBe('needs_review');
    expect(aud.explanation.at(-1)).toContain('Returns paid in AUD are checked by our team');
  });

  it('sends a request to review when auto-approve is off or the reason is not on its list', () => {
    const off = policy();
    off.autoApprove.enabled = false;
    expect(decide(off, [line()], 100).outcome).toBe('needs_review');
    const only = policy();
    only.autoApprove.reasons = ['changed_mind'];
    const d = decide(only, [line()], 100);
    expect(d.outcome).toBe('needs_review');
    expect(d.explanation.at(-1)).toContain('“It doesn’t fit”');
    expect(decide(only, [line({ reasonCode: 'changed_mind' })], 100000 / 1000).outcome).toBe('approved');
  });

  it('asks for evidence before approving when the reason needs it', () => {
    const broken = line({ reasonCode: 'damaged', title: 'Vase' });
    const d = decide(policy(), [broken], 5_000);
    expect(d.outcome).toBe('needs_review');
    expect(d.explanation.at(-1)).toBe(
      'We need a photo of “Vase” showing the problem; an agent will look at it before we approve the return.',
    );
    expect(decide(policy(), [{ ...broken, hasEvidence: true }], 5_000).outcome).toBe('approved');
  });

  it('lets the customer keep the items at or below the returnless limit', () => {
    const at = decide(policy(), [line()], 1_500);
    expect(at).toMatchObject({ outcome: 'approved', returnless: true });
    expect(at.explanation.at(-1)).toBe(
      "You can keep the items: for refunds of $15.00 or less we don't ask for them back.",
    );
    expect(decide(policy(), [line()], 1_501).returnless).toBe(false);
    expect(decide(policy(), [line()], 1_000, 'AUD').returnless).toBe(false);
    // not approved, so nothing is decided about keeping the items
    expect(decide(policy(), [line({ reasonCode: 'damaged' })], 100).returnless).toBe(false);
  });

  it('makes a returnless rule count only when the return is approved', () => {
    const p = policy({
      rules: [
        rule('cheap-socks', { field: 'line.category', op: 'eq', value: 'socks' }, 'returnless', {
          message: 'Keep the socks; sending them back costs more than they do.',
        }),
      ],
    });
    const d = decide(p, [line({ category: 'Socks' })], 10_000);
    expect(d).toMatchObject({ outcome: 'approved', returnless: true });
    expect(d.explanation.at(-1)).toBe('Keep the socks; sending them back costs more than they do.');
    expect(decide(p, [line({ category: 'Socks' })], 50_000).returnless).toBe(false);
  });
});

describe('custom rules', () => {
  it('lets the first firing decisive rule decide and traces later ones as overridden', () => {
    const p = policy({
      rules: [
        rule('big-orders', { field: 'order.total', op: 'gt', value: { USD: 100_000 } }, 'reject'),
        rule('serial', { field: 'customer.returnRate', op: 'gte', value: 0.2 }, 'review'),
        rule('vip', { field: 'customer.orderCount', op: 'gte', value: 3 }, 'approve'),
        rule('fee', { field: 'line.category', op: 'eq', value: 'apparel' }, 'fee', { feePercent: 5 }),
      ],
    });
    const a = assess(p, [line()]);
    expect(a.ruleOutcome).toBe('review');
    expect(a.decidingRuleId).toBe('serial');
    expect(a.rules.map((r) => [r.ruleId, r.fired])).toEqual([
      ['big-orders', false],
      ['serial', true],
      ['vip', true],
      ['fee', true],
    ]);
    expect(a.rules[2]!.note).toContain('overridden by rule serial');
    expect(a.lines[0]!.feePercent).toBe(5);
    const d = decideReturn(p, a, { currency: 'USD', refundTotal: 100, lines: [line()] });
    expect(d.outcome).toBe('needs_review');
    expect(d.explanation).toContain('Rule serial says so.');
    expect(d.rules).toBe(a.rules);
  });

  it('lets a rule approve above the auto-approve limit, or reject outright', () => {
    const approve = policy({
      rules: [rule('vip', { field: 'customer.orderCount', op: 'gte', value: 3 }, 'approve')],
    });
    const a = assess(approve, [line()]);
    expect(decideReturn(approve, a, { currency: 'USD', refundTotal: 1e6, lines: [line()] }).outcome).toBe(
      'approved',
    );
    const d = decideReturn(defaultPolicy(), assess(defaultPolicy(), [line({ sku: 'fs-123' })]), {
      currency: 'USD',
      refundTotal: 100,
      lines: [line({ sku: 'fs-123' })],
    });
    expect(d.outcome).toBe('rejected');
    expect(d.explanation.at(-1)).toMatch(/^Final-sale items can only be returned/);
  });

  it('needs every part of an all-condition to hold on the same line', () => {
    const when: Condition = {
      all: [
        { field: 'line.category', op: 'eq', value: 'shoes' },
        { field: 'line.reasonCode', op: 'eq', value: 'changed_mind' },
      ],
    };
    const p = policy({ rules: [rule('shoes-mind', when, 'review')] });
    const split = assess(p, [
      line({ orderLineId: 'a', category: 'shoes', reasonCode: 'wrong_size' }),
      line({ orderLineId: 'b', category: 'hats', reasonCode: 'changed_mind' }),
    ]);
    expect(split.rules[0]).toMatchObject({ fired: false, matchedLines: [] });
    expect(split.ruleOutcome).toBeNull();
    const same = assess(p, [
      line({ orderLineId: 'a', category: 'shoes', reasonCode: 'changed_mind' }),
      line({ orderLineId: 'b', category: 'hats', reasonCode: 'changed_mind' }),
    ]);
    expect(same.rules[0]).toMatchObject({ fired: true, matchedLines: ['a'] });
  });

  it('applies a percent fee to the matched lines only and a fixed fee once, in the order currency', () => {
    const p = policy({
      rules: [
        rule('big-item', { field: 'line.unitPrice', op: 'gte', value: { USD: 10_000, EUR: 9_000 } }, 'fee', {
          feePercent: 2.5,
          message: 'A 2.5% handling fee applies to items over $100.',
        }),
        rule('handling', { field: 'return.unitCount', op: 'gte', value: 3 }, 'fee', {
          feeAmount: { USD: 300 },
          label: 'Bulk handling',
        }),
      ],
    });
    const lines = [
      line({ orderLineId: 'a', unitPrice: 12_000, category: 'electronics' }),
      line({ orderLineId: 'b', unitPrice: 3_000, quantity: 2 }),
    ];
    const a = assess(p, lines);
    expect(a.lines.map((l) => l.feePercent)).toEqual([12.5, 0]);
    expect(a.extraFees).toEqual([{ code: 'rule:handling', label: 'Bulk handling', amount: 300 }]);
    expect(a.explanation).toContain('A 2.5% handling fee applies to items over $100.');
    const jpy = assess(p, lines, undefined, order({ currency: 'JPY' }));
    expect(jpy.lines.map((l) => l.feePercent)).toEqual([10, 0]);
    expect(jpy.extraFees).toEqual([]);
    expect(jpy.rules[1]!.note).toContain('no fixed amount set for JPY');
  });

  it('treats a missing delivery date as failing every comparison except eq / ne null', () => {
    const p = policy({
      rules: [
        rule('late', { field: 'order.daysSinceDelivery', op: 'gte', value: 0 }, 'review'),
        rule('not-delivered', { field: 'order.daysSinceDelivery', op: 'eq', value: null }, 'approve'),
      ],
    });
    const a = assess(p, [line()], '2026-02-05T00:00:00Z', order({ deliveredAt: null }));
    expect(a.rules.map((r) => r.fired)).toEqual([false, true]);
    expect(a.ruleOutcome).toBe('approve');
    const delivered = assess(p, [line()]);
    expect(delivered.rules.map((r) => r.fired)).toEqual([true, false]);
  });

  it('matches sku prefixes, in / not_in and not, ignoring case', () => {
    const p = policy({
      rules: [
        rule('a', { field: 'line.sku', op: 'starts_with', value: ['xx', 'ts-'] }, 'fee', { feePercent: 1 }),
        rule('b', { field: 'line.reasonCode', op: 'in', value: ['changed_mind', 'wrong_size'] }, 'fee', {
          feePercent: 2,
        }),
        rule('c', { not: { field: 'order.currency', op: 'not_in', value: ['usd'] } }, 'fee', {
          feePercent: 4,
        }),
        rule('d', { any: [{ field: 'return.resolution', op: 'eq', value: 'exchange' }] }, 'fee', {
          feePercent: 8,
        }),
      ],
    });
    expect(assess(p, [line()]).lines[0]!.feePercent).toBe(7);
  });
});

describe('policy documents', () => {
  it('accepts the default policy', () => {
    const p = defaultPolicy();
    expect(Value.Check(PolicySchema, p)).toBe(true);
    expect(validatePolicy(p)).toEqual([]);
  });

  it('rejects unknown properties through the schema', () => {
    expect(Value.Check(PolicySchema, { ...defaultPolicy(), extra: 1 })).toBe(false);
    const p = defaultPolicy() as unknown as { autoApprove: Record<string, unknown> };
    p.autoApprove.limit = 5;
    expect(Value.Check(PolicySchema, p)).toBe(false);
  });

  it('reports duplicate codes and ids, bad fields, mismatched values and unknown currencies', () => {
    const p = defaultPolicy();
    p.reasons.push({ code: 'damaged', label: 'Again', merchantFault: true, evidenceRequired: false });
    p.categories.Underwear = { returnable: true };
    p.categories.toys = { restockingFeePercent: 33.33 };
    p.categories.games = { restockingFeePercent: 0.125 };
    p.autoApprove.reasons = ['changed_mind', 'nope'];
    p.returnShippingFee.XXX = 5;
    p.rules.push(
      rule('final-sale', { field: 'line.sku', op: 'eq', value: 'x' }, 'review'),
      rule('bad-field', { all: [{ field: 'order.totl', op: 'gt', value: 1 }] }, 'review'),
      rule('bad-value', { field: 'customer.returnRate', op: 'gt', value: 'high' }, 'review'),
      rule('bad-op', { field: 'line.merchantFault', op: 'gt', value: true }, 'review'),
      rule('bad-fee', { field: 'line.reasonCode', op: 'eq', value: 'bored' }, 'fee'),
      rule('stray-fee', { field: 'line.quantity', op: 'in', value: [1, 2] }, 'approve', { feePercent: 3 }),
    );
    const problems = validatePolicy(p);
    const paths = problems.map((x) => x.path);
    expect(paths).toEqual([
      '/reasons/7/code',
      '/categories/Underwear',
      '/categories/games/restockingFeePercent',
      '/autoApprove/reasons/1',
      '/returnShippingFee/XXX',
      '/rules/2/id',
      '/rules/3/when/all/0/field',
      '/rules/4/when/value',
      '/rules/5/when/value',
      '/rules/6/when/value',
      '/rules/6/action',
      '/rules/7/feePercent',
    ]);
    expect(problems[0]!.message).toBe('reason code "damaged" is used more than once');
    expect(problems[6]!.message).toMatch(/^unknown field "order.totl"/);
  });
});

describe('assess, price, decide', () => {
  it('runs the service flow on the default policy', () => {
    const p = defaultPolicy();
    const lines = [
      line({ orderLineId: 'tee', quantity: 2, unitPrice: 2_500 }),
      line({
        orderLineId: 'hp',
        title: 'Headphones',
        category: 'electronics',
        unitPrice: 8_000,
        quantity: 1,
      }),
    ];
    const a = assess(p, lines);
    const quote = calculateRefundQuote({
      order: {
        currency: 'USD',
        shippingAmount: 500,
        discountAmount: 0,
        taxAmount: 0,
        lines: [
          { id: 'tee', quantity: 2, unitPrice: 2_500, discountAmount: 0, taxAmount: 0, returnedQuantity: 0 },
          { id: 'hp', quantity: 1, unitPrice: 8_000, discountAmount: 0, taxAmount: 0, returnedQuantity: 0 },
        ],
      },
      lines: a.lines.map((l) => ({
        orderLineId: l.orderLineId,
        quantity: lines.find((x) => x.orderLineId === l.orderLineId)!.quantity,
        feePercent: l.feePercent,
        refundShipping:
          p.refundShipping === 'always' || (p.refundShipping === 'merchant_fault' && l.merchantFault),
      })),
      fees: [
        { code: 'return_shipping', label: 'Return shipping', amount: a.returnShippingFee },
        ...a.extraFees,
      ],
    });
    // 5000 + 8000 - 800 restocking - 595 return shipping
    expect(quote.total).toBe(11_605);
    const d = decideReturn(p, a, { currency: 'USD', refundTotal: quote.total, lines });
    expect(d).toMatchObject({ outcome: 'approved', automatic: true, returnless: false });
    expect(d.explanation).toEqual([
      '“Red T-shirt” is within the 30-day return window (until 12 March 2026).',
      '“Headphones” is within the 15-day return window (until 25 February 2026).',
      'A restocking fee of 10% of the price applies to “Headphones”.',
      'Return shipping of $5.95 is deducted because the reason is not a fault of ours.',
      'Your return is approved.',
    ]);
  });
});

// --- property -----------------------------------------------------------------------------

const fieldNames = [...Object.keys(RULE_FIELDS), 'order.nope'];
const scalar = fc.oneof(
  fc.integer({ min: -5, max: 50_000 }),
  fc.double({ noNaN: true, min: -1, max: 2 }),
  fc.constantFrom('USD', 'JPY', 'apparel', 'electronics', 'changed_mind', 'damaged', 'FS-', 'refund', ''),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.integer()), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('USD', 'JPY', 'EUR'), fc.integer({ min: 0, max: 50_000 })),
);
const { condition } = fc.letrec<{ condition: Condition }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      field: fc.constantFrom(...fieldNames),
      op: fc.constantFrom(...RULE_OPERATORS),
      value: scalar,
    }),
    fc.record({ all: fc.array(tie('condition'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('condition'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('condition') }),
  ) as fc.Arbitrary<Condition>,
}));
const ruleArb: fc.Arbitrary<Rule> = fc.record(
  {
    id: fc.constantFrom('r1', 'r2', 'r3', 'r4'),
    when: condition,
    action: fc.constantFrom(...RULE_ACTIONS),
    feePercent: fc.integer({ min: 0, max: 10_000 }).map((bp) => bp / 100),
    feeAmount: fc.dictionary(fc.constantFrom('USD', 'JPY', 'KWD'), fc.integer({ min: 0, max: 5_000 })),
    message: fc.string({ maxLength: 20 }),
  },
  { requiredKeys: ['id', 'when', 'action', 'message'] },
);
const moneyMap = fc.dictionary(
  fc.constantFrom('USD', 'JPY', 'KWD', 'EUR'),
  fc.integer({ min: 0, max: 100_000 }),
);
const policyArb: fc.Arbitrary<Policy> = fc.record({
  returnWindowDays: fc.integer({ min: 0, max: 3650 }),
  categories: fc.dictionary(
    fc.constantFrom('apparel', 'Electronics', 'underwear', 'socks'),
    fc.record(
      {
        returnable: fc.boolean(),
        returnWindowDays: fc.integer({ min: 0, max: 400 }),
        restockingFeePercent: fc.integer({ min: 0, max: 10_000 }).map((bp) => bp / 100),
      },
      { requiredKeys: [] },
    ),
  ),
  reasons: fc.array(
    fc.record({
      code: fc.constantFrom('changed_mind', 'wrong_size', 'damaged', 'defective'),
      label: fc.string({ maxLength: 10 }),
      merchantFault: fc.boolean(),
      evidenceRequired: fc.boolean(),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  returnShippingFee: moneyMap,
  refundShipping: fc.constantFrom('never', 'merchant_fault', 'always'),
  autoApprove: fc.record({
    enabled: fc.boolean(),
    maxRefundAmount: moneyMap,
    reasons: fc.array(fc.constantFrom('changed_mind', 'damaged', 'other'), { maxLength: 2 }),
  }),
  returnlessMaxAmount: moneyMap,
  rules: fc.array(ruleArb, { maxLength: 5 }),
});
const lineArb: fc.Arbitrary<EvalLine> = fc.record({
  orderLineId: fc.constantFrom('a', 'b', 'c'),
  sku: fc.constantFrom('FS-1', 'TS-2', ''),
  title: fc.string({ maxLength: 8 }),
  category: fc.constantFrom('apparel', 'ELECTRONICS', 'socks', ''),
  unitPrice: fc.integer({ min: 0, max: 1e7 }),
  boughtQuantity: fc.integer({ min: 1, max: 5 }),
  remainingQuantity: fc.integer({ min: 0, max: 5 }),
  quantity: fc.integer({ min: 0, max: 6 }),
  reasonCode: fc.constantFrom('changed_mind', 'wrong_size', 'damaged', 'defective', 'bogus'),
  hasEvidence: fc.boolean(),
});
const dateArb = fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true });

describe('assessReturn / decideReturn property', () => {
  it('never throws, explains in non-empty sentences and decides one of three outcomes', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.array(lineArb, { maxLength: 4 }),
        fc.record({
          currency: fc.constantFrom('USD', 'JPY', 'KWD', 'AUD'),
          total: fc.integer({ min: 0, max: 1e8 }),
          placedAt: dateArb,
          deliveredAfterDays: fc.option(fc.integer({ min: 0, max: 60 })),
          nowAfterDays: fc.integer({ min: -2, max: 500 }),
        }),
        fc.record({
          orderCount: fc.nat(50),
          returnCount: fc.nat(50),
          returnRate: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        fc.constantFrom('refund', 'store_credit', 'exchange'),
        fc.integer({ min: 0, max: 1e6 }),
        (p, lines, o, cust, resolution, refundTotal) => {
          const placed = o.placedAt.getTime();
          const ord: EvalOrder = {
            currency: o.currency,
            total: o.total,
            placedAt: o.placedAt.toISOString(),
            deliveredAt:
              o.deliveredAfterDays === null
                ? null
                : new Date(placed + o.deliveredAfterDays * 86_400_000).toISOString(),
            lineCount: 3,
          };
          const now = new Date(placed + o.nowAfterDays * 86_400_000);
          const a = assessReturn(p, { order: ord, lines, customer: cust, resolution, now });
          for (const s of a.explanation) expect(typeof s === 'string' && s.trim().length > 0).toBe(true);
          for (const l of a.lines) expect(l.feePercent).toBeGreaterThanOrEqual(0);
          for (const l of a.lines) expect(l.feePercent).toBeLessThanOrEqual(100);
          expect(a.rules).toHaveLength(p.rules.length);
          const d = decideReturn(p, a, { currency: o.currency, refundTotal, lines });
          expect(['approved', 'needs_review', 'rejected']).toContain(d.outcome);
          for (const s of d.explanation) expect(typeof s === 'string' && s.trim().length > 0).toBe(true);
          if (d.returnless) expect(d.outcome).toBe('approved');
        },
      ),
      { numRuns: 400 },
    );
  });
});
