/** The agent console's queues, by name, and the service levels that put a case at risk. */

/** How long a person may take, per queue; at risk from three quarters of it. */
export const SLA_HOURS = { needs_review: 24, received: 48 } as const;
export const AT_RISK = 0.75;

export const QUEUES = [
  'needs_review',
  'awaiting_inspection',
  'refund_failed',
  'sla_at_risk',
  'seller_deadline',
  'all',
] as const;
export type Queue = (typeof QUEUES)[number];
