import { describe, expect, it } from 'vitest';
import { translator } from '../../../lib/i18n/i18n-provider.tsx';
import '../../../lib/i18n/staff-catalogues.ts';
import { parseMinor } from '../../../lib/money.ts';
import { age, ageParts, label, stageLabel, words } from './format.ts';

// English `t`, as the provider builds it, without React.
const t = translator('en');

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
    expect(ageParts('2026-11-26T11:55:00Z', now)).toEqual({ n: 5, unit: 'minutes' });
    expect(age(t, '2026-11-26T11:55:00Z', now)).toBe('5m');
    expect(age(t, '2026-11-26T09:00:00Z', now)).toBe('3h');
    expect(age(t, '2026-11-22T12:00:00Z', now)).toBe('4d');
    expect(words('awaiting_shipment')).toBe('Awaiting shipment');
  });
  it('labels codes from the catalogue, and unknown codes as words', () => {
    expect(label(t, 'status', 'awaiting_shipment')).toBe('Awaiting shipment');
    expect(label(t, 'status', 'some_new_status')).toBe('Some new status');
    expect(stageLabel(t, 'qc_failed')).toBe('QC failed');
    expect(stageLabel(t, 'qc_on_hold')).toBe('QC on hold');
  });
});
