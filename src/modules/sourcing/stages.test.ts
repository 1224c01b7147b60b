import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canMove, clocksFor, LINE_STAGES, nextStages, stageOf, usualNextStages } from './stages.ts';

const MAIN = [
  'paid',
  'purchasing',
  'purchased',
  'seller_shipped',
  'in_warehouse',
  'qc_passed',
  'stored',
  'shipped_international',
  'delivered',
] as const;

describe('line stages', () => {
  it('offers the next step on the path first, both QC verdicts in the warehouse, nothing at the end', () => {
    expect(usualNextStages('paid')).toEqual(['purchasing']);
    expect(usualNextStages('seller_shipped')).toEqual(['in_warehouse']);
    expect(usualNextStages('in_warehouse')).toEqual(['qc_passed', 'qc_failed']);
    expect(usualNextStages('qc_failed')).toEqual(['returned_to_seller']);
    expect(usualNextStages('delivered')).toEqual([]);
    expect(usualNextStages('cancelled')).toEqual([]);
    // The usual step is always an allowed one.
    for (const from of LINE_STAGES)
      for (const to of usualNextStages(from)) expect(canMove(from, to)).toBe(true);
  });

  it('moves forward along the path, skipping steps if need be, never back', () => {
    MAIN.forEach((from, i) => {
      MAIN.forEach((to, j) => {
        expect(canMove(from, to), `${from} -> ${to}`).toBe(j > i);
      });
    });
  });

  it('a failed QC leads only back to the seller; cancelled and returned lines are final', () => {
    expect(nextStages('qc_failed')).toEqual(['returned_to_seller']);
    expect(nextStages('cancelled')).toEqual([]);
    expect(nextStages('returned_to_seller')).toEqual([]);
    expect(canMove('in_warehouse', 'qc_failed')).toBe(true);
    expect(canMove('qc_passed', 'qc_failed')).toBe(false);
  });

  it('cancellation until the goods reach the warehouse, a return to the seller from there until they ship abroad', () => {
    expect(MAIN.filter((s) => canMove(s, 'cancelled'))).toEqual([
      'paid',
      'purchasing',
      'purchased',
      'seller_shipped',
    ]);
    expect(MAIN.filter((s) => canMove(s, 'returned_to_seller'))).toEqual([
      'in_warehouse',
      'qc_passed',
      'stored',
    ]);
  });

  it('no sequence of allowed moves ever returns to a stage it left (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...LINE_STAGES), { maxLength: 30 }), (wanted) => {
        let current = stageOf(null);
        const seen = [current];
        for (const w of wanted) {
          if (!canMove(current, w)) continue;
          current = w;
          expect(seen).not.toContain(current);
          seen.push(current);
        }
      }),
    );
  });

  it('starts the seller clock at the warehouse scan, the QC clock at the verdict, storage after QC', () => {
    const at = new Date('2026-03-01T10:00:00Z');
    expect(clocksFor('in_warehouse', at, { domesticDeliveredAt: null, qcAt: null }, 90)).toEqual({
      domesticDeliveredAt: at.toISOString(),
      qcAt: null,
    });
    const qc = clocksFor(
      'qc_passed',
      at,
      { domesticDeliveredAt: '2026-02-27T00:00:00.000Z', qcAt: null },
      30,
    );
    expect(qc).toEqual({
      domesticDeliveredAt: '2026-02-27T00:00:00.000Z',
      qcAt: at.toISOString(),
      storageExpiresAt: '2026-03-31T10:00:00.000Z',
    });
    expect(clocksFor('cancelled', at, { domesticDeliveredAt: null, qcAt: null }, 30)).toEqual({
      domesticDeliveredAt: null,
      qcAt: null,
    });
  });

  it('an unknown or missing stage reads as paid', () => {
    expect(stageOf(undefined)).toBe('paid');
    expect(stageOf('teleported')).toBe('paid');
  });
});
