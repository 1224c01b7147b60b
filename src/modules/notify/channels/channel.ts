import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.ts';
import type { OutboxMessage } from '../../../platform/outbox.ts';
import type { EmailMessage } from '../email-sender.ts';
import type { Notification } from '../notify-rules.ts';
import type { NotificationSettings } from '../settings.ts';
import type { DeliveriesTable } from '../tables.ts';
import type { Locale, TemplateVars } from '../templates.ts';

export type Executor = Kysely<Database>;
export type ChannelId = DeliveriesTable['channel'];

/** The outbox topics that send deliveries: one per sending channel, and the email digest. */
export const DELIVER_EMAIL = 'deliver.email';
export const DELIVER_SMS = 'deliver.sms';
export const DELIVER_WEBHOOK = 'deliver.webhook';
export const DELIVER_DIGEST = 'deliver.digest';

/** What the dispatcher needs to know about a return; the returns module supplies it. */
export type ReturnContext = {
  tenantId: string;
  tenantName: string;
  returnId: string;
  rmaNumber: string;
  status: string;
  resolution: string;
  orderId: string;
  orderNumber: string;
  currency: string;
  refundTotal: number;
  /** What the customer receives, store-credit bonus included: what messages call the refund. */
  customerTotal: number;
  trackingToken: string;
  items: { title: string; quantity: number }[];
  /** The customer-visible note of the step being announced (explanations, staff messages). */
  note: string | null;
  shipment: { carrier: string | null; trackingNumber: string | null } | null;
  customer: {
    id: string;
    email: string;
    name: string;
    phone: string | null;
    locale: string | null;
    timeZone: string | null;
  };
  /** The language the return was filed in, for a customer who chose none. */
  locale?: string | null;
  /** The decision's explanation per language. */
  explanations?: Partial<Record<Locale, string>>;
  /** The last day to send the parcel (YYYY-MM-DD), or null. */
  shipBy?: string | null;
};

export type DispatchPayload = Notification & {
  returnId: string;
  eventKey: string;
  note?: string | null;
  /** The status the change left the return in: what this notification announces. */
  status?: string;
};

/** The texts of one event in one language, rendered once per channel's variables. */
export type Rendered = { subject: string; text: string; html: string; sms: string };

/** Everything a channel may use to write its deliveries for one return event. */
export type ReturnMessage = {
  ctx: ReturnContext;
  payload: DispatchPayload;
  settings: NotificationSettings;
  locale: Locale;
  /** The sender's name: the settings' sender name, else the shop's. */
  shop: string;
  now: Date;
  /** The rendered texts and their variables; the variables differ per channel (unsubscribe links). */
  textsFor: (channel: 'email' | 'sms' | 'in_app') => { vars: TemplateVars; r: Rendered };
  /** The customer's phone when SMS can reach it (E.164, a provider configured), else null. */
  phone: string | null;
  /** Webhook endpoints subscribed to this event. */
  endpoints: { id: string }[];
};

/** One delivery a channel wants written; the dispatcher writes it, once per event key and recipient. */
export type Draft<C = unknown> = {
  id: string;
  recipient: string;
  status: 'queued' | 'delivered' | 'digest_pending';
  content: C;
  /** Not before (quiet hours, a digest window); also when the outbox sends it. */
  sendAfter?: string | null;
  /** Routine emails wait to go out together under this key. */
  digestKey?: string | null;
};

/** A delivery row as a channel's `deliver` sees it, its content parsed. */
export type Delivery<C> = Omit<DeliveriesTable, 'content' | 'attempts'> & { attempts: number; content: C };

/** How one send ended: what the attempt log records, and what the delivery becomes. */
export type Sent = {
  attempt: { outcome: string; statusCode?: number | null; response?: string | null };
  result:
    | { status: 'sent' | 'stored' | 'delivered'; providerId?: string }
    | { status: 'retry'; code: string; error: string; retryAfterMs?: number }
    | { status: 'failed' | 'bounced'; code: string; error: string };
};

/** What a new in-app item pushes to pages that are open. */
export type LiveItem = {
  channel: string;
  item: { id: string; title: string; body: string; url: string | null };
};

/**
 * A way to reach someone. `render` turns one return event into this channel's deliveries (none
 * when it cannot reach the customer, one per endpoint for webhooks); `deliver` sends one. A
 * sending channel's deliveries go out through its outbox topic, with retries; an in-app item
 * is delivered the moment it is written, in the dispatch's own transaction.
 */
export type Channel<C> = SendingChannel<C> | InstantChannel<C>;

type ChannelBase<C> = { id: ChannelId; render(msg: ReturnMessage): Draft<C>[] };
export type SendingChannel<C> = ChannelBase<C> & {
  topic: string;
  deliver(d: Delivery<C>, m: OutboxMessage): Promise<Sent>;
};
export type InstantChannel<C> = ChannelBase<C> & {
  topic: null;
  deliver(trx: Executor, d: Delivery<C>): Promise<LiveItem>;
};

export type EmailContent = { kind: 'email'; message: EmailMessage };
export type SmsContent = { kind: 'sms'; to: string; body: string };
export type InAppContent = { kind: 'in_app'; title: string; body: string; url: string };
export type WebhookContent = { kind: 'webhook'; endpointId: string; type: string; body: string };
export type DigestPart = {
  kind: 'digest_part';
  locale: Locale;
  line: string;
  to: string;
  vars: TemplateVars;
};

/** A webhook event's id, stable per event key so a receiver can drop repeats. */
export function webhookEventId(eventKey: string): string {
  return `evt_${eventKey.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 64);
}
