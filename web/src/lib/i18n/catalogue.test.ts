import { describe, expect, it } from 'vitest';
import { en, type MessageKey } from './en.ts';
import { es } from './es.ts';
import { zhCN } from './zh-CN.ts';

const consoleKeys = (Object.keys(en) as MessageKey[]).filter((k) => k.startsWith('console.'));
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

// Console text a Chinese agent reads exactly as in English, on purpose. Empty today: add a key
// here (with the reason) rather than leave English in zh-CN.ts by oversight.
const SAME_IN_CHINESE: ReadonlySet<MessageKey> = new Set<MessageKey>([]);

describe('message catalogues', () => {
  it('has the agent console in the catalogues', () => {
    expect(consoleKeys.length).toBeGreaterThan(300);
  });

  it('leaves no console text in English in Simplified Chinese', () => {
    const untranslated = consoleKeys.filter((k) => zhCN[k] === en[k] && !SAME_IN_CHINESE.has(k));
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
