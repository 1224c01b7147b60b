/** Every notification a customer can get, one set of copy each per locale. */
export const NOTIFY_EVENTS = [
  'return_requested',
  'return_approved',
  'return_approved_no_parcel',
  'return_needs_review',
  'return_rejected',
  'return_cancelled',
  'return_in_transit',
  'return_received',
  'return_inspected',
  'refund_started',
  'refund_succeeded',
  'refund_delayed',
  'store_credit_issued',
  'wallet_credited',
  'replacement_shipped',
  'return_closed',
  'staff_message',
  'digest',
] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];
