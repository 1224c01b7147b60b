import { describe, expect, it } from 'vitest';
import { translator } from '../../../lib/i18n/i18n-provider.tsx';
import '../../../lib/i18n/staff-catalogues.ts';
import {
  alertHeadline,
  formatConfidence,
  formatCount,
  formatHours,
  formatKind,
  formatPercent,
} from './format.ts';

describe('analytics formats', () => {
  it('keeps the English formats the staff pages always had', () => {
    const t = translator('en');
    expect(formatPercent(0.1234, 'en')).toBe('12.3%');
    expect(formatPercent(null, 'en')).toBe('—');
    expect(formatCount(12345, 'en')).toBe('12,345');
    expect(formatHours(5.46, t, 'en')).toBe('5.5 h');
    expect(formatHours(76.8, t, 'en')).toBe('3.2 days');
    expect(formatConfidence(0.9999, 'en')).toBe('> 99.9%');
    expect(alertHeadline('reason:wrong_size', t)).toBe('more returns for “wrong size”');
    expect(formatKind('return_rate', t)).toBe('Return rate');
  });

  it('formats numbers and units for a Chinese or Spanish reader, reason codes left as they are', () => {
    const t = translator('zh-CN');
    expect(formatHours(76.8, t, 'zh-CN')).toBe('3.2 天');
    expect(alertHeadline('reason:defective', t)).toBe('因“defective”退货增多');
    expect(formatPercent(0.1234, 'es')).toBe(
      new Intl.NumberFormat('es', { style: 'percent', minimumFractionDigits: 1 }).format(0.1234),
    );
    expect(formatCount(12345, 'es')).toBe('12.345');
  });
});
