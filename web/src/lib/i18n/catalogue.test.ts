import { describe, expect, it } from 'vitest';
import { en, type MessageKey } from './en.ts';
import { es } from './es.ts';
import { zhCN } from './zh-CN.ts';

const keysOf = (prefix: string) => (Object.keys(en) as MessageKey[]).filter((k) => k.startsWith(prefix));
const consoleKeys = keysOf('console.');
const adminKeys = keysOf('admin.');
const analyticsKeys = keysOf('analytics.');
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

// Staff text a Chinese reader sees exactly as in English, on purpose. Add a key here (with the
// reason) rather than leave English in zh-CN.ts by oversight.
const SAME_IN_CHINESE: ReadonlySet<MessageKey> = new Set<MessageKey>([
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
    const untranslated = keys.filter((k) => zhCN[k] === en[k] && !SAME_IN_CHINESE.has(k));
    expect(untranslated).toEqual([]);
  });

  it('keeps every placeholder of the English text in each translation', () => {
    const broken = Object.entries({ 'zh-CN': zhCN, es }).flatMap(([locale, messages]) =>
      (Object.keys(en) as MessageKey[])
        .filter((k) => placeholders(messages[k]).join() !== placeholders(en[k]).join())
        .map((k) => `${locale} ${k}`),
    );
    expect(broken).toEqual([]);
  });
});
