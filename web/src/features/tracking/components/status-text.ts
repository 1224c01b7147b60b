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

// The server names breakdown lines in English (src/modules/returns/service.ts breakdownOf); the
// known ones are translated here, a tenant's own fee label is shown as the tenant wrote it.
const BREAKDOWN: Record<string, MessageKey> = {
  Items: 'breakdown.items',
  Discounts: 'breakdown.discounts',
  Tax: 'breakdown.tax',
  Shipping: 'breakdown.shipping',
  'Restocking fees': 'breakdown.restocking',
  'Return shipping': 'breakdown.returnShipping',
  'New items': 'breakdown.newItems',
  'Bonus credit': 'breakdown.bonus',
  'Due from you': 'breakdown.due',
  'Adjusted at inspection': 'breakdown.adjusted',
  Fee: 'breakdown.fee',
};

export function breakdownKey(label: string): MessageKey | null {
  return BREAKDOWN[label] ?? null;
}
