import { describe, expect, it } from 'vitest';
import { shopHandleFrom } from './shop-handle.ts';

describe('shopHandleFrom', () => {
  it('reads the handle from a portal link', () => {
    expect(shopHandleFrom('https://returns.example.com/s/demo-outfitters/returns')).toBe('demo-outfitters');
    expect(shopHandleFrom('  /s/Demo-Outfitters/returns?x=1 ')).toBe('demo-outfitters');
  });

  it('makes a handle from a name as the server does (src/modules/identity/shop-handle.ts)', () => {
    expect(shopHandleFrom('Demo Outfitters')).toBe('demo-outfitters');
    expect(shopHandleFrom('Café Münster & Co.')).toBe('cafe-munster-co');
    expect(shopHandleFrom('ACME  Corp')).toBe('acme-corp');
  });

  it('gives nothing for input with no letters or digits', () => {
    expect(shopHandleFrom('')).toBeNull();
    expect(shopHandleFrom(' -- ')).toBeNull();
    expect(shopHandleFrom('优品')).toBeNull();
  });
});
