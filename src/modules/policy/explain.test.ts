import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from './default-policy.ts';
import { assessReturn, decideReturn } from './evaluate-policy.ts';
import { EXPLAIN_LOCALES, explainLocale, explainText } from './explain.ts';

const now = new Date('2026-03-01T12:00:00Z');
const line = {
  orderLineId: 'l1',
  sku: 'JKT',
  title: 'Rain jacket',
  category: 'outerwear',
  unitPrice: 9_000,
  boughtQuantity: 1,
  remainingQuantity: 1,
  quantity: 1,
  reasonCode: 'wrong_size',
  hasEvidence: false,
};
const order = {
  currency: 'USD',
  total: 9_000,
  placedAt: '2026-02-20T10:00:00Z',
  deliveredAt: '2026-02-24T10:00:00Z',
  lineCount: 1,
};

describe('explanations in the customer’s language', () => {
  it('writes the same decision in English, Simplified Chinese and Spanish', () => {
    const policy = defaultPolicy();
    const a = assessReturn(policy, {
      order,
      lines: [line],
      customer: { orderCount: 1, returnCount: 0, returnRate: 0 },
      resolution: 'refund',
      now,
    });
    const d = decideReturn(policy, a, { currency: 'USD', refundTotal: 8_405, lines: [line] });
    expect(d.explain.map((i) => explainText(i, 'en'))).toEqual(d.explanation);
    const es = d.explain.map((i) => explainText(i, 'es'));
    const zh = d.explain.map((i) => explainText(i, 'zh-CN'));
    expect(es.join(' ')).toContain('plazo de devolución de 30 días');
    expect(es.join(' ')).toMatch(/5,95\s?US\$/);
    expect(zh.join('')).toContain('30天退货期');
    expect(zh.join('')).toMatch(/US\$5\.95/);
  });

  it('renders every sentence it knows in every language, never empty, never the English one twice', () => {
    const p = {
      title: 'Scarf',
      category: 'accessories',
      days: 30,
      endsAt: Date.UTC(2026, 2, 12),
      remaining: 1,
      asked: 2,
      percent: 10,
      titles: ['Scarf', 'Hat'],
      labels: ["It doesn't fit"],
      all: false,
      fromOrder: true,
      currency: 'KWD',
      text: 'Our own words.',
      fee: { money: 1_250, currency: 'KWD' },
      limit: { money: 1_500, currency: 'USD' },
      max: { money: 20_000, currency: 'JPY' },
      total: { money: 5_500, currency: 'USD' },
      bonus: { money: 500, currency: 'USD' },
      due: { money: 1_000, currency: 'USD' },
    };
    const keys = [
      'not_returnable',
      'window_closed',
      'invalid_quantity',
      'all_returned',
      'only_remaining',
      'unknown_reason',
      'no_restocking_fault',
      'restocking_fee',
      'window_ok',
      'choose_item',
      'shipping_free_fault',
      'shipping_deducted',
      'shipping_free',
      'no_shipping_keep',
      'keep_default',
      'keep_threshold',
      'approved',
      'cannot_accept',
      'team_shortly',
      'need_photo',
      'all_checked',
      'reason_checked',
      'currency_checked',
      'above_checked',
      'store_credit_bonus',
      'exchange_bonus',
      'exchange_due',
      'keep_needs_approval',
    ] as const;
    for (const key of keys) {
      const en = explainText({ key, params: p }, 'en');
      for (const locale of EXPLAIN_LOCALES) {
        const text = explainText({ key, params: p }, locale);
        expect(text.trim().length, `${key} ${locale}`).toBeGreaterThan(0);
        expect(text, `${key} ${locale}`).not.toContain('undefined');
        if (locale !== 'en') expect(text, `${key} ${locale}`).not.toBe(en);
      }
    }
    // Money stays exact: 1250 fils are KWD 1.250 in any language.
    expect(explainText({ key: 'shipping_deducted', params: p }, 'es')).toMatch(/1,250/);
  });

  it('picks a language from a tag', () => {
    expect(explainLocale('es-MX')).toBe('es');
    expect(explainLocale('zh')).toBe('zh-CN');
    expect(explainLocale('fr')).toBe('en');
    expect(explainLocale(undefined)).toBe('en');
  });

  it('speaks to the customer with the polite 您 in Chinese, never 你 (decisions and emails)', () => {
    for (const file of ['src/modules/policy/explain.ts', 'src/modules/notify/templates/zh-CN.ts']) {
      const lines = readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.includes('你'));
      expect({ file, lines }).toEqual({ file, lines: [] });
    }
  });
});
