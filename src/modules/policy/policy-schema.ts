import { type Static, Type } from 'typebox';
import { isCurrency } from '../../platform/money.ts';
import {
  DECISIVE_ACTIONS,
  RESOLUTIONS,
  type Resolution,
  RULE_ACTIONS,
  RULE_FIELDS,
  RULE_OPERATORS,
  type RuleAction,
  type RuleField,
  type RuleOperator,
} from './policy-vocabulary.ts';
import { PurchasingAgentPolicySchema } from './purchasing-agent-policy.ts';

export const MoneyByCurrencySchema = Type.Record(
  Type.String({ pattern: '^[A-Z]{3}$' }),
  Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
  {
    additionalProperties: false,
    description:
      'An amount per ISO-4217 currency, in minor units (cents, yen, fils). A currency that is not listed ' +
      'means the threshold or fee does not apply to orders in that currency.',
    examples: [{ USD: 595, EUR: 595, JPY: 800 }],
  },
);
export type MoneyByCurrency = Static<typeof MoneyByCurrencySchema>;

export {
  DECISIVE_ACTIONS,
  RESOLUTIONS,
  type Resolution,
  RULE_ACTIONS,
  RULE_FIELDS,
  RULE_OPERATORS,
  type RuleAction,
  type RuleField,
  type RuleOperator,
};

/** Conditions nest deeper than this only by mistake, and recursion must stay bounded. */
export const MAX_CONDITION_DEPTH = 8;

const ComparisonSchema = Type.Object(
  {
    field: Type.String({
      description: `The value to test: one of ${Object.keys(RULE_FIELDS).join(', ')}.`,
      examples: ['customer.returnRate'],
    }),
    op: Type.Enum(RULE_OPERATORS, {
      description:
        'eq, ne, gt, gte, lt, lte compare; in / not_in test membership of an array; starts_with tests a ' +
        'text prefix (or any of an array of prefixes). Text comparisons ignore case.',
    }),
    value: Type.Union(
      [
        Type.Number(),
        Type.String({ maxLength: 200 }),
        Type.Boolean(),
        Type.Null(),
        Type.Array(Type.Union([Type.String({ maxLength: 200 }), Type.Number()]), { maxItems: 500 }),
        MoneyByCurrencySchema,
      ],
      {
        description:
          'What to compare with. Money fields take a per-currency map (minor units) so a threshold means the ' +
          'same in every currency; a currency missing from the map makes the comparison false. null with eq / ' +
          'ne tests for a missing value (order.daysSinceDelivery before delivery).',
      },
    ),
  },
  { additionalProperties: false, description: 'Compares one field with a value.' },
);

export const ConditionSchema = Type.Cyclic(
  {
    Condition: Type.Union(
      [
        Type.Object(
          {
            all: Type.Array(Type.Ref('Condition'), {
              minItems: 1,
              maxItems: 50,
              description: 'True when every condition holds.',
            }),
          },
          { additionalProperties: false },
        ),
        Type.Object(
          {
            any: Type.Array(Type.Ref('Condition'), {
              minItems: 1,
              maxItems: 50,
              description: 'True when at least one condition holds.',
            }),
          },
          { additionalProperties: false },
        ),
        Type.Object(
          { not: Type.Ref('Condition', { description: 'True when the condition does not hold.' }) },
          { additionalProperties: false },
        ),
        ComparisonSchema,
      ],
      { description: 'A condition, checked once per requested line.' },
    ),
  },
  'Condition',
);
export type Condition = Static<typeof ConditionSchema>;
export type Comparison = Static<typeof ComparisonSchema>;

