import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newId } from '../../platform/ids.ts';
import { byTimeThenId } from './timeline-order.ts';

describe('byTimeThenId', () => {
  it('puts a late-entered event at the time it happened, not when it was written', () => {
    const written = [
      { id: newId('evt'), createdAt: '2026-03-05T10:00:00.000Z', what: 'requested' },
      { id: newId('evt'), createdAt: '2026-03-02T08:00:00.000Z', what: 'scanned (entered late)' },
    ];
    expect([...written].sort(byTimeThenId).map((e) => e.what)).toEqual([
      'scanned (entered late)',
      'requested',
    ]);
  });

  it('keeps the writing order within one instant, across id prefixes of any length (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('evt', 'dlv', 'note'), { minLength: 1, maxLength: 20 }),
        (prefixes) => {
          const at = '2026-03-05T10:00:00.000Z';
          const written = prefixes.map((p) => ({ id: newId(p), createdAt: at }));
          const shuffled = [...written].reverse();
          expect(shuffled.sort(byTimeThenId)).toEqual(written);
        },
      ),
    );
  });
});
