/**
 * Which notification a change produces, who gets it on which channel, and when. Pure: the
 * dispatcher loads the facts and writes what this decides.
 */

export const CATEGORIES = ['decision', 'status', 'money', 'message'] as const;
export type Category = (typeof CATEGORIES)[number];

export const CHANNELS = ['email', 'sms', 'in_app'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Timeline actions that customers hear about, and the notification each one is. */
const ACTION_EVENTS: Record<string, { event: string; category: Category; webhook: string }> = {
  approve: { event: 'return_approved', category: 'decision', webhook: 'return.approved' },
  issue_instructions: { event: 'return_approved', category: 'decision', webhook: 'return.approved' },
  review: { event: 'return_needs_review', category: 'decision', webhook: 'return.needs_review' },
  reject: { event: 'return_rejected', category: 'decision', webhook: 'return.rejected' },
  cancel: { event: 'return_cancelled', category: 'decision', webhook: 'return.cancelled' },
  ship: { event: 'return_in_transit', category: 'status', webhook: 'return.in_transit' },
  receive: { event: 'return_received', category: 'status', webhook: 'return.received' },
  inspect: { event: 'return_inspected', category: 'status', webhook: 'return.inspected' },
  refund: { event: 'refund_started', category: 'money', webhook: 'refund.started' },
  refund_succeeded: { event: 'refund_succeeded', category: 'money', webhook: 'refund.succeeded' },
  refund_delayed: { event: 'refund_delayed', category: 'money', webhook: 'refund.delayed' },
  ship_replacement: {
    event: 'replacement_shipped',
    category: 'status',
    webhook: 'return.replacement_shipped',
  },
  close: { event: 'return_closed', category: 'status', webhook: 'return.closed' },
  staff_message: { event: 'staff_message', category: 'message', webhook: 'return.message' },
};

/** Every event an endpoint can subscribe to, in the order a return lives them (the admin lists them so). */
export const WEBHOOK_EVENTS = [
  'return.created',
  ...new Set(Object.values(ACTION_EVENTS).map((e) => e.webhook)),
  // Staff events that are not a return's own step.
  'analytics.alert',
  'seller_claim.at_risk',
  'seller_claim.expired',
] as const;

export type Notification = { event: string; category: Category; webhook: string };

/**
 * One transaction moves a return through one or more steps (filing it decides it at once;
 * a store-credit refund settles in the same breath). The customer hears once, about where it
 * ended up: the last customer-visible step that means something to them.
 */
export function notificationFor(
  steps: { action: string; visibility?: 'customer' | 'internal' }[],
  facts: { method?: string; status?: string } = {},
): Notification | null {
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i]!;
    if (s.visibility === 'internal') continue;
    const n = ACTION_EVENTS[s.action];
    if (!n) continue;
    // Approved with nothing to post (kept, or already in a purchasing agent's warehouse): no
    // shipping instructions to follow.
    if (n.event === 'return_approved' && facts.status !== undefined && facts.status !== 'awaiting_shipment')
      return { ...n, event: 'return_approved_no_parcel' };
    if (n.event === 'refund_succeeded' && facts.method === 'store_credit')
      return { ...n, event: 'store_credit_issued' };
    // A purchasing agent's wallet: money the customer can spend or withdraw, not a shop's credit.
    if (n.event === 'refund_succeeded' && facts.method === 'wallet')
      return { ...n, event: 'wallet_credited' };
    return n;
  }
  return null;
}

export type ChannelPrefs = Partial<
  Record<Channel, { enabled?: boolean; categories?: Partial<Record<Category, boolean>> }>
>;

/**
 * The channels a customer gets a notification on. Email and in-app are on unless turned off;
 * SMS only with a phone number and an opt-in. A category the tenant marks critical (money by
 * default) is sent on every channel with an address even when the customer turned it off;
 * only the channel-wide unsubscribe stops it.
 */
export function channelsFor(
  category: Category,
  prefs: ChannelPrefs,
  contact: { email: string | null; phone: string | null },
  critical: readonly Category[],
): Channel[] {
  const isCritical = critical.includes(category);
  const out: Channel[] = [];
  for (const channel of CHANNELS) {
    const p = prefs[channel];
    const defaultOn = channel !== 'sms';
    if (channel === 'email' && !contact.email) continue;
    if (channel === 'sms' && !contact.phone) continue;
    const channelOn = p?.enabled ?? defaultOn;
    if (!channelOn) continue;
    const categoryOn = p?.categories?.[category] ?? true;
    if (!categoryOn && !isCritical) continue;
    out.push(channel);
  }
  return out;
}

/** "21:00"–"08:00" in the customer's zone; returns when a message may go out (`now` when not quiet). */
export function afterQuietHours(
  now: Date,
  quiet: { start: string; end: string } | null,
  timeZone: string,
): Date {
  if (!quiet) return now;
  const minutes = (hhmm: string) => {
    const [h, m] = hhmm.split(':').map(Number);
    return (h ?? 0) * 60 + (m ?? 0);
  };
  const start = minutes(quiet.start);
  const end = minutes(quiet.end);
  if (start === end) return now;
  const local = localMinutes(now, timeZone);
  const inQuiet = start < end ? local >= start && local < end : local >= start || local < end;
  if (!inQuiet) return now;
  const wait = (end - local + 24 * 60) % (24 * 60);
  // Whole minutes; seconds of the current minute are dropped so the send lands just after `end`.
  return new Date(now.getTime() + wait * 60_000 - (now.getUTCSeconds() * 1000 + now.getUTCMilliseconds()));
}

function localMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const h = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const m = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return h * 60 + m;
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Routine updates within a window share one digest message: the window is fixed on the clock
 * (e.g. every 30 minutes), so every worker computes the same key and send time.
 */
export function digestWindow(now: Date, windowMinutes: number): { key: string; sendAt: Date } {
  const ms = windowMinutes * 60_000;
  const start = Math.floor(now.getTime() / ms) * ms;
  return { key: new Date(start).toISOString(), sendAt: new Date(start + ms) };
}