export const RuleSchema = Type.Object(
  {
    id: Type.String({
      pattern: '^[a-z0-9][a-z0-9_-]*$',
      maxLength: 64,
      description: 'Stable identifier, unique within the policy; shown in decision traces.',
    }),
    description: Type.Optional(
      Type.String({ maxLength: 500, description: 'Note for staff; not shown to customers.' }),
    ),
    when: ConditionSchema,
    action: Type.Enum(RULE_ACTIONS, {
      description:
        'approve / review / reject decide the request (the first firing one wins); returnless lets the ' +
        'customer keep the items if approved; fee adds a fee; waive_return_shipping drops the return shipping fee.',
    }),
    feePercent: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 100,
        description:
          'fee only: percent of the net price of the lines the rule matched; two decimals at most.',
      }),
    ),
    feeAmount: Type.Optional(MoneyByCurrencySchema),
    label: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 80,
        description: 'fee only: short name on the refund breakdown; default "Fee".',
      }),
    ),
    message: Type.String({
      minLength: 1,
      maxLength: 500,
      description: 'One sentence the customer reads when the rule fires.',
    }),
  },
  { additionalProperties: false, description: 'A custom rule; rules are checked in order.' },
);
export type Rule = Static<typeof RuleSchema>;

export const ReasonSchema = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 64, description: 'snake_case, unique.' }),
    label: Type.String({
      minLength: 1,
      maxLength: 120,
      description: "What the customer picks from, in English (the shop's wording wins over ours).",
    }),
    labels: Type.Optional(
      Type.Object(
        {
          'zh-CN': Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
          es: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
        },
        {
          additionalProperties: false,
          description:
            'The label in other languages; a language left out shows our translation of a known code, else `label`.',
        },
      ),
    ),
    merchantFault: Type.Boolean({
      description:
        'The seller is at fault: no return shipping fee, no restocking fee, shipping refunded per policy.',
    }),
    evidenceRequired: Type.Boolean({ description: 'A photo is needed before the return can be approved.' }),
  },
  { additionalProperties: false },
);
export type Reason = Static<typeof ReasonSchema>;

export const CategoryRuleSchema = Type.Object(
  {
    returnable: Type.Optional(
      Type.Boolean({ description: 'false: items of this category cannot be returned.' }),
    ),
    returnWindowDays: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 3650, description: 'Replaces the default window.' }),
    ),
    restockingFeePercent: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 100,
        description:
          'Percent of the net price kept back, two decimals at most; not charged when the reason is a fault of the seller.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CategoryRule = Static<typeof CategoryRuleSchema>;

/** Days to send the parcel after approval when the policy does not say (`shipWithinDays`). */
export const DEFAULT_SHIP_WITHIN_DAYS = 14;

export const PolicySchema = Type.Object(
  {
    returnWindowDays: Type.Integer({
      minimum: 0,
      maximum: 3650,
      description:
        'Days the customer has to ask for a return, counted from delivery (or from the order date when the ' +
        'delivery date is unknown); the last day counts in full (UTC).',
    }),
    categories: Type.Record(Type.String({ minLength: 1, maxLength: 100 }), CategoryRuleSchema, {
      description: 'Overrides per product category; category names match ignoring case.',
    }),
    reasons: Type.Array(ReasonSchema, {
      minItems: 1,
      maxItems: 100,
      description: 'The reasons a customer can give, in the order they are offered.',
    }),
    returnShippingFee: MoneyByCurrencySchema,
    refundShipping: Type.Union(
      [Type.Literal('never'), Type.Literal('merchant_fault'), Type.Literal('always')],
      {
        description:
          "Whether the original shipping share of a returned line is refunded: never, only when the line's " +
          'reason is a fault of the seller, or always.',
      },
    ),
    autoApprove: Type.Object(
      {
        enabled: Type.Boolean({ description: 'false: every request waits for an agent.' }),
        maxRefundAmount: MoneyByCurrencySchema,
        reasons: Type.Array(Type.String({ maxLength: 64 }), {
          maxItems: 100,
          description: 'Reason codes that may be approved automatically; empty means any reason.',
        }),
      },
      {
        additionalProperties: false,
        description:
          'Approve clear cases without an agent: refunds up to maxRefundAmount in the order currency.',
      },
    ),
    returnlessMaxAmount: MoneyByCurrencySchema,
    rules: Type.Array(RuleSchema, { maxItems: 200, description: 'Custom rules, checked in order.' }),
    resolutions: Type.Optional(
      Type.Array(Type.Enum(RESOLUTIONS), {
        minItems: 1,
        uniqueItems: true,
        description: 'What customers may ask for; absent means all of them.',
      }),
    ),
    storeCreditBonusPercent: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 100,
        description:
          'Extra credit, as a percent of the refund, for choosing store credit or an exchange (e.g. 10).',
      }),
    ),
    purchasingAgent: Type.Optional(PurchasingAgentPolicySchema),
    shipWithinDays: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 365,
        description:
          'Days the customer has to send the parcel, counted from approval; the last day counts in full ' +
          `(UTC). Absent means ${DEFAULT_SHIP_WITHIN_DAYS}.`,
      }),
    ),
    returnAddress: Type.Optional(
      Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 200, description: 'Who receives the parcel.' }),
          lines: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
            minItems: 1,
            maxItems: 6,
            description: 'Street, city, postcode, country: one line each, as printed on the parcel.',
          }),
        },
        {
          additionalProperties: false,
          description: 'Where customers send their parcels; shown on the tracking page.',
        },
      ),
    ),
  },
  { additionalProperties: false, description: "A tenant's return policy." },
);
export type Policy = Static<typeof PolicySchema>;

