import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatDate } from './dates.ts';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('formatDate', () => {
  it('shows a calendar date as that day west of Greenwich too', () => {
    vi.stubEnv('TZ', 'America/Los_Angeles');
    expect(formatDate('2026-11-20', 'en-US')).toBe('Friday, November 20, 2026');
    expect(formatDate('2026-11-20', 'es')).toContain('20 de noviembre de 2026');
    expect(formatDate('2026-11-20', 'zh-CN')).toContain('2026年11月20日');
  });

  it('answers empty for a value that is not a date', () => {
    expect(formatDate('soon', 'en')).toBe('');
  });
});
