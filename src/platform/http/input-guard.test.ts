import { describe, expect, it } from 'vitest';
import { inputProblem, MAX_JSON_DEPTH } from './input-guard.ts';

const nest = (depth: number) => {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

describe('inputProblem', () => {
  it('takes ordinary JSON, and nesting up to the limit', () => {
    expect(inputProblem({ a: [1, 'two', { b: null }], c: '中文 ✓ 😀' })).toBeNull();
    expect(inputProblem(nest(MAX_JSON_DEPTH))).toBeNull();
  });

  it('refuses nesting past the limit without overflowing, even at 100,000 levels', () => {
    expect(inputProblem(nest(MAX_JSON_DEPTH + 1))?.code).toBe('json_too_deep');
    expect(inputProblem(JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`))?.code).toBe(
      'json_too_deep',
    );
  });

  it('refuses NUL and lone surrogates in values and keys, naming where', () => {
    expect(inputProblem({ name: 'a\u0000b' })).toEqual({ code: 'invalid_characters', path: '/name' });
    expect(inputProblem({ lines: [{ note: 'x\uD800' }] })).toEqual({
      code: 'invalid_characters',
      path: '/lines/0/note',
    });
    expect(inputProblem({ '\uDC00': 1 })?.code).toBe('invalid_characters');
    expect(inputProblem('\u0000')?.code).toBe('invalid_characters');
  });
});
