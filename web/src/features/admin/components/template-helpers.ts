import { useEffect, useState } from 'react';
import { isApiError } from '../../../lib/api.ts';
import { type Translate, tOr } from '../../../lib/i18n/i18n-provider.tsx';
import { TEMPLATE_FIELDS, type TemplateDraft, type TemplateField } from '../api/admin-api.ts';

/** An event's name in the reader's language; one the catalogue does not know reads as its code. */
export function eventName(t: Translate, event: string): string {
  return tOr(t, `admin.event.${event}`, eventLabel(event));
}

/** `return_in_transit` → "Return in transit". */
export function eventLabel(event: string): string {
  const words = event.replace(/[_.]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Whether the shop's saved `field` replaces the built-in text: a blank one does not. */
export function isRewritten(
  override: Partial<TemplateDraft> | null | undefined,
  field: TemplateField,
): boolean {
  return Boolean(override?.[field]?.trim());
}

/**
 * What the editor starts from: the shop's text where it rewrote a field, the built-in text
 * everywhere else, so changing one sentence does not mean retyping the whole email.
 */
export function startingDraft(
  builtIn: TemplateDraft,
  override: Partial<TemplateDraft> | null,
): TemplateDraft {
  const draft = { ...builtIn };
  for (const f of TEMPLATE_FIELDS) if (isRewritten(override, f)) draft[f] = override![f]!;
  return draft;
}

/**
 * The override to save for `draft`: only the fields that differ from the built-in text. A field
 * left as built in (or emptied) is not stored, so it keeps following the built-in copy when that
 * improves. Whitespace at either end is not a rewrite. `{}` means there is nothing of the shop's.
 *
 * @example overrideOf({ ...builtIn, subject: 'Hi {{rmaNumber}}' }, builtIn) // { subject: 'Hi {{rmaNumber}}' }
 */
export function overrideOf(draft: TemplateDraft, builtIn: TemplateDraft): Partial<TemplateDraft> {
  const override: Partial<TemplateDraft> = {};
  for (const f of TEMPLATE_FIELDS) {
    const value = draft[f].trim();
    if (value !== '' && value !== builtIn[f].trim()) override[f] = draft[f];
  }
  return override;
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
