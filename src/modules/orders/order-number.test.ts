import { describe, expect, it } from 'vitest';
import { orderNumberCandidates } from './order-number.ts';

describe('orderNumberCandidates', () => {
  it('takes any case and the number with or without its #', () => {
    expect(orderNumberCandidates(' dg-2002 ')).toEqual(['dg-2002', '#dg-2002']);
    expect(orderNumberCandidates('#1001')).toEqual(['#1001', '1001']);
  });

  it('means nothing when nothing was typed', () => {
    expect(orderNumberCandidates('  ')).toEqual([]);
    expect(orderNumberCandidates('#')).toEqual(['#']);
  });
});
