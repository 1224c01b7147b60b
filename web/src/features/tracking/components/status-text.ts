import type { MessageKey } from '../../../lib/i18n/en.ts';

const STATUSES = [
  'submitted',
  'needs_review',
  'approved',
  'rejected',
  'awaiting_shipment',
  'in_transit',
  'received',
  'inspected',
  'refund_pending',
  'refunded',
  'closed',
  'cancelled',
] as const;

/** The message key for one status: its short `label`, its `headline` sentence or its `detail`. */
export function statusKey(status: string, part: 'label' | 'headline' | 'detail'): MessageKey {
  const known = (STATUSES as readonly string[]).includes(status) ? status : 'unknown';
  return `status.${known}.${part}` as MessageKey;
}
