import { chiSquare1UpperTail, gSquared } from './stats.ts';

/**
 * Complaint themes: the phrases over-represented in one SKU's (or category's) return notes
 * against the rest of the tenant's, in English and Simplified Chinese, near-duplicates grouped.
 * Pure: notes in, ranked phrase groups out. See docs/analytics.md.
 */

const STOPWORDS = new Set(
  (
    'a about after again all also am an and any are as at be been before being but by can could did do does ' +
    'doing for from had has have having he her here hers him his how i if in into is it its itself just me ' +
    'more most my no nor not now of off on once only or other our ours out over own same she should so some ' +
    'such than that the their theirs them then there these they this those through to too under until up ' +
    'very was we were what when where which while who whom why will with would you your yours hi hello ' +
    'thanks thank please unfortunately sadly really get got one two im ive dont'
  ).split(' '),
);

/** Characters that carry no theme on their own in Chinese notes. */
const ZH_STOP = new Set('的了是我你您他她它们在有和就不也都很还吗呢吧啊呀哦嗯'.split(''));

const HAN = /\p{Script=Han}/u;
const CLAUSE_SPLIT = /[.,!?;:()[\]"“”‘’…\n\r\t。，！？；：、（）【】《》「」—~]+/u;

export type Phrase = { text: string; lang: 'en' | 'zh' };

/** Lowercased word tokens of an English clause (apostrophes dropped: "don't" → "dont"). */
function words(clause: string): string[] {
  return clause
    .toLowerCase()
    .replace(/['’]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0 && !HAN.test(w));
}

/**
 * The distinct phrases of one note: English unigrams, bigrams and trigrams that neither start nor
 * end with a stopword (and are not all digits); Chinese character n-grams of 2–5 characters
 * within runs of Han characters (no segmenter: n-grams find "拉链坏了" without a dictionary).
 */
export function phrasesOf(note: string, maxZh = 5): Set<string> {
  const out = new Set<string>();
  for (const clause of note.split(CLAUSE_SPLIT)) {
    if (!clause.trim()) continue;
    // Han runs.
    for (const run of clause.match(/\p{Script=Han}+/gu) ?? []) {
      const chars = [...run];
      for (let n = 2; n <= maxZh; n++) {
        for (let i = 0; i + n <= chars.length; i++) {
          const g = chars.slice(i, i + n);
          if (ZH_STOP.has(g[0]!) && n === 2 && ZH_STOP.has(g[1]!)) continue;
          out.add(g.join(''));
        }
      }
    }
    // Latin words.
    const ws = words(clause.replace(/\p{Script=Han}+/gu, ' '));
    for (let n = 1; n <= 3; n++) {
      for (let i = 0; i + n <= ws.length; i++) {
        const g = ws.slice(i, i + n);
        if (STOPWORDS.has(g[0]!) || STOPWORDS.has(g[n - 1]!)) continue;
        if (g.every((w) => /^\p{N}+$/u.test(w))) continue;
        if (n === 1 && g[0]!.length < 3) continue;
        out.add(g.join(' '));
      }
    }
  }
  return out;
}

export type ThemeOptions = {
  /** A phrase must appear in at least this many of the target's notes. */
  minSupport: number;
  /** Smoothed lift (target share ÷ reference share) must be at least this. */
  minLift: number;
  /** G² must exceed this (10.83 ≈ p < 0.001 for one degree of freedom). */
  minG2: number;
  /** How many groups to answer. */
  limit: number;
};

export const DEFAULT_THEME_OPTIONS: ThemeOptions = { minSupport: 3, minLift: 2, minG2: 10.83, limit: 10 };

export type PhraseStat = { phrase: string; count: number; baselineCount: number; lift: number; g2: number };

export type Theme = PhraseStat & {
  /** Share of the target's notes with this phrase. */
  share: number;
  pValue: number;
  /** Near-duplicates folded into this one (sub-phrases, reorderings, inflections), with their counts. */
  variants: { phrase: string; count: number }[];
};

/** Documents per phrase over a set of notes. */
export function countPhrases(notes: Iterable<string>): { docs: number; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  let docs = 0;
  for (const note of notes) {
    if (!note?.trim()) continue;
    docs++;
    for (const p of phrasesOf(note)) counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  return { docs, counts };
}

/** A crude stem for grouping only (never for counting): "broken" and "broke" meet at "broke". */
function stem(w: string): string {
  return w.length > 5 ? w.slice(0, 5) : w.replace(/(es|s)$/, '');
}

function isHan(p: string): boolean {
  return HAN.test(p);
}

/** Near-duplicates: one Chinese phrase inside the other, or English phrases whose stems mostly coincide. */
export function similarPhrases(a: string, b: string): boolean {
  if (isHan(a) !== isHan(b)) return false;
  if (isHan(a)) {
    if (a.includes(b) || b.includes(a)) return true;
    // Overlapping n-grams of one phrase ("拉链坏" / "链坏了"): the longer shares all but one character.
    const [s, l] = a.length <= b.length ? [a, b] : [b, a];
    return s.length >= 3 && (l.includes(s.slice(1)) || l.includes(s.slice(0, -1)));
  }
  const sa = new Set(a.split(' ').map(stem));
  const sb = new Set(b.split(' ').map(stem));
  let shared = 0;
  for (const x of sa) if (sb.has(x)) shared++;
  const smaller = Math.min(sa.size, sb.size);
  return shared === smaller || shared / (sa.size + sb.size - shared) >= 0.5;
}

/**
 * Over-represented phrases of `target` against `reference` (the rest of the tenant), grouped.
 * Lift is smoothed (add ½ to each count) so a phrase absent from the reference does not get an
 * infinite lift; the ranking is by that lift among phrases that pass support and G².
 */
export function extractThemes(
  target: { docs: number; counts: Map<string, number> },
  reference: { docs: number; counts: Map<string, number> },
  options: Partial<ThemeOptions> = {},
): Theme[] {
  const o = { ...DEFAULT_THEME_OPTIONS, ...options };
  if (target.docs === 0) return [];
  const stats: PhraseStat[] = [];
  for (const [phrase, a] of target.counts) {
    if (a < o.minSupport) continue;
    const b = reference.counts.get(phrase) ?? 0;
    const lift = (a + 0.5) / (target.docs + 1) / ((b + 0.5) / (reference.docs + 1));
    if (lift < o.minLift) continue;
    const g2 = gSquared(a, target.docs, b, reference.docs);
    if (g2 < o.minG2) continue;
    stats.push({ phrase, count: a, baselineCount: b, lift, g2 });
  }
  // Most supported first, longer first among equals, so a group's first member is its broadest.
  stats.sort((x, y) => y.count - x.count || y.phrase.length - x.phrase.length || y.g2 - x.g2);
  const groups: PhraseStat[][] = [];
  for (const s of stats) {
    const g = groups.find((members) => members.some((m) => similarPhrases(m.phrase, s.phrase)));
    if (g) g.push(s);
    else groups.push([s]);
  }
  const themes = groups.map((members) => {
    // The label: the member that best trades support for specificity ("zipper broke" over
    // "zipper" when most notes say so; a long variant only a few notes share loses).
    const label = [...members].sort(
      (x, y) => labelScore(y) - labelScore(x) || y.g2 - x.g2 || x.phrase.localeCompare(y.phrase),
    )[0]!;
    return {
      ...label,
      share: label.count / target.docs,
      pValue: chiSquare1UpperTail(label.g2),
      variants: members
        .filter((m) => m !== label)
        .sort((x, y) => y.count - x.count || x.phrase.localeCompare(y.phrase))
        .slice(0, 8)
        .map((m) => ({ phrase: m.phrase, count: m.count })),
    };
  });
  themes.sort((x, y) => y.lift - x.lift || y.g2 - x.g2 || x.phrase.localeCompare(y.phrase));
  return themes.slice(0, o.limit);
}

/** Length in words; two Chinese characters count as one word. */
function wordsIn(p: string): number {
  return isHan(p) ? [...p].length / 2 : p.split(' ').length;
}

function labelScore(s: PhraseStat): number {
  return s.count * (1 + 0.5 * (Math.max(1, wordsIn(s.phrase)) - 1));
}

/** The reference is the tenant minus the target: subtract the target's counts from the tenant's. */
export function subtractCounts(
  all: { docs: number; counts: Map<string, number> },
  part: { docs: number; counts: Map<string, number> },
): { docs: number; counts: Map<string, number> } {
  const counts = new Map(all.counts);
  for (const [p, n] of part.counts) {
    const left = (counts.get(p) ?? 0) - n;
    if (left > 0) counts.set(p, left);
    else counts.delete(p);
  }
  return { docs: Math.max(0, all.docs - part.docs), counts };
}
