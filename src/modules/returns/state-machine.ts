/**
 * The return's life, as data. Pure: the service asks it what an action leads to and writes
 * the answer together with its event.
 */
export const RETURN_STATUSES = [
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
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

export const RETURN_ACTIONS = [
  'approve',
  'reject',
  'cancel',
  'ship',
  'receive',
  'inspect',
  'refund',
  'ship_replacement',
  'close',
] as const;
export type ReturnAction = (typeof RETURN_ACTIONS)[number];

/**
 * What the machine needs to know besides the status: a returnless refund skips the parcel;
 * exchanges, replacements and repairs send something back to the customer (`fulfillment`),
 * which must have shipped before the return can close.
 */
export type Facts = { returnless: boolean; fulfillment?: 'none' | 'pending' | 'shipped' };

/** Where each action may start; `refund` from `approved` only for a returnless refund. */
const FROM: Record<ReturnAction, (s: ReturnStatus, f: Facts) => boolean> = {
  approve: (s) => s === 'submitted' || s === 'needs_review',
  reject: (s) => s === 'submitted' || s === 'needs_review',
  // Customers may cancel until the parcel is on its way.
  cancel: (s) => s === 'submitted' || s === 'needs_review' || s === 'approved' || s === 'awaiting_shipment',
  ship: (s) => s === 'awaiting_shipment',
  // A parcel dropped off without a tracking scan still arrives: receive from awaiting_shipment too.
  receive: (s) => s === 'in_transit' || s === 'awaiting_shipment',
  inspect: (s) => s === 'received',
  refund: (s, f) => s === 'inspected' || (s === 'approved' && f.returnless),
  ship_replacement: (s, f) =>
    f.fulfillment === 'pending' && (s === 'inspected' || s === 'refund_pending' || s === 'refunded'),
  close: (s, f) => s === 'refunded' && f.fulfillment !== 'pending',
};

const TO: Record<Exclude<ReturnAction, 'ship_replacement'>, ReturnStatus> = {
  approve: 'approved',
  reject: 'rejected',
  cancel: 'cancelled',
  ship: 'in_transit',
  receive: 'received',
  inspect: 'inspected',
  refund: 'refund_pending',
  close: 'closed',
};

export function allowedActions(status: ReturnStatus, facts: Facts): ReturnAction[] {
  return RETURN_ACTIONS.filter((a) => FROM[a](status, facts));
}

export type Step = { from: ReturnStatus | null; to: ReturnStatus; action: string };

/**
 * The statuses an action passes through. Approval of a return that must come back moves on
 * to `awaiting_shipment` at once (the instructions are issued with the approval).
 */
export function plan(
  status: ReturnStatus,
  action: ReturnAction,
  facts: Facts,
): { ok: true; steps: Step[] } | { ok: false; allowed: ReturnAction[] } {
  if (!FROM[action](status, facts)) return { ok: false, allowed: allowedActions(status, facts) };
  // Shipping the replacement is recorded on the timeline without moving the status.
  const to = action === 'ship_replacement' ? status : TO[action];
  const steps: Step[] = [{ from: status, to, action }];
  if (to === 'approved' && !facts.returnless)
    steps.push({ from: 'approved', to: 'awaiting_shipment', action: 'issue_instructions' });
  return { ok: true, steps };
}

/** Where a refund's settlement takes the return: paid, or back to where an agent can retry. */
export function afterRefund(outcome: 'succeeded' | 'failed', facts: Facts): Step {
  if (outcome === 'succeeded') return { from: 'refund_pending', to: 'refunded', action: 'refund_succeeded' };
  return { from: 'refund_pending', to: facts.returnless ? 'approved' : 'inspected', action: 'refund_failed' };
}

/** The path still ahead, for the tracking page. */
export function stepsAhead(status: ReturnStatus, facts: Facts): ReturnStatus[] {
  const path: ReturnStatus[] = facts.returnless
    ? ['submitted', 'approved', 'refund_pending', 'refunded', 'closed']
    : [
        'submitted',
        'approved',
        'awaiting_shipment',
        'in_transit',
        'received',
        'inspected',
        'refund_pending',
        'refunded',
        'closed',
      ];
  if (status === 'needs_review') return path.slice(1);
  const i = path.indexOf(status);
  return i < 0 ? [] : path.slice(i + 1);
}

export function isTerminal(status: ReturnStatus): boolean {
  return status === 'closed' || status === 'cancelled' || status === 'rejected';
}

/** Units stay reserved against the order line except in these states. */
export function releasesQuantity(status: ReturnStatus): boolean {
  return status === 'cancelled' || status === 'rejected';
}
