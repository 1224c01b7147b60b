/** The server's minimum (POST /auth/password-reset/confirm refuses anything shorter). */
export const MIN_PASSWORD_LENGTH = 10;

export type Strength = 'too_short' | 'weak' | 'fair' | 'strong';

/**
 * A hint while typing, not a rule: length counts most (a long passphrase beats a short jumble);
 * character variety helps; a few repeated characters or a common word make it weak.
 */
export function passwordStrength(password: string): Strength {
  if (password.length < MIN_PASSWORD_LENGTH) return 'too_short';
  const lower = password.toLowerCase();
  if (new Set(lower).size <= 3 || /^(password|qwerty|123456|letmein|returnflow)/.test(lower)) return 'weak';
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (password.length >= 16 || (password.length >= 12 && kinds >= 3)) return 'strong';
  return kinds >= 2 ? 'fair' : 'weak';
}
