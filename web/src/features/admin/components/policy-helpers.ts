import { isApiError } from '../../../lib/api.ts';
import { type Translate, tOr } from '../../../lib/i18n/i18n-provider.tsx';

/** The policy as the editor holds it: plain JSON, so fields the form does not know survive. */
export type PolicyDoc = Record<string, unknown>;

/** One problem the server found, at a JSON pointer into the policy (`/rules/0/message`). */
export type PolicyProblem = { path: string; message: string };

/** One difference between two policies, at a path of field names, rule ids and reason codes. */
export type PolicyChange = {
  path: string[];
  change: 'added' | 'removed' | 'changed' | 'reordered';
  before?: unknown;
  after?: unknown;
};

/** Lists whose entries have a name of their own: rows are matched by it, not by position. */
const KEYED_LISTS: Record<string, string> = { rules: 'id', reasons: 'code' };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Structural equality of JSON values (key order does not matter). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]))
    );
  }
  if (!isObject(a) || !isObject(b)) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => k in b && sameJson(a[k], b[k]));
}

/** The names of a keyed list (rule ids), or null when some entry has none or one repeats. */
function namesOf(list: unknown[], key: string): string[] | null {
  const names = list.map((x) => (isObject(x) && typeof x[key] === 'string' ? (x[key] as string) : null));
  if (names.some((n) => n === null)) return null;
  return new Set(names).size === names.length ? (names as string[]) : null;
}

/**
 * What changed from `before` to `after`, field by field: rules and reasons are matched by id and
 * code (a moved rule is "reordered", not rewritten), a rule's condition counts as one value, and
 * lists of plain values (reason codes, address lines) compare as a whole.
 */
export function diffPolicies(before: unknown, after: unknown): PolicyChange[] {
  const out: PolicyChange[] = [];
  walk(before, after, [], out);
  return out;
}

function walk(a: unknown, b: unknown, path: string[], out: PolicyChange[]): void {
  if (sameJson(a, b)) return;
  if (a === undefined) {
    out.push({ path, change: 'added', after: b });
    return;
  }
  if (b === undefined) {
    out.push({ path, change: 'removed', before: a });
    return;
  }
  const last = path[path.length - 1] ?? '';
  const key = KEYED_LISTS[last];
  if (key && Array.isArray(a) && Array.isArray(b)) {
    const na = namesOf(a, key);
    const nb = namesOf(b, key);
    if (na && nb) {
      const inB = new Set(nb);
      const inA = new Set(na);
      const kept = na.filter((n) => inB.has(n));
      const keptAfter = nb.filter((n) => inA.has(n));
      if (kept.some((n, i) => keptAfter[i] !== n)) {
        out.push({ path, change: 'reordered', before: kept, after: keptAfter });
      }
      na.forEach((n, i) => {
        walk(a[i], inB.has(n) ? b[nb.indexOf(n)] : undefined, [...path, n], out);
      });
      nb.forEach((n, i) => {
        if (!inA.has(n)) walk(undefined, b[i], [...path, n], out);
      });
      return;
    }
  }
  if (isObject(a) && isObject(b) && last !== 'when') {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))];
    for (const k of keys) walk(a[k], b[k], [...path, k], out);
    return;
  }
  out.push({ path, change: 'changed', before: a, after: b });
}

/** The server's problems with the policy: 422 `invalid_policy` and 400 `validation_failed` details. */
export function problemsOf(error: unknown): PolicyProblem[] {
  if (!error) return [];
  if (isApiError(error) && Array.isArray(error.details) && error.details.length > 0) {
    return (error.details as { path?: unknown; message?: unknown }[]).map((d) => ({
      // Schema errors say `body/rules/0`; the policy's own checks say `/rules/0`.
      path: String(d.path ?? '').replace(/^body(?=\/|$)/, ''),
      message: String(d.message ?? ''),
    }));
  }
  return [{ path: '', message: error instanceof Error ? error.message : '' }];
}

const capitalised = (s: string) => {
  const text = s.trim().replace(/[.]$/, '');
  return text ? `${text.charAt(0).toUpperCase()}${text.slice(1)}.` : '';
};

const PATTERNS: Record<string, string> = {
  '^[a-z][a-z0-9_]*$': 'admin.policy.err.codePattern',
  '^[a-z0-9][a-z0-9_-]*$': 'admin.policy.err.idPattern',
  '^[A-Z]{3}$': 'admin.policy.err.currencyPattern',
};

/**
 * A problem as a sentence to show at its field. The schema validator's terse phrases
 * ("must be >= 0") become plain words; the policy checks already speak in words and are only
 * given a capital and a full stop.
 */
export function problemSentence(message: string, t: Translate): string {
  const m = message.trim();
  for (const [pattern, say] of AJV_PHRASES) {
    const x = m.match(pattern);
    if (x) return say(x, t) ?? capitalised(m);
  }
  return capitalised(m);
}

