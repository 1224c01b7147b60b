const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The token in a pasted tracking link (`https://…/t/TOKEN?x`) or a bare token; null otherwise. */
export function parseTrackingInput(input: string): string | null {
  const text = input.trim();
  if (TOKEN.test(text)) return text;
  const match = /\/t\/([A-Za-z0-9_-]{43})(?:[/?#]|$)/.exec(text);
  return match ? match[1]! : null;
}
