import { defaultPolicy } from '@contract/policy.ts';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/api.ts';
import { translator } from '../../../lib/i18n/i18n-provider.tsx';
import '../../../lib/i18n/staff-catalogues.ts';
import {
  diffPolicies,
  moveItem,
  placeOf,
  problemSentence,
  problemsOf,
  renameKey,
  sameJson,
  setIn,
} from './policy-helpers.ts';

const t = translator('en');
const base = () => defaultPolicy() as unknown as Record<string, unknown>;
type Rule = { id: string; action: string; message: string };

describe('diffPolicies', () => {
  it('finds nothing between a policy and a copy of it with its keys in another order', () => {
    const p = base();
    const shuffled = Object.fromEntries(Object.entries(p).reverse());
    expect(diffPolicies(p, shuffled)).toEqual([]);
    expect(sameJson(p, shuffled)).toBe(true);
  });

  it('reports a changed field, an amount per currency, and an added optional field by their paths', () => {
    const before = base();
    const after = setIn(
      setIn(setIn(before, ['returnWindowDays'], 45), ['returnShippingFee', 'USD'], 700),
      ['returnAddress'],
      { name: 'Returns', lines: ['1 Main St'] },
    );
    expect(diffPolicies(before, after)).toEqual([
      { path: ['returnWindowDays'], change: 'changed', before: 30, after: 45 },
      { path: ['returnShippingFee', 'USD'], change: 'changed', before: 595, after: 700 },
      { path: ['returnAddress'], change: 'added', after: { name: 'Returns', lines: ['1 Main St'] } },
    ]);
  });

  it('matches rules by id: a moved rule is reordered, an edited one names its field, a new one is added', () => {
    const before = base();
    const rules = before.rules as Rule[];
    const [first, second] = rules as [Rule, Rule];
    const added = { id: 'coats', when: { field: 'line.category', op: 'eq', value: 'outerwear' } };
    const after = { ...before, rules: [{ ...second, message: 'Changed.' }, first, added] };
    expect(diffPolicies(before, after)).toEqual([
      { path: ['rules'], change: 'reordered', before: [first.id, second.id], after: [second.id, first.id] },
      { path: ['rules', second.id, 'message'], change: 'changed', before: second.message, after: 'Changed.' },
      { path: ['rules', 'coats'], change: 'added', after: added },
    ]);
  });

  it('treats a condition as one value and reports a removed reason by its code', () => {
    const before = base();
    const rules = before.rules as { id: string; when: unknown }[];
    const reasons = before.reasons as { code: string }[];
    const after = {
      ...before,
      rules: rules.map((r, i) => (i === 0 ? { ...r, when: { field: 'line.sku', op: 'eq', value: 'X' } } : r)),
      reasons: reasons.slice(1),
    };
    const changes = diffPolicies(before, after);
    expect(changes).toContainEqual({
      path: ['rules', rules[0]!.id, 'when'],
      change: 'changed',
      before: rules[0]!.when,
      after: { field: 'line.sku', op: 'eq', value: 'X' },
    });
    expect(changes).toContainEqual({
      path: ['reasons', reasons[0]!.code],
      change: 'removed',
      before: reasons[0],
    });
    expect(changes).toHaveLength(2);
  });

  it('compares lists without ids by position when two rules share an id', () => {
    const before = {
      rules: [
        { id: 'a', message: 'x' },
        { id: 'a', message: 'y' },
      ],
    };
    const after = { rules: [{ id: 'a', message: 'x' }] };
    expect(diffPolicies(before, after)).toEqual([
      { path: ['rules'], change: 'changed', before: before.rules, after: after.rules },
    ]);
  });
});

describe('setIn, moveItem, renameKey', () => {
  it('replaces one value and keeps every other field, known to the form or not', () => {
    const doc = { a: 1, purchasingAgent: { qcWindowDays: 3 }, rules: [{ id: 'x' }, { id: 'y' }] };
    const next = setIn(doc, ['rules', 1, 'id'], 'z') as typeof doc;
    expect(next).toEqual({ a: 1, purchasingAgent: { qcWindowDays: 3 }, rules: [{ id: 'x' }, { id: 'z' }] });
    expect(next.purchasingAgent).toBe(doc.purchasingAgent);
    expect(doc.rules[1]!.id).toBe('y');
  });

  it('removes an optional field when given undefined', () => {
    expect(setIn({ a: 1, shipWithinDays: 10 }, ['shipWithinDays'], undefined)).toEqual({ a: 1 });
  });

  it('moves a row up or down, staying inside the list', () => {
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 0, 5)).toEqual(['b', 'c', 'a']);
  });

  it('renames a key in place, refusing an empty or taken name', () => {
    const cats = { shoes: { returnable: false }, toys: {} };
    expect(Object.keys(renameKey(cats, 'shoes', 'boots')!)).toEqual(['boots', 'toys']);
    expect(renameKey(cats, 'shoes', 'toys')).toBeNull();
    expect(renameKey(cats, 'shoes', '')).toBeNull();
  });
});

describe('problems as sentences at their fields', () => {
  it('reads both error shapes: body/… from the schema check and /… from the policy check', () => {
    const schema = new ApiError(400, 'validation_failed', 'Invalid request.', [
      { path: 'body/returnWindowDays', message: 'must be integer' },
    ]);
    const policy = new ApiError(422, 'invalid_policy', 'The policy is not valid.', [
      { path: '/reasons/7/code', message: 'reason code "damaged" is used more than once' },
    ]);
    expect(problemsOf(schema)).toEqual([{ path: '/returnWindowDays', message: 'must be integer' }]);
    expect(problemsOf(policy)).toEqual([
      { path: '/reasons/7/code', message: 'reason code "damaged" is used more than once' },
    ]);
    expect(problemsOf(null)).toEqual([]);
  });

  it("turns the validator's phrases into sentences and gives the policy's own a capital and a stop", () => {
    expect(problemSentence('must be integer', t)).toBe('Use a whole number.');
    expect(problemSentence('must be >= 0', t)).toBe('Use 0 or more.');
    expect(problemSentence('must be <= 3650', t)).toBe('Use 3650 or less.');
    expect(problemSentence('must NOT have fewer than 1 characters', t)).toBe('This cannot be empty.');
    expect(problemSentence('must match pattern "^[a-z][a-z0-9_]*$"', t)).toMatch(/^Use lower-case letters/);
    expect(problemSentence('must match pattern "^[A-Z]{3}$"', t)).toBe(
      'Use a three-letter currency code, such as USD.',
    );
    expect(problemSentence('reason code "damaged" is used more than once', t)).toBe(
      'Reason code "damaged" is used more than once.',
    );
  });

  it('names the place in words, rules and reasons by their id and code', () => {
    const p = base();
    const rules = p.rules as Rule[];
    expect(placeOf('/rules/1/message', p, t)).toBe(`Rules › ${rules[1]!.id} › Message to the customer`);
    expect(placeOf('/reasons/0/code', p, t)).toBe('Reasons › changed_mind › Code');
    expect(placeOf('/returnShippingFee/XYZ', p, t)).toBe('Return shipping fee › XYZ');
    expect(placeOf('/rules/9/id', p, t)).toBe('Rules › row 10 › Rule id');
  });
});