/** The validator's phrases we know, each with its sentence (null: keep the phrase as it is). */
const AJV_PHRASES: [RegExp, (x: RegExpMatchArray, t: Translate) => string | null][] = [
  [/^must be integer$/, (_, t) => t('admin.policy.err.integer')],
  [/^must be number$/, (_, t) => t('admin.policy.err.number')],
  [/^must be string$/, (_, t) => t('admin.policy.err.string')],
  [/^must be boolean$/, (_, t) => t('admin.policy.err.boolean')],
  [/^must be >= (-?[\d.]+)$/, (x, t) => t('admin.policy.err.min', { n: x[1]! })],
  [/^must be <= (-?[\d.]+)$/, (x, t) => t('admin.policy.err.max', { n: x[1]! })],
  [
    /^must NOT have fewer than (\d+) characters$/,
    (x, t) => (x[1] === '1' ? t('admin.policy.err.empty') : t('admin.policy.err.minLength', { n: x[1]! })),
  ],
  [/^must NOT have more than (\d+) characters$/, (x, t) => t('admin.policy.err.maxLength', { n: x[1]! })],
  [/^must NOT have fewer than (\d+) items$/, (x, t) => t('admin.policy.err.minItems', { n: x[1]! })],
  [/^must NOT have more than (\d+) items$/, (x, t) => t('admin.policy.err.maxItems', { n: x[1]! })],
  [
    /^must match pattern "(.*)"$/,
    (x, t) => {
      const key = PATTERNS[x[1]!];
      return key ? tOr(t, key, x[0]) : t('admin.policy.err.pattern');
    },
  ],
  [/^must be equal to (one of the allowed values|constant)$/, (_, t) => t('admin.policy.err.oneOf')],
  [/^must match a schema in anyOf$/, (_, t) => t('admin.policy.err.anyOf')],
];

/** A label for one segment of a path: a field's name in words, else the segment as it is. */
export function segmentLabel(segment: string, t: Translate): string {
  return tOr(t, `admin.policy.field.${segment}`, segment);
}

/**
 * Where a problem is, in words: "Rules › coats-review › Message". Row numbers of rules and
 * reasons are replaced by their id or code when the policy has one there.
 */
export function placeOf(path: string, policy: PolicyDoc | null, t: Translate): string {
  const parts = path.split('/').filter(Boolean);
  const words: string[] = [];
  let here: unknown = policy;
  parts.forEach((p, i) => {
    const parent = parts[i - 1] ?? '';
    const next = Array.isArray(here) ? here[Number(p)] : isObject(here) ? here[p] : undefined;
    const key = KEYED_LISTS[parent];
    if (key && /^\d+$/.test(p)) {
      const name = isObject(next) && typeof next[key] === 'string' ? (next[key] as string) : '';
      words.push(name || t('admin.policy.rowN', { n: Number(p) + 1 }));
    } else if (/^\d+$/.test(p)) {
      words.push(t('admin.policy.rowN', { n: Number(p) + 1 }));
    } else {
      words.push(segmentLabel(p, t));
    }
    here = next;
  });
  return words.join(' › ');
}

/** A JSON value as short text for a diff cell. */
export function shortValue(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

export type Path = (string | number)[];

/**
 * `doc` with the value at `path` replaced; `undefined` removes an object's field (an optional
 * setting left empty). Everything else is shared, untouched, so unknown fields survive.
 */
export function setIn(doc: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...Path];
  if (Array.isArray(doc) && typeof head === 'number') {
    const copy = [...doc];
    copy[head] = setIn(doc[head], rest, value);
    return copy;
  }
  const obj = isObject(doc) ? doc : {};
  const next = setIn(obj[head], rest, value);
  const copy = { ...obj };
  if (next === undefined) delete copy[head];
  else copy[head] = next;
  return copy;
}

/** The value at `path`, or undefined. */
export function getIn(doc: unknown, path: Path): unknown {
  let here = doc;
  for (const p of path) {
    if (Array.isArray(here) && typeof p === 'number') here = here[p];
    else if (isObject(here)) here = here[p];
    else return undefined;
  }
  return here;
}

/** `list` with the entry at `from` moved to `to` (both clamped to the list). */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const copy = [...list];
  const target = Math.max(0, Math.min(copy.length - 1, to));
  const [item] = copy.splice(from, 1);
  if (item !== undefined) copy.splice(target, 0, item);
  return copy;
}

/** An object's fields in the same order with one key renamed; null when `to` is taken or empty. */
export function renameKey(
  obj: Record<string, unknown>,
  from: string,
  to: string,
): Record<string, unknown> | null {
  if (to === from) return obj;
  if (!to || to in obj) return null;
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k === from ? to : k, v]));
}

/** A path as the JSON pointer the server's problems use (`/rules/0/when`). */
export function pointerOf(path: Path): string {
  return path.length ? `/${path.join('/')}` : '';
}
