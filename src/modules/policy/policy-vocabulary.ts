/**
 * The words of the policy language: the fields a rule can test, its operators and actions, and
 * what a customer may ask for. No schema library here, so the web app's policy form imports the
 * same lists without the validator.
 */

/** Every field a rule condition can read; the kind says which operators and values fit. */
export const RULE_FIELDS = {
  'order.total': { kind: 'money', nullable: false },
  'order.currency': { kind: 'string', nullable: false },
  'order.daysSincePlaced': { kind: 'number', nullable: false },
  'order.daysSinceDelivery': { kind: 'number', nullable: true },
  'order.lineCount': { kind: 'number', nullable: false },
  'line.sku': { kind: 'string', nullable: false },
  'line.category': { kind: 'string', nullable: false },
  'line.unitPrice': { kind: 'money', nullable: false },
  'line.quantity': { kind: 'number', nullable: false },
  'line.reasonCode': { kind: 'string', nullable: false },
  'line.merchantFault': { kind: 'boolean', nullable: false },
  'line.stage': { kind: 'string', nullable: true },
  'line.sellerWindowDaysLeft': { kind: 'number', nullable: true },
  'customer.orderCount': { kind: 'number', nullable: false },
  'customer.returnCount': { kind: 'number', nullable: false },
  'customer.returnRate': { kind: 'number', nullable: false },
  'customer.returnsThisMonth': { kind: 'number', nullable: false },
  'customer.noReasonReturns90d': { kind: 'number', nullable: false },
  'return.itemAmount': { kind: 'money', nullable: false },
  'return.unitCount': { kind: 'number', nullable: false },
  'return.lineCount': { kind: 'number', nullable: false },
  'return.resolution': { kind: 'string', nullable: false },
} as const satisfies Record<string, { kind: 'money' | 'number' | 'string' | 'boolean'; nullable: boolean }>;
export type RuleField = keyof typeof RULE_FIELDS;

export const RULE_OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'starts_with'] as const;
export type RuleOperator = (typeof RULE_OPERATORS)[number];

export const RULE_ACTIONS = [
  'approve',
  'review',
  'reject',
  'returnless',
  'fee',
  'waive_return_shipping',
] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];
export const DECISIVE_ACTIONS: readonly RuleAction[] = ['approve', 'review', 'reject'];

/** What a customer can ask for instead of (or as) a refund. */
export const RESOLUTIONS = [
  'refund',
  'store_credit',
  'exchange',
  'replacement',
  'repair',
  'keep_item',
] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** What the policy decides about a return. */
export const DECISION_OUTCOMES = ['approved', 'needs_review', 'rejected'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];
