/**
 * What no route takes, checked once for every request before validation: JSON nested deeper than
 * MAX_JSON_DEPTH (recursive code downstream — hashing, recursive schemas — would overflow the
 * stack), and strings with NUL or lone UTF-16 surrogates (PostgreSQL refuses them, and no name,
 * note or id needs them).
 */
export const MAX_JSON_DEPTH = 32;

export type InputProblem = { code: 'json_too_deep' | 'invalid_characters'; path: string };

export function inputProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): InputProblem | null {
  // Iterative: the input that this guards against would overflow a recursive walk.
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (!isCleanText(v)) return { code: 'invalid_characters', path: path || '/' };
      continue;
    }
    if (v === null || typeof v !== 'object' || Buffer.isBuffer(v)) continue;
    if (depth >= maxDepth) return { code: 'json_too_deep', path: path || '/' };
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], depth: depth + 1, path: `${path}/${i}` });
      continue;
    }
    for (const [k, child] of Object.entries(v)) {
      if (!isCleanText(k)) return { code: 'invalid_characters', path: `${path}/${k.replace(/\0/g, '\\0')}` };
      stack.push({ v: child, depth: depth + 1, path: `${path}/${k}` });
    }
  }
  return null;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one (code units,
// hence no `u` flag). String#isWellFormed says the same but is ES2024, past our Node 20 floor's lib.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** No NUL, and every surrogate paired (well-formed UTF-16, so it can be stored as UTF-8). */
export function isCleanText(s: string): boolean {
  return !s.includes('\0') && !LONE_SURROGATE.test(s);
}
