import {
  type Comparison,
  type Condition,
  MAX_CONDITION_DEPTH,
  RULE_FIELDS,
  type Rule,
} from './policy-schema.ts';

/** A rule field's value for one requested line; null when it does not apply (not delivered yet). */
export type FieldValue = string | number | boolean | null;

// --- conditions ---------------------------------------------------------------------------

/** Unknown fields, mismatched types and over-deep nesting make a condition false, never throw. */
export function holds(
  c: Condition,
  values: Record<string, FieldValue>,
  currency: string,
  depth: number,
): boolean {
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

/** Categories and rule values compare without case or surrounding spaces. */
export function normalize(s: string): string {
  return s.trim().toLowerCase();
}

/** The rule's own message for the customer, or a generic sentence when it has none. */
export function ruleMessage(rule: Rule): string {
  const m = typeof rule.message === 'string' ? rule.message.trim() : '';
  return m || 'A rule of our return policy applies to this request.';
}
