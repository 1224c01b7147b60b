import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { es } from './es.ts';
import { type StaffMessageKey, staffEn } from './staff-en.ts';
import { staffEs } from './staff-es.ts';
import { staffZhCN } from './staff-zh-CN.ts';
import { zhCN } from './zh-CN.ts';

const keysOf = (prefix: string) =>
  (Object.keys(staffEn) as StaffMessageKey[]).filter((k) => k.startsWith(prefix));
const consoleKeys = keysOf('console.');
const adminKeys = keysOf('admin.');
const analyticsKeys = keysOf('analytics.');
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

// Staff text a Chinese reader sees exactly as in English, on purpose. Add a key here (with the
// reason) rather than leave English in zh-CN.ts by oversight.
const SAME_IN_CHINESE: ReadonlySet<StaffMessageKey> = new Set<StaffMessageKey>([
  // Punctuation-only frames around data: nothing to translate.
  'analytics.quoted',
]);

describe('message catalogues', () => {
  it('has the agent console, the administration and the analytics in the catalogues', () => {
    expect(consoleKeys.length).toBeGreaterThan(300);
    expect(adminKeys.length).toBeGreaterThan(150);
    expect(analyticsKeys.length).toBeGreaterThan(200);
  });

  it.each([
    ['console', consoleKeys],
    ['admin', adminKeys],
    ['analytics', analyticsKeys],
  ])('leaves no %s text in English in Simplified Chinese', (_, keys) => {
    const untranslated = keys.filter((k) => staffZhCN[k] === staffEn[k] && !SAME_IN_CHINESE.has(k));
    expect(untranslated).toEqual([]);
  });

  it('keeps every placeholder of the English text in each translation', () => {
    type Catalogue = Record<string, string>;
    const sets: { english: Catalogue; translations: Record<string, Catalogue> }[] = [
      { english: en, translations: { 'zh-CN': zhCN, es } },
      { english: staffEn, translations: { 'zh-CN': staffZhCN, es: staffEs } },
    ];
    const broken = sets.flatMap(({ english, translations }) =>
      Object.entries(translations).flatMap(([locale, messages]) =>
        Object.keys(english)
          .filter((k) => placeholders(messages[k]!).join() !== placeholders(english[k]!).join())
          .map((k) => `${locale} ${k}`),
      ),
    );
    expect(broken).toEqual([]);
  });

  it("keeps staff text out of the customers' catalogue, which every page downloads", () => {
    expect(Object.keys(en).filter((k) => /^(console|admin|analytics)\./.test(k))).toEqual([]);
  });

  it('speaks to the reader in one register in Chinese: the polite 您, never 你', () => {
    const informal = (texts: Record<string, string>) =>
      Object.entries(texts).filter(([, v]) => v.includes('你'));
    expect(informal(zhCN)).toEqual([]);
    expect(informal(staffZhCN)).toEqual([]);
  });
});
