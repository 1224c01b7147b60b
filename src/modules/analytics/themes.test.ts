import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from './stats.ts';
import { countPhrases, extractThemes, phrasesOf, similarPhrases, subtractCounts } from './themes.ts';

describe('phrasesOf', () => {
  it('English: lowercased n-grams without stopwords at their edges, within one clause', () => {
    const p = phrasesOf('The Zipper broke, after two days.');
    expect(p).toContain('zipper');
    expect(p).toContain('zipper broke');
    expect(p).not.toContain('the zipper');
    expect(p).not.toContain('the zipper broke');
    // No n-gram across the comma.
    expect(p).not.toContain('broke after');
    expect(p).toContain('days');
  });

  it('Chinese: character n-grams of 2–5 within Han runs', () => {
    const p = phrasesOf('穿了一次拉链坏了，质量太差');
    expect(p).toContain('拉链');
    expect(p).toContain('拉链坏了');
    expect(p).toContain('质量太差');
    expect(p).not.toContain('了拉'.repeat(3));
    // Not across the comma.
    expect(p).not.toContain('坏了质');
  });

  it('mixed text keeps both scripts apart', () => {
    const p = phrasesOf('battery drains 电池不耐用');
    expect(p).toContain('battery drains');
    expect(p).toContain('电池不耐用');
    expect([...p].some((x) => /[a-z]/.test(x) && /\p{Script=Han}/u.test(x))).toBe(false);
  });

  it('never throws and answers only non-empty phrases (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        for (const p of phrasesOf(s)) expect(p.trim().length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('similarPhrases', () => {
  it('groups sub-phrases, reorderings and inflections; keeps different things apart', () => {
    expect(similarPhrases('zipper broke', 'zipper')).toBe(true);
    expect(similarPhrases('zipper broke', 'broken zipper')).toBe(true);
    expect(similarPhrases('拉链坏了', '拉链')).toBe(true);
    expect(similarPhrases('拉链坏', '链坏了')).toBe(true);
    expect(similarPhrases('zipper broke', 'battery drains')).toBe(false);
    expect(similarPhrases('拉链坏了', '电池')).toBe(false);
    expect(similarPhrases('zipper', '拉链')).toBe(false);
  });
});

/** Background notes of a shop, and a SKU whose notes carry a planted complaint in two languages. */
function corpus(seed: number) {
  const random = seededRandom(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  const background = [
    'Too small, I need a size up.',
    'Changed my mind.',
    'The colour is different from the photos.',
    'Arrived with a dent.',
    'Found a better price elsewhere.',
    'Does not fit well around the waist.',
    '尺码偏小',
    '不想要了',
    '颜色和图片不一样',
    '快递压坏了',
    'Me queda pequeño.',
  ];
  const planted = [
    'The zipper broke after two days.',
    'zipper broke the first time I wore it',
    'Zipper broke, cannot close it.',
    'the broken zipper is useless',
    '拉链坏了，拉不上。',
    '穿了一次拉链坏了',
    '拉链坏了，质量太差',
  ];
  const others = Array.from({ length: 600 }, () => pick(background));
  const sku = [
    ...Array.from({ length: 25 }, () => pick(background)),
    ...Array.from({ length: 18 }, () => pick(planted)),
  ];
  return { others, sku };
}

describe('extractThemes', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: finds the planted phrase in English and Chinese, grouped with its variants`, () => {
      const { others, sku } = corpus(seed);
      const target = countPhrases(sku);
      const all = countPhrases([...others, ...sku]);
      const themes = extractThemes(target, subtractCounts(all, target));
      const labels = themes.map((t) => t.phrase);
      expect(labels).toContain('zipper broke');
      expect(labels).toContain('拉链坏了');
      // Near-duplicates fold into one group each: no separate "zipper" or "拉链" theme.
      expect(labels).not.toContain('zipper');
      expect(labels).not.toContain('拉链');
      const en = themes.find((t) => t.phrase === 'zipper broke')!;
      expect(en.variants.map((v) => v.phrase)).toContain('zipper');
      expect(en.count).toBeGreaterThanOrEqual(3);
      expect(en.lift).toBeGreaterThan(2);
      expect(en.pValue).toBeLessThan(0.001);
      // Background complaints are not themes of this SKU.
      expect(labels.some((l) => l.includes('size') || l.includes('尺码'))).toBe(false);
    });
  }

  it('a SKU whose notes look like everyone else’s has no themes', () => {
    const { others } = corpus(9);
    const target = countPhrases(others.slice(0, 60));
    const reference = countPhrases(others.slice(60));
    expect(extractThemes(target, reference)).toEqual([]);
  });

  it('needs minimum support: two mentions are not a theme', () => {
    const target = countPhrases(['The strap snapped.', 'strap snapped again', 'ok']);
    const reference = countPhrases(Array.from({ length: 200 }, () => 'Changed my mind.'));
    expect(extractThemes(target, reference)).toEqual([]);
    expect(extractThemes(target, reference, { minSupport: 2, minG2: 3 }).map((t) => t.phrase)).toContain(
      'strap snapped',
    );
  });
});
