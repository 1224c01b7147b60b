import type { MessageKey } from '../../../lib/i18n/en.ts';
import { type Translate, tOr } from '../../../lib/i18n/i18n-provider.tsx';

export const words = (s: string) => s.replaceAll('_', ' ').replace(/^./, (c) => c.toUpperCase());

/** The code groups the catalogue names under `console.<group>.<code>`. */
export type LabelGroup =
  | 'action'
  | 'actor'
  | 'claimAction'
  | 'claimKind'
  | 'claimStatus'
  | 'condition'
  | 'conditionOption'
  | 'event'
  | 'queueName'
  | 'refundMethod'
  | 'refundStatus'
  | 'resolution'
  | 'role'
  | 'rule'
  | 'sla'
  | 'stage'
  | 'status';

/**
 * A code's label in the agent's language. A code the catalogue does not know (added on the
 * server later, or a shop's own) still shows, as `fallback` makes it — the English words.
 */
export function label(
  t: Translate,
  group: LabelGroup,
  code: string,
  fallback: (code: string) => string = words,
) {
  return tOr(t, `console.${group}.${code}`, fallback(code));
}

/** How long ago, in whole minutes under an hour, hours under two days, else days. */
export function ageParts(iso: string, now = Date.now()): { n: number; unit: 'minutes' | 'hours' | 'days' } {
  const min = Math.max(0, Math.floor((now - new Date(iso).getTime()) / 60_000));
  if (min < 60) return { n: min, unit: 'minutes' };
  if (min < 48 * 60) return { n: Math.floor(min / 60), unit: 'hours' };
  return { n: Math.floor(min / 1440), unit: 'days' };
}

const AGE_KEYS = {
  minutes: 'console.age.minutes',
  hours: 'console.age.hours',
  days: 'console.age.days',
} as const satisfies Record<string, MessageKey>;

/** "5m", "3h", "2d" (or "3 小时", "3 h"): how long ago, for a queue column. */
export function age(t: Translate, iso: string, now = Date.now()): string {
  const { n, unit } = ageParts(iso, now);
  return t(AGE_KEYS[unit], { n });
}

/** Status badge colours with white text at 4.5:1 or more. */
export function statusColor(status: string): string {
  if (status === 'rejected' || status === 'cancelled') return 'red.9';
  if (status === 'needs_review') return 'violet.9';
  if (status === 'closed' || status === 'refunded') return 'gray.8';
  return 'brand';
}

/** A line stage for staff ("qc_failed" → "QC failed" in English). */
export const stageLabel = (t: Translate, stage: string) =>
  label(t, 'stage', stage, (s) => words(s).replace(/^Qc /, 'QC '));
