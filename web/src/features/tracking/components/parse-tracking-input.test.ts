import { describe, expect, it } from 'vitest';
import { parseTrackingInput } from './parse-tracking-input.ts';

const token = 'c4vH_RBILgQWHg0bccLCARR1EddPTysOahE0YMyWqEo';

describe('parseTrackingInput', () => {
  it('takes a bare token or the token out of a pasted tracking link', () => {
    expect(parseTrackingInput(token)).toBe(token);
    expect(parseTrackingInput(`  ${token}\n`)).toBe(token);
    expect(parseTrackingInput(`https://shop.example/t/${token}`)).toBe(token);
    expect(parseTrackingInput(`http://127.0.0.1:3000/t/${token}?utm=mail#top`)).toBe(token);
  });

  it('refuses anything else', () => {
    expect(parseTrackingInput('')).toBeNull();
    expect(parseTrackingInput('RMA-000001')).toBeNull();
    expect(parseTrackingInput(`https://shop.example/t/${token}extra`)).toBeNull();
    expect(parseTrackingInput(token.slice(1))).toBeNull();
  });
});
