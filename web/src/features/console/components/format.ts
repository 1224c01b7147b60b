import { formatMoney } from '../../../lib/money.ts';

/** Staff pages are English-only. */
export const LOCALE = 'en';

export const money = (amount: number, currency: string) => formatMoney(amount, currency, LOCALE);

export const words = (s: string) => s.replaceAll('_', ' ').replace(/^./, (c) => c.toUpperCase());

/** "5m", "3h", "2d": how long ago, for a queue column. */
export function age(iso: string, now = Date.now()): string {
  const min = Math.max(0, Math.floor((now - new Date(iso).getTime()) / 60_000));
  if (min < 60) return `${min}m`;
  if (min < 48 * 60) return `${Math.floor(min / 60)}h`;
  return `${Math.floor(min / 1440)}d`;
}

export function dateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/**
 * "12.50" in the currency's major units → 1250 minor units, cut from the digits (no float
 * arithmetic); null when it is not a plain non-negative amount with at most `exponent` decimals.
 */
export function parseMinor(text: string, exponent: number): number | null {
  const m = /^(\d+)(?:[.,](\d*))?$/.exec(text.trim());
  if (!m) return null;
  const frac = m[2] ?? '';
  if (frac.length > exponent) return null;
  const n = Number(`${m[1]}${frac.padEnd(exponent, '0')}`);
  return Number.isSafeInteger(n) ? n : null;
}

export const QUEUE_LABELS: Record<string, string> = {
  needs_review: 'Needs review',
  awaiting_inspection: 'Awaiting inspection',
  refund_failed: 'Refund failed',
  sla_at_risk: 'SLA at risk',
  seller_deadline: 'Seller deadline at risk',
  all: 'All',
};

export const ACTION_LABELS: Record<string, string> = {
  approve: 'Approve',
  reject: 'Reject',
  ship: 'Mark shipped',
  receive: 'Mark received',
  inspect: 'Inspect',
  refund: 'Refund',
  close: 'Close',
  cancel: 'Cancel return',
  ship_replacement: 'Ship replacement',
};

/** Status badge colours with white text at 4.5:1 or more. */
export function statusColor(status: string): string {
  if (status === 'rejected' || status === 'cancelled') return 'red.9';
  if (status === 'needs_review') return 'violet.9';
  if (status === 'closed' || status === 'refunded') return 'gray.8';
  return 'brand';
}

/** A line stage for staff ("qc_failed" → "QC failed"). */
export const stageLabel = (stage: string) => words(stage).replace(/^Qc /, 'QC ');