export type PolicyProblem = { path: string; message: string };

/**
 * What the JSON schema cannot say: unique codes and ids, known reason codes and currencies,
 * rule fields and operators that fit together. Run after schema validation; [] means valid.
 */
export function validatePolicy(policy: Policy): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  if (policy.storeCreditBonusPercent !== undefined && !isBasisPoints(policy.storeCreditBonusPercent)) {
    add('/storeCreditBonusPercent', 'use at most two decimals (10 or 7.5)');
  }

  const codes = new Set<string>();
  policy.reasons.forEach((r, i) => {
    if (codes.has(r.code)) add(`/reasons/${i}/code`, `reason code "${r.code}" is used more than once`);
    codes.add(r.code);
  });

  const categories = new Map<string, string>();
  for (const [name, rule] of Object.entries(policy.categories)) {
    if (rule.restockingFeePercent !== undefined && !isBasisPoints(rule.restockingFeePercent)) {
      add(`/categories/${name}/restockingFeePercent`, 'use at most two decimals (12.5 or 12.25)');
    }
    const key = name.trim().toLowerCase();
    const seen = categories.get(key);
    if (seen !== undefined)
      add(`/categories/${name}`, `category "${name}" is the same as "${seen}" (case is ignored)`);
    categories.set(key, name);
  }

  policy.autoApprove.reasons.forEach((code, i) => {
    if (!codes.has(code)) add(`/autoApprove/reasons/${i}`, `unknown reason code "${code}"`);
  });
  const pa = policy.purchasingAgent;
  if (pa) {
    for (const [field, list] of [
      ['damageReasons', pa.damageReasons],
      ['noReasonCodes', pa.noReasonCodes],
    ] as const) {
      list.forEach((code, i) => {
        if (!codes.has(code)) add(`/purchasingAgent/${field}/${i}`, `unknown reason code "${code}"`);
      });
    }
    for (const [field, money] of [
      ['domesticReturnShipping', pa.domesticReturnShipping],
      ['overQuotaFee', pa.overQuotaFee ?? {}],
    ] as const) {
      for (const currency of Object.keys(money)) {
        if (!isCurrency(currency))
          add(`/purchasingAgent/${field}/${currency}`, `unknown currency "${currency}"`);
      }
    }
  }

  checkCurrencies(policy.returnShippingFee, '/returnShippingFee', add);
  checkCurrencies(policy.autoApprove.maxRefundAmount, '/autoApprove/maxRefundAmount', add);
  checkCurrencies(policy.returnlessMaxAmount, '/returnlessMaxAmount', add);

  const ids = new Set<string>();
  policy.rules.forEach((rule, i) => {
    const at = `/rules/${i}`;
    if (ids.has(rule.id)) add(`${at}/id`, `rule id "${rule.id}" is used more than once`);
    ids.add(rule.id);
    checkCondition(rule.when, `${at}/when`, 1, codes, add);
    const { action, feePercent, feeAmount, label } = rule;
    if (feePercent !== undefined && !isBasisPoints(feePercent)) {
      add(`${at}/feePercent`, 'use at most two decimals (12.5 or 12.25)');
    }
    if (action === 'fee') {
      if (feePercent === undefined && feeAmount === undefined) {
        add(`${at}/action`, 'a fee rule needs feePercent or feeAmount');
      }
    } else {
      if (feePercent !== undefined) add(`${at}/feePercent`, 'feePercent only goes with the fee action');
      if (feeAmount !== undefined) add(`${at}/feeAmount`, 'feeAmount only goes with the fee action');
      if (label !== undefined) add(`${at}/label`, 'label only goes with the fee action');
    }
    if (feeAmount) checkCurrencies(feeAmount, `${at}/feeAmount`, add);
  });

  return problems;
}

