import { useEffect, useState } from 'react';
import { isApiError } from '../../../lib/api.ts';

/** `return_in_transit` → "Return in transit". */
export function eventLabel(event: string): string {
  const words = event.replace(/[_.]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The server's template problems by field (`invalid_template` details: `{ field, message }`),
 * each as a sentence to show under its field; anything else under `_`.
 */
export function fieldErrorsOf(e: unknown): Record<string, string> {
  if (isApiError(e, 'invalid_template') && Array.isArray(e.details)) {
    const byField = new Map<string, string[]>();
    for (const p of e.details as { field?: unknown; message?: unknown }[]) {
      if (typeof p.field !== 'string' || typeof p.message !== 'string') continue;
      byField.set(p.field, [...(byField.get(p.field) ?? []), p.message]);
    }
    if (byField.size) {
      return Object.fromEntries(
        [...byField].map(([field, messages]) => {
          const text = messages.join('; ');
          return [field, `${text.charAt(0).toUpperCase()}${text.slice(1)}.`];
        }),
      );
    }
  }
  if (isApiError(e) || e instanceof Error) return { _: e.message };
  return { _: 'Saving did not work.' };
}

/** `value`, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
