import { describe, expect, it } from 'vitest';
import { countdown, countdownText, itemisedCodeKey, itemisedReasonKey, stageKey } from './sourcing.ts';

const NOW = Date.parse('2026-03-10T08:00:00.000Z');
const H = 3_600_000;

describe('countdown', () => {
  it('counts whole days while a day or more is left, then hours, then says closed', () => {
    expect(countdown(new Date(NOW + 50 * H).toISOString(), NOW)).toEqual({ kind: 'days', count: 2 });
    expect(countdown(new Date(NOW + 24 * H).toISOString(), NOW)).toEqual({ kind: 'days', count: 1 });
    expect(countdown(new Date(NOW + 5 * H + 1).toISOString(), NOW)).toEqual({ kind: 'hours', count: 5 });
    expect(countdown(new Date(NOW + 59_000).toISOString(), NOW)).toEqual({ kind: 'minutes' });
    expect(countdown(new Date(NOW).toISOString(), NOW)).toEqual({ kind: 'closed' });
    expect(countdown('not a date', NOW)).toEqual({ kind: 'closed' });
  });

  it('uses the singular key for one day and the plural with the count otherwise', () => {
    expect(countdownText({ kind: 'days', count: 1 })).toEqual({ key: 'sourcing.countdown.day' });
    expect(countdownText({ kind: 'days', count: 3 })).toEqual({
      key: 'sourcing.countdown.days',
      values: { count: 3 },
    });
    expect(countdownText({ kind: 'closed' }).key).toBe('sourcing.countdown.closed');
  });
});

describe('message keys', () => {
  it('maps known stages, codes and reasons to their keys and unknown ones to a fallback', () => {
    expect(stageKey('qc_failed')).toBe('sourcing.stage.qc_failed');
    expect(stageKey('teleported')).toBe('sourcing.stage.unknown');
    expect(itemisedCodeKey('over_quota')).toBe('itemised.code.over_quota');
    expect(itemisedCodeKey('mystery_fee')).toBe('itemised.code.unknown');
    expect(itemisedReasonKey('spent')).toBe('itemised.reason.spent');
    expect(itemisedReasonKey(undefined)).toBeNull();
    expect(itemisedReasonKey('because')).toBeNull();
  });
});