// Not JSON-schema multipleOf: validators test it in floating point and refuse 0.07 or 33.33.
function isBasisPoints(percent: number): boolean {
  return Math.abs(percent * 100 - Math.round(percent * 100)) < 1e-6;
}

function checkCurrencies(map: MoneyByCurrency, path: string, add: (path: string, message: string) => void) {
  for (const code of Object.keys(map)) {
    if (!isCurrency(code)) add(`${path}/${code}`, `"${code}" is not a known currency code`);
  }
}

function checkCondition(
  c: Condition,
  path: string,
  depth: number,
  reasonCodes: Set<string>,
  add: (path: string, message: string) => void,
): void {
  if (depth > MAX_CONDITION_DEPTH) {
    add(path, `conditions may nest at most ${MAX_CONDITION_DEPTH} levels deep`);
    return;
  }
  if ('all' in c) {
    c.all.forEach((x, i) => {
      checkCondition(x, `${path}/all/${i}`, depth + 1, reasonCodes, add);
    });
    return;
  }
  if ('any' in c) {
    c.any.forEach((x, i) => {
      checkCondition(x, `${path}/any/${i}`, depth + 1, reasonCodes, add);
    });
    return;
  }
  if ('not' in c) {
    checkCondition(c.not, `${path}/not`, depth + 1, reasonCodes, add);
    return;
  }
  const spec = (RULE_FIELDS as Record<string, { kind: string; nullable: boolean }>)[c.field];
  if (!spec) {
    add(`${path}/field`, `unknown field "${c.field}"; known fields: ${Object.keys(RULE_FIELDS).join(', ')}`);
    return;
  }
  const problem = comparisonProblem(spec.kind, c.op, c.value);
  if (problem) add(`${path}/value`, `${c.field} ${c.op}: ${problem}`);
  if (c.field === 'line.reasonCode') {
    const values = Array.isArray(c.value) ? c.value : [c.value];
    for (const v of values) {
      if (typeof v === 'string' && !reasonCodes.has(v) && c.op !== 'starts_with') {
        add(`${path}/value`, `unknown reason code "${v}"`);
      }
    }
  }
}

function comparisonProblem(kind: string, op: RuleOperator, value: unknown): string | null {
  const isMoneyMap = typeof value === 'object' && value !== null && !Array.isArray(value);
  if (value === null) return op === 'eq' || op === 'ne' ? null : 'null only goes with eq or ne';
  if (op === 'in' || op === 'not_in') {
    if (!Array.isArray(value)) return 'needs an array of values';
    const want = kind === 'string' ? 'string' : kind === 'boolean' ? 'boolean' : 'number';
    return value.every((v) => typeof v === want) ? null : `every value must be a ${want}`;
  }
  if (op === 'starts_with') {
    if (kind !== 'string') return 'starts_with only goes with text fields';
    const ok =
      typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
    return ok ? null : 'needs a text prefix or an array of them';
  }
  if (Array.isArray(value)) return 'an array only goes with in, not_in or starts_with';
  switch (kind) {
    case 'money':
      return typeof value === 'number' || isMoneyMap ? null : 'needs a per-currency amount map or a number';
    case 'number':
      return typeof value === 'number' ? null : 'needs a number';
    case 'string':
      if (op !== 'eq' && op !== 'ne')
        return 'text can only be compared with eq, ne, in, not_in or starts_with';
      return typeof value === 'string' ? null : 'needs a text value';
    case 'boolean':
      if (op !== 'eq' && op !== 'ne') return 'true / false can only be compared with eq or ne';
      return typeof value === 'boolean' ? null : 'needs true or false';
    default:
      return null;
  }
}
