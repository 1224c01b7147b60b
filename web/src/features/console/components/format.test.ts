import { describe, expect, it } from 'vitest';
import { age, parseMinor, words } from './format.ts';

describe('console formatting', () => {
  it('reads an amount typed in major units as exact minor units', () => {
    expect(parseMinor('12.5', 2)).toBe(1250);
    expect(parseMinor('12,50', 2)).toBe(1250);
    expect(parseMinor('0.07', 2)).toBe(7);
    expect(parseMinor('800', 0)).toBe(800);
    expect(parseMinor('1.2345', 2)).toBeNull();
    expect(parseMinor('-1', 2)).toBeNull();
    expect(parseMinor('abc', 2)).toBeNull();
  });
  it('shows ages and words', () => {
    const now = Date.parse('2026-11-26T12:00:00Z');
    expect(age('2026-11-26T11:55:00Z', now)).toBe('5m');
    expect(age('2026-11-26T09:00:00Z', now)).toBe('3h');
    expect(age('2026-11-22T12:00:00Z', now)).toBe('4d');
    expect(words('awaiting_shipment')).toBe('Awaiting shipment');
  });
});
