import { describe, expect, it } from 'vitest';
import { passwordStrength } from './password-strength.ts';

describe('passwordStrength', () => {
  it('calls anything under 10 characters too short', () => {
    expect(passwordStrength('')).toBe('too_short');
    expect(passwordStrength('Ab1!Ab1!a')).toBe('too_short');
  });

  it('calls repeated characters and common words weak', () => {
    expect(passwordStrength('aaaaaaaaaaaa')).toBe('weak');
    expect(passwordStrength('password1234')).toBe('weak');
    expect(passwordStrength('abcdefghij')).toBe('weak');
  });

  it('rates variety and length', () => {
    expect(passwordStrength('abcdefgh12')).toBe('fair');
    expect(passwordStrength('Abcdefgh12!x')).toBe('strong');
    expect(passwordStrength('correct horse battery staple')).toBe('strong');
  });
});
