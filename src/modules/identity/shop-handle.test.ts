import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstFreeHandle, handleFromName, shopHandleProblem } from './shop-handle.ts';

describe('shop handles', () => {
  it('makes a handle from a shop name', () => {
    expect(handleFromName('Demo Outfitters')).toBe('demo-outfitters');
    expect(handleFromName('Café Münster & Co.')).toBe('cafe-munster-co');
    expect(handleFromName('优品代购')).toBe('shop');
    expect(handleFromName('Admin')).toBe('shop-admin');
    expect(handleFromName('A')).toBe('shop-a');
  });

  it('always makes a valid handle, whatever the name', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (name) => {
        expect(shopHandleProblem(handleFromName(name))).toBeNull();
      }),
    );
  });

  it('refuses handles that are not URL-safe or are reserved', () => {
    for (const bad of [
      '',
      'a',
      'Demo',
      'demo--shop',
      '-demo',
      'demo-',
      'dé',
      'a/b',
      '..',
      'x'.repeat(41),
      'api',
    ]) {
      expect(shopHandleProblem(bad), bad).not.toBeNull();
    }
    expect(shopHandleProblem('demo-outfitters')).toBeNull();
  });

  it('numbers a handle that is taken, staying within 40 characters', () => {
    const taken = new Set(['demo', 'demo-2']);
    expect(firstFreeHandle('demo', (h) => taken.has(h))).toBe('demo-3');
    const long = 'x'.repeat(40);
    const next = firstFreeHandle(long, (h) => h === long);
    expect(next).toHaveLength(40);
    expect(shopHandleProblem(next)).toBeNull();
  });
});
